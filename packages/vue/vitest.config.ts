import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared";

// Vue 3.5 (this package's devDependencies). test-vue33/vitest.config.ts runs the same tests
// against Vue 3.3, the oldest the peer range allows.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      environment: "jsdom",
      include: ["src/__tests__/**/*.test.ts"],
      setupFiles: ["src/__tests__/setup.ts"],
      env: { EXPECTED_VUE_MINOR: "3.5" },
      typecheck: { enabled: true, include: ["src/__tests__/**/*.test-d.ts"] },
      coverage: {
        provider: "v8",
        include: ["src/**"],
        exclude: ["src/__tests__/**", "src/index.ts"],
        thresholds: { lines: 95 },
      },
    },
  }),
);
