import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared";

// React 19 (this package's devDependencies). test-react18/vitest.config.ts runs the same tests
// against React 18.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      environment: "jsdom",
      include: ["src/__tests__/**/*.test.{ts,tsx}"],
      env: { EXPECTED_REACT_MAJOR: "19" },
      typecheck: { enabled: true, include: ["src/__tests__/**/*.test-d.{ts,tsx}"] },
      coverage: {
        provider: "v8",
        include: ["src/**"],
        exclude: ["src/__tests__/**", "src/index.ts"],
        reporter: ["text-summary"],
        thresholds: { lines: 95, branches: 90 },
      },
    },
  }),
);
