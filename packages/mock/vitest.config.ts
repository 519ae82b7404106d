import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared";

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      include: ["src/__tests__/**/*.test.ts"],
      environment: "node",
      globalSetup: ["src/__tests__/globalSetup.ts"],
      // Each file starts real HTTP servers; two workers are plenty on a shared 2-core machine.
      maxWorkers: 2,
      // Bin tests spawn node processes; under a loaded CI machine a restart can take many seconds.
      testTimeout: 60_000,
      hookTimeout: 60_000,
      coverage: { provider: "v8", include: ["src/**"], exclude: ["src/__tests__/**"] },
    },
  }),
);
