#!/usr/bin/env node
// The browser suite: `node run.mjs` (or `pnpm --filter nametag-e2e run e2e`). Builds nothing:
// `npm test` (turbo) has built the packages and the examples before. Narrow a local run with
// E2E_APPS=react,vue and E2E_SCENARIOS=1,4 (scenario numbers).
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CHROMIUM_PATH, runSuite, setupFailure, writeReport } from "./runner.mjs";
import { scenarios as allScenarios } from "./scenarios.mjs";
import { APPS, ROOT, missingBuilds, startServers, stopOnSignals } from "./servers.mjs";

const E2E = join(ROOT, "e2e");
const artifactsDir = join(E2E, "artifacts");
const reportFile = join(E2E, "test-results", "e2e.json");

const list = (value) =>
  value
    ?.split(",")
    .map((item) => item.trim())
    .filter(Boolean);
const appIds = list(process.env.E2E_APPS) ?? Object.keys(APPS);
const wanted = list(process.env.E2E_SCENARIOS);
const scenarios = wanted
  ? allScenarios.filter((scenario) => wanted.includes(scenario.name.split(".")[0]))
  : allScenarios;

function fail(title, error) {
  console.error(`e2e: ${title}\n${error.message ?? error}`);
  writeReport(reportFile, setupFailure(title, error));
  console.log("e2e: 0 passed, 1 failed");
  process.exit(1);
}

const unknown = appIds.filter((id) => !APPS[id]);
if (unknown.length)
  fail("unknown app", new Error(`E2E_APPS names ${unknown}; known: ${Object.keys(APPS)}`));
if (!existsSync(CHROMIUM_PATH)) {
  fail(
    "chromium missing",
    new Error(
      `${CHROMIUM_PATH} is missing. Install Debian's chromium: apt-get install -y chromium`,
    ),
  );
}
const missing = missingBuilds(appIds);
if (missing.length) {
  fail(
    "examples not built",
    new Error(
      missing.map((id) => `${APPS[id].dir}/${APPS[id].buildOutput} is missing`).join("\n") +
        "\nBuild them first: `npm test` or `node scripts/pnpm.mjs exec turbo run build` from the repository root.",
    ),
  );
}

rmSync(artifactsDir, { recursive: true, force: true });
const started = Date.now();
let servers;
stopOnSignals(async () => servers?.stop());
try {
  servers = await startServers({
    apps: appIds,
    logDir: join(artifactsDir, "logs"),
    onLog: (line) => console.log(line),
  });
} catch (error) {
  fail("servers did not start", error);
}

let result;
try {
  result = await runSuite({
    apps: appIds.map((id) => servers.apps[id]),
    scenarios,
    artifactsDir,
  });
} catch (error) {
  await servers.stop();
  fail("the browser suite crashed", error);
}
await servers.stop();
writeReport(reportFile, result);
const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(`e2e: ${result.numPassedTests} passed, ${result.numFailedTests} failed (${seconds} s)`);
if (result.numFailedTests > 0) console.log(`screenshots and server logs: ${artifactsDir}`);
process.exit(result.numFailedTests > 0 || result.numPassedTests === 0 ? 1 : 0);
