#!/usr/bin/env node
// CI: starts the real `nametag-mock` bin on a free port with a known API key, identity secret and
// rate limit, runs `nametag-mock conformance` against it over HTTP, stops it, and exits with the
// suite's code. Needs `dist/` (build @nametag/mock first). Usage: node scripts/conformance-ci.mjs [bin]
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = process.argv[2] ?? fileURLToPath(new URL("../bin/nametag-mock.js", import.meta.url));
const API_KEY = "sk_conformance_ci";
const SECRET = "conformance-ci-identity-secret";
const RATE_LIMIT = "400/60000";

function startMock() {
  const child = spawn(
    process.execPath,
    [
      bin,
      "--port",
      "0",
      "--api-key",
      API_KEY,
      "--identity-secret",
      SECRET,
      "--rate-limit",
      RATE_LIMIT,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`nametag-mock did not start:\n${output}`)),
      30_000,
    );
    child.stdout.on("data", (chunk) => {
      output += String(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.stderr.on("data", (chunk) => (output += String(chunk)));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`nametag-mock exited with ${code}:\n${output}`));
    });
  });
}

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: "inherit" });
    child.once("exit", (code) => resolve(code ?? 1));
  });
}

const { child, url } = await startMock();
let code = 1;
try {
  console.log(`nametag-mock started at ${url}; running the conformance suite over HTTP`);
  code = await run([
    "conformance",
    "--url",
    url,
    "--api-key",
    API_KEY,
    "--identity-secret",
    SECRET,
    "--rate-limit",
    RATE_LIMIT,
  ]);
} finally {
  child.removeAllListeners("exit");
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
process.exit(code);
