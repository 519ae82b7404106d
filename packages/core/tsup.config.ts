import { readFile } from "node:fs/promises";
import { defineConfig } from "tsup";

// `DEV && "long message"` is written inline as the NODE_ENV check, so a consumer's bundler that
// replaces process.env.NODE_ENV folds every development-only message away (a shared `DEV`
// variable survives as `var x = !1` and keeps the strings alive). The `typeof process` guard keeps
// an unbundled browser, where `process` does not exist, on the short production messages.
const DEV_EXPRESSION =
  '((typeof process === "undefined" ? "production" : process.env.NODE_ENV) !== "production")';

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2020",
  treeshake: true,
  esbuildPlugins: [
    {
      name: "inline-dev-guard",
      setup(build) {
        build.onLoad({ filter: /[\\/]src[\\/][^\\/]+\.ts$/ }, async ({ path }) => ({
          contents: (await readFile(path, "utf8")).replace(/\bDEV &&/g, `${DEV_EXPRESSION} &&`),
          loader: "ts",
        }));
      },
    },
  ],
});
