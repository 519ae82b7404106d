import { defineConfig } from "tsup";

// Two builds, so no chunk is ever shared between the client and the server entry.
const shared = {
  format: ["esm", "cjs"] as const,
  dts: true,
  sourcemap: true,
  target: "es2020",
  // esbuild's own tree shaking: tsup's extra rollup pass (`treeshake: true`) strips "use client".
  treeshake: false,
  external: ["react", "next", "next-auth", "server-only", /^@nametag\//],
};

export default defineConfig([
  {
    ...shared,
    format: [...shared.format],
    entry: { index: "src/client.ts" },
    // esbuild keeps src/client.ts's directive on line 1 of the ESM build; CJS output starts with
    // "use strict", so the directive goes in front of it there.
    banner: ({ format }) => (format === "cjs" ? { js: '"use client";' } : {}),
    clean: ["index.*"],
  },
  {
    ...shared,
    format: [...shared.format],
    entry: { server: "src/server.ts" },
    clean: ["server.*"],
  },
]);
