import { defineConfig } from "tsup";

// Two builds, so no chunk is ever shared between the client and the server entry.
// tsup runs the two builds in parallel and its `clean` (even with a pattern) empties the whole
// dist/, so one build could delete the other's files: the build script empties dist/ once instead.
const shared = {
  clean: false,
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
  },
  {
    ...shared,
    format: [...shared.format],
    entry: { server: "src/server.ts" },
  },
]);
