import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared";

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      environment: "jsdom",
      include: ["src/__tests__/**/*.test.ts"],
      setupFiles: ["src/__tests__/setup.ts"],
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
