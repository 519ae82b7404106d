#!/usr/bin/env node
// The long run of the model-based test (src/__tests__/identityModel.test.ts): 100,000 command
// sequences by default, where CI runs 1,000. Everything else comes from the environment:
//   NAMETAG_MODEL_RUNS=500000 node scripts/model.mjs        more sequences
//   NAMETAG_MODEL_TRANSPORT=storage-event node scripts/model.mjs
//                                                           one cross-tab transport only (each
//                                                           sequence draws broadcast-channel or
//                                                           storage-event otherwise)
//   NAMETAG_MODEL_SEED=… NAMETAG_MODEL_PATH=… NAMETAG_MODEL_REPLAY_PATH=… NAMETAG_MODEL_RUNS=1 \
//     node scripts/model.mjs                                replay a failure as the test printed it
// The seed is printed first, then how many sequences ran over each transport; a failure prints its
// transport, the shrunk commands and the line that replays it.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const env = { ...process.env, NAMETAG_MODEL_RUNS: process.env.NAMETAG_MODEL_RUNS ?? "100000" };
const started = Date.now();
const result = spawnSync(
  process.execPath,
  [
    join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs"),
    "run",
    "src/__tests__/identityModel.test.ts",
    // The JSON report is CI's; a long local run must not replace it.
    "--reporter=default",
  ],
  { cwd: packageDir, env, stdio: "inherit" },
);
console.log(
  `[nametag model] ${env.NAMETAG_MODEL_RUNS} sequences, ${((Date.now() - started) / 1000).toFixed(1)} s, ${
    result.status === 0 ? "passed" : "FAILED"
  }`,
);
process.exit(result.status ?? 1);
