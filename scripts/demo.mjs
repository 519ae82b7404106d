#!/usr/bin/env node
// `npm run demo`: installs and builds (output to a log file, shown only if something fails),
// starts the two nametag mocks and the built examples on friendly ports (a free one when a port
// is taken), prints their URLs first, and keeps them up until Ctrl-C, which exits 0.
//
//   node scripts/demo.mjs              # install, build, run
//   node scripts/demo.mjs --no-build   # run what is already built
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { APPS, ROOT, missingBuilds, startServers, stopOnSignals } from "../e2e/servers.mjs";

const PORTS = { mockA: 4010, mockB: 4011, react: 5173, vue: 5174, next: 3000, next5: 3001 };
const logDir = join(ROOT, "e2e/artifacts/demo-logs");
const buildLog = join(logDir, "build.log");
mkdirSync(logDir, { recursive: true });

let stopping = false;
let servers;
// Ctrl-C is how the demo ends: stop everything and exit 0 (no "Command failed" from npm).
stopOnSignals(
  async () => {
    stopping = true;
    console.log("\nStopping the demo…");
    await servers?.stop();
  },
  { exitCode: 0 },
);

/** Runs one build command with its output appended to the build log; resolves to its exit code. */
function run(args, log) {
  return new Promise((resolve) => {
    log.write(`\n$ node scripts/pnpm.mjs ${args.join(" ")}\n`);
    const child = spawn(process.execPath, [join(ROOT, "scripts/pnpm.mjs"), ...args], {
      cwd: ROOT,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once("exit", (code, signal) => resolve(signal ? 130 : (code ?? 1)));
  });
}

if (!process.argv.includes("--no-build")) {
  const started = Date.now();
  console.log(`Building the packages and examples (log: ${relative(ROOT, buildLog)})…`);
  const log = createWriteStream(buildLog);
  const steps = [
    ["install", "--frozen-lockfile"],
    ["exec", "turbo", "run", "build", "--filter=./packages/*", "--filter=./examples/*"],
  ];
  for (const step of steps) {
    const code = await run(step, log);
    if (stopping) process.exit(0);
    if (code !== 0) {
      await new Promise((resolve) => log.end(resolve));
      const lines = readFileSync(buildLog, "utf8").trimEnd().split("\n");
      console.error(lines.slice(-60).join("\n"));
      console.error(
        `\nThe build failed (node scripts/pnpm.mjs ${step.join(" ")}, exit ${code}). ` +
          `Full log: ${buildLog}`,
      );
      process.exit(1);
    }
  }
  await new Promise((resolve) => log.end(resolve));
  console.log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
}

const missing = missingBuilds(Object.keys(APPS));
if (missing.length) {
  console.error(
    `${missing.map((id) => `${APPS[id].dir}/${APPS[id].buildOutput}`).join(", ")} missing. ` +
      "Run `npm run demo` without --no-build (it builds first).",
  );
  process.exit(1);
}

console.log("Starting the servers…");
try {
  servers = await startServers({ ports: PORTS, logDir, onLog: () => {} });
} catch (error) {
  if (stopping) process.exit(0);
  console.error(`The demo could not start: ${error.message}\nServer logs: ${logDir}`);
  process.exit(1);
}

const { mocks, apps } = servers;
console.log(`
  React + Vite                      ${apps.react.url}
  Vue + Vite                        ${apps.vue.url}
  Next.js App Router, next-auth v4  ${apps.next.url}
  Next.js App Router, next-auth v5  ${apps.next5.url}

Open one, chat, then sign in as Jane Smith (enterprise) or Omar Haddad (pro) with the buttons
at the top. Press Ctrl-C to stop.

Behind them: nametag-mock A ${mocks.A.url} (React, Vue; no identity secret) and
nametag-mock B ${mocks.B.url} (Next; identity secret "dev-identity-secret"). Every example
talks to its mock through the same-origin path /api/nametag. Server logs: ${relative(ROOT, logDir)}/`);
