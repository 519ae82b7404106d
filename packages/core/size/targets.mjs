// `pnpm run size:targets`: size-limit against the budgets core is meant to reach (see
// .size-limit.cjs), as opposed to `pnpm run size`, the enforced ratchet.
import { spawnSync } from "node:child_process";

const result = spawnSync("size-limit", {
  stdio: "inherit",
  shell: true,
  env: { ...process.env, NAMETAG_SIZE_TARGETS: "1" },
});
process.exit(result.status ?? 1);
