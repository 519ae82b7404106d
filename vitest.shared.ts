// Settings every package's vitest config starts from (mergeConfig(shared, {...})): a JSON report
// per package, which scripts/test-summary.mjs adds up into the one summary line CI prints.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    restoreMocks: true,
    unstubGlobals: true,
    unstubEnvs: true,
  },
});
