// Shared by the mock's benches: start the real bin, and a small closed-loop load generator
// (keep-alive connections on 127.0.0.1, a bounded duration), so the benches need no dependency.
import { spawn } from "node:child_process";
import http from "node:http";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../bin/nametag-mock.js", import.meta.url));

/** Starts `nametag-mock` on a free 127.0.0.1 port; resolves { url, pid, stop() }. */
export function startMock(args) {
  const child = spawn(process.execPath, [BIN, "--port", "0", "--host", "127.0.0.1", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += String(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match)
        resolve({
          url: match[1],
          pid: child.pid,
          stop: () =>
            new Promise((done) => {
              child.removeAllListeners("exit");
              child.once("exit", done);
              child.kill("SIGTERM");
            }),
        });
    });
    child.stderr.on("data", (chunk) => (output += String(chunk)));
    child.once("exit", (code) => reject(new Error(`nametag-mock exited with ${code}: ${output}`)));
  });
}

/** One JSON request over a keep-alive agent. */
export function request(agent, url, method, path, headers = {}, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${path}`,
      {
        agent,
        method,
        headers: {
          ...headers,
          ...(payload === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode,
            body: text ? JSON.parse(text) : undefined,
            bytes: text.length,
          });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/**
 * Closed-loop load: `connections` loops each send `makeRequest(i)` back to back for `seconds`.
 * Resolves { requests, perSecond, p50, p99 (ms), errors }.
 */
export async function load({ url, seconds, connections, makeRequest }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  let errors = 0;
  let counter = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const { method, path, headers, body, expect } = makeRequest(counter++);
        const sent = performance.now();
        try {
          const reply = await request(agent, url, method, path, headers, body);
          if (reply.status !== expect) errors += 1;
        } catch {
          errors += 1;
        }
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    errors,
  };
}

export const format = (result) =>
  `${result.perSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(1)} ms  p99 ${result.p99.toFixed(1)} ms  (${result.requests} requests, ${result.errors} errors)`;
