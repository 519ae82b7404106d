#!/usr/bin/env node
// Memory held by rate-limit windows: heapUsed before, after 20,000 distinct visitors, and after
// their window has passed (the next request sweeps the expired windows).
//
//   node scripts/pnpm.mjs --filter @nametag/mock build
//   node --expose-gc packages/mock/bench/rateLimitMemory.mjs                 # injected clock
//   node --expose-gc packages/mock/bench/rateLimitMemory.mjs --real-window 2000  # real clock
//   node --expose-gc packages/mock/bench/rateLimitMemory.mjs --http   # through nametag's HTTP server
//
// The injected clock jumps a 60 s window instantly; --real-window <ms> uses Date.now with a short
// real window and waits it out. Without --expose-gc the figures include uncollected garbage.
import { createMockBackend, startMockServer } from "../dist/index.js";

const VISITORS = 20_000;
const argIndex = process.argv.indexOf("--real-window");
const realWindow = argIndex === -1 ? undefined : Number(process.argv[argIndex + 1]);

let fakeNow = 1_700_000_000_000;
const now = realWindow === undefined ? () => fakeNow : Date.now;
const windowMs = realWindow ?? 60_000;
const backend = createMockBackend({ rateLimit: { limit: 100, windowMs }, now });
const http = process.argv.includes("--http")
  ? await startMockServer({ port: 0, host: "127.0.0.1", backend })
  : undefined;

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
function heapUsed() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}
const visit = async (visitorId) => {
  const init = { headers: { "x-nametag-visitor-id": visitorId } };
  if (!http) return backend.handle(new Request("http://nametag.test/v1/conversations", init));
  const response = await fetch(`${http.url}/v1/conversations`, init);
  await response.arrayBuffer();
  return response;
};

// Warm up once, so code and caches are not counted as windows.
await visit("v_1700000000000_warmup0");
backend.reset();

const before = heapUsed();
const rssBefore = process.memoryUsage().rss;
for (let index = 0; index < VISITORS; index += 1) {
  const response = await visit(`v_1700000000000_${index.toString(36).padStart(6, "0")}`);
  if (response.status !== 200) throw new Error(`visitor ${index}: ${response.status}`);
}
// What stays after the window is mostly the request log, which keeps its last 2000 entries.
const afterVisitors = heapUsed();
const rssAfterVisitors = process.memoryUsage().rss;

if (realWindow === undefined) fakeNow += windowMs;
else await new Promise((resolve) => setTimeout(resolve, windowMs + 50));
await visit("v_1700000000000_latecomer");
const afterWindow = heapUsed();
const rssAfterWindow = process.memoryUsage().rss;
await http?.close();

console.log(
  JSON.stringify(
    {
      gc: typeof globalThis.gc === "function",
      clock: realWindow === undefined ? "injected" : "real",
      transport: http ? "http" : "in-process",
      windowMs,
      visitors: VISITORS,
      heapUsedBefore: mb(before),
      heapUsedAfterVisitors: mb(afterVisitors),
      heapUsedAfterWindow: mb(afterWindow),
      heldAfterVisitors: mb(afterVisitors - before),
      heldAfterWindow: mb(afterWindow - before),
      rssBefore: mb(rssBefore),
      rssAfterVisitors: mb(rssAfterVisitors),
      rssAfterWindow: mb(rssAfterWindow),
    },
    null,
    2,
  ),
);
