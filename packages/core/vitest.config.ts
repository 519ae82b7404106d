import { fileURLToPath } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared";

// The mock depends on core, so core reaches it through source aliases instead of a dependency
// (a package cycle would break turbo's ^build ordering).
export default mergeConfig(
  shared,
  defineConfig({
    resolve: {
      alias: {
        "@nametag/mock": fileURLToPath(new URL("../mock/src/index.ts", import.meta.url)),
        "@nametag/core": fileURLToPath(new URL("./src/index.ts", import.meta.url)),
      },
    },
    test: {
      include: ["src/__tests__/**/*.test.ts"],
      typecheck: { enabled: true, include: ["src/__tests__/**/*.test-d.ts"] },
      environment: "node",
      // CI shares two cores between many packages; a slow machine must not fail a correct test.
      testTimeout: 15_000,
      coverage: {
        provider: "v8",
        include: ["src/**"],
        exclude: ["src/__tests__/**"],
        reporter: ["text-summary", "json-summary"],
        thresholds: { lines: 95 },
      },
    },
  }),
);
