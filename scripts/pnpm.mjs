#!/usr/bin/env node
// Runs the pnpm version pinned in package.json's "packageManager", fetched from the npm registry
// with npx, so a machine with only Node.js and npm needs nothing else installed.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const { packageManager } = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
);
const version = packageManager.replace(/^pnpm@/, "").split("+")[0];
const result = spawnSync("npx", ["-y", `pnpm@${version}`, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, COREPACK_INTEGRITY_KEYS: "0", TURBO_TELEMETRY_DISABLED: "1" },
});
process.exit(result.status ?? 1);
