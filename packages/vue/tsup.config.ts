import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2020",
  treeshake: true,
  // The adapter is a thin bridge: Vue and the core client are the app's own copies.
  external: ["vue", "@nametag/core"],
});
