// Starts everything the browser suite and the demo need: two nametag mocks (A: no identity secret,
// for the Vite examples; B: with one, for Next) and the three built examples, each on 127.0.0.1.
// Every child runs in its own process group so that stopping it also stops what it spawned.
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const API_KEY = "sk_test_nametag";
export const IDENTITY_SECRET = "dev-identity-secret";
const NEXTAUTH_SECRET = "nametag-e2e-nextauth-secret-not-for-production";

/** The three examples (Next twice: next-auth v4 and v5): where they live, which mock they talk to, and what their build leaves. */
export const APPS = {
  react: {
    id: "react",
    label: "React + Vite",
    dir: "examples/react-vite",
    kind: "vite",
    mock: "A",
    buildOutput: "dist/index.html",
  },
  vue: {
    id: "vue",
    label: "Vue + Vite",
    dir: "examples/vue-vite",
    kind: "vite",
    mock: "A",
    buildOutput: "dist/index.html",
  },
  next: {
    id: "next",
    label: "Next.js App Router, next-auth v4",
    dir: "examples/next-app",
    kind: "next",
    mock: "B",
    buildOutput: ".next/BUILD_ID",
  },
  // The same Next example built and served with next-auth v5 (see its next.config.ts).
  next5: {
    id: "next5",
    label: "Next.js App Router, next-auth v5",
    dir: "examples/next-app",
    kind: "next",
    mock: "B",
    buildOutput: ".next/auth5/BUILD_ID",
    env: { NAMETAG_EXAMPLE_NEXT_AUTH: "5" },
  },
};

/** Names of the examples whose build output is missing (so the caller can say what to build). */
export function missingBuilds(appIds) {
  return appIds.filter((id) => !existsSync(join(ROOT, APPS[id].dir, APPS[id].buildOutput)));
}

/** A port nobody listens on right now: the OS picks one for port 0 and we read it back. */
export function freePort(host = "127.0.0.1") {
  return listenOnce(0, host);
}

/** `preferred` if it is free on `host`, else a free port (the demo's friendly ports may be taken). */
export async function preferredOrFreePort(preferred, host = "127.0.0.1") {
  if (preferred) {
    try {
      return await listenOnce(preferred, host);
    } catch {
      // taken: fall through to any free port
    }
  }
  return freePort(host);
}

function listenOnce(port, host) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      server.close(() => resolve(bound));
    });
  });
}

async function loadMockPackage() {
  try {
    return await import("@nametag/mock");
  } catch (cause) {
    throw new Error(
      `Could not load @nametag/mock (${cause.message}). Build the packages first: ` +
        "`node scripts/pnpm.mjs run build` (or `npm test`) from the repository root.",
      { cause },
    );
  }
}

/** One in-process mock on 127.0.0.1 (the same server the `nametag-mock` bin runs). */
async function startMock({ port, identitySecret }) {
  const { startMockServer } = await loadMockPackage();
  if (typeof startMockServer !== "function") {
    throw new Error("@nametag/mock does not export startMockServer(); rebuild packages/mock.");
  }
  const server = await startMockServer({
    host: "127.0.0.1",
    port,
    apiKey: API_KEY,
    ...(identitySecret ? { identitySecret } : {}),
  });
  const url = (server.url ?? `http://127.0.0.1:${server.port}`).replace(/\/+$/, "");
  return { url, close: () => server.close() };
}

/**
 * Spawns `command` in `cwd` as the leader of a new process group, logs its output to `logFile`,
 * and resolves once `readyUrl` answers (any status below 500). Rejects with the log's tail if the
 * process exits first or `timeoutMs` passes.
 */
async function startProcess({
  name,
  command,
  args,
  cwd,
  env,
  readyUrl,
  logFile,
  timeoutMs,
  onSpawn,
}) {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  let tail = "";
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const remember = (chunk) => {
    log.write(chunk);
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout.on("data", remember);
  child.stderr.on("data", remember);
  const exited = new Promise((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const handle = { name, child, exited, log, tail: () => tail };
  onSpawn(handle); // registered before it is ready, so Ctrl-C during start-up stops it too

  const deadline = Date.now() + timeoutMs;
  let exit;
  exited.then((value) => (exit = value));
  while (Date.now() < deadline) {
    if (exit) {
      throw new Error(
        `${name} exited (code ${exit.code}, signal ${exit.signal}) before it was ready. Its output:\n${tail}`,
      );
    }
    try {
      const response = await fetch(readyUrl, {
        signal: AbortSignal.timeout(2000),
        redirect: "manual",
      });
      if (response.status < 500) return handle;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stopProcess(handle);
  throw new Error(
    `${name} did not answer ${readyUrl} within ${timeoutMs} ms. Its output:\n${tail}`,
  );
}

/** SIGTERM to the whole group, SIGKILL if it is still there after 5 s. */
async function stopProcess(handle) {
  const { child, exited } = handle;
  if (child.exitCode === null && child.signalCode === null) {
    killGroup(child.pid, "SIGTERM");
    const timer = setTimeout(() => killGroup(child.pid, "SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
  killGroup(child.pid, "SIGKILL"); // grandchildren that outlived their parent
  handle.log.end();
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function viteCommand(app, port, mockUrl) {
  const dir = join(ROOT, app.dir);
  return {
    command: join(dir, "node_modules/.bin/vite"),
    args: ["preview", "--host", "127.0.0.1", "--port", String(port), "--strictPort"],
    cwd: dir,
    env: { NAMETAG_MOCK_URL: mockUrl },
  };
}

function nextCommand(app, port, mockUrl) {
  const dir = join(ROOT, app.dir);
  const url = `http://127.0.0.1:${port}`;
  return {
    command: join(dir, "node_modules/.bin/next"),
    args: ["start", "-H", "127.0.0.1", "-p", String(port)],
    cwd: dir,
    env: {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NAMETAG_API_URL: mockUrl,
      NAMETAG_API_KEY: API_KEY,
      NAMETAG_IDENTITY_SECRET: IDENTITY_SECRET,
      NEXTAUTH_URL: url,
      NEXTAUTH_SECRET,
      AUTH_SECRET: NEXTAUTH_SECRET,
      ...app.env,
    },
  };
}

/**
 * Starts the mocks and the requested examples. `ports` maps mockA, mockB, react, vue, next to a
 * preferred port (0 or missing = any free port). Returns their URLs and `stop()`, which stops
 * everything that was started (also after a partial start failed: call it in `finally`).
 *
 * @param {{ apps?: string[], ports?: Record<string, number>, logDir?: string, onLog?: (line: string) => void }} options
 */
export async function startServers({
  apps = Object.keys(APPS),
  ports = {},
  logDir,
  onLog = () => {},
} = {}) {
  const logs = logDir ?? join(ROOT, "e2e/artifacts/logs");
  const started = { mocks: {}, apps: {} };
  const processes = [];
  const closers = [];
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.allSettled(processes.map(stopProcess));
    await Promise.allSettled(closers.map((close) => close()));
  };
  // A last resort when the parent exits without awaiting stop() (an uncaught error).
  process.once("exit", () => processes.forEach((handle) => killGroup(handle.child.pid, "SIGKILL")));

  try {
    const needs = new Set(apps.map((id) => APPS[id].mock));
    if (needs.has("A") || apps.length === 0) {
      const mock = await startMock({ port: await preferredOrFreePort(ports.mockA) });
      closers.push(mock.close);
      started.mocks.A = { ...mock, identitySecret: null };
      onLog(`mock A (no identity secret)      ${mock.url}`);
    }
    if (needs.has("B")) {
      const mock = await startMock({
        port: await preferredOrFreePort(ports.mockB),
        identitySecret: IDENTITY_SECRET,
      });
      closers.push(mock.close);
      started.mocks.B = { ...mock, identitySecret: IDENTITY_SECRET };
      onLog(`mock B (identity secret on)      ${mock.url}`);
    }

    // Started one after another: two cores, and `next start` alone takes a few seconds.
    for (const id of apps) {
      const app = APPS[id];
      const port = await preferredOrFreePort(ports[id]);
      const mock = started.mocks[app.mock];
      const spec =
        app.kind === "next" ? nextCommand(app, port, mock.url) : viteCommand(app, port, mock.url);
      if (!existsSync(spec.command)) {
        throw new Error(
          `${spec.command} is missing: run the install (node scripts/pnpm.mjs install).`,
        );
      }
      const url = `http://127.0.0.1:${port}`;
      await startProcess({
        name: `${app.label} (${app.dir})`,
        ...spec,
        readyUrl: `${url}/`,
        logFile: join(logs, `${id}.log`),
        timeoutMs: 60_000,
        onSpawn: (spawned) => processes.push(spawned),
      });
      started.apps[id] = { ...app, url, mock };
      onLog(`${app.label.padEnd(32)} ${url}  (mock ${app.mock})`);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return { ...started, stop };
}

/**
 * Stops the servers on Ctrl-C / SIGTERM, then exits: with the conventional 130 / 143, or with
 * `exitCode` when stopping is the normal way to end (the demo).
 */
export function stopOnSignals(stop, { exitCode } = {}) {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ]) {
    process.once(signal, () => {
      stop().finally(() => process.exit(exitCode ?? code));
    });
  }
}
