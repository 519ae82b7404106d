import { readFile, writeFile } from "node:fs/promises";
import { defineConfig } from "tsup";

const USE_CLIENT = '"use client";\n';

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2020",
  // Rollup's tree-shaking pass merges the per-file imports (the size budget is 1 KB brotli)...
  treeshake: true,
  external: ["react", "@nametag/core"],
  // ...but drops module directives (and `banner`), so "use client" is added afterwards: the hooks
  // need a client-component boundary in React Server Components apps (Next.js).
  async onSuccess() {
    for (const file of ["dist/index.js", "dist/index.cjs"]) {
      const code = await readFile(file, "utf8");
      if (code.startsWith(USE_CLIENT)) continue;
      await writeFile(file, USE_CLIENT + code);
      const map = JSON.parse(await readFile(`${file}.map`, "utf8")) as { mappings: string };
      map.mappings = `;${map.mappings}`; // one generated line more at the top
      await writeFile(`${file}.map`, JSON.stringify(map));
    }
  },
});
