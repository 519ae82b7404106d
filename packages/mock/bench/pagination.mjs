#!/usr/bin/env node
// Bench (prints, never gates): a page of 50 messages from a 65,600-message conversation against a
// page of 50 from a 10-message one, on the same nametag-mock. The ratio of their throughputs
// should be close to 1: a page costs O(limit), not O(conversation). Bounded: ~15 s.
// Needs dist/ (build @nametag/mock first). Usage: node bench/pagination.mjs [rounds of 1 s each]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MockStore, createMockBackend } from "../dist/index.js";
import { format, load, startMock } from "./load.mjs";

const SECONDS = Number(process.argv[2] ?? 2);
const CONNECTIONS = 8;
const API_KEY = "sk_bench";
const LONG = 65_600;

// Seed through a --persist snapshot: 65,600 messages by API would take longer than the bench.
const store = new MockStore({ now: () => Date.UTC(2025, 0, 1) });
const user = store.createUser({ externalId: "bench_user" });
const long = store.createConversation(user.id, "support");
const short = store.createConversation(user.id, "support");
for (let index = 0; index < LONG; index += 1)
  store.addMessage(long.id, index % 2 ? "agent" : "user", `message number ${index} of a long chat`);
for (let index = 0; index < 10; index += 1) store.addMessage(short.id, "user", `short ${index}`);
const directory = mkdtempSync(join(tmpdir(), "nametag-bench-"));
const file = join(directory, "store.jsonl");
const snapshot = store.toJSON();
writeFileSync(
  file,
  `${JSON.stringify({ op: "snapshot", value: snapshot, counter: snapshot.counter })}\n`,
);

// In-process first (no sockets, so no network noise): the same two pages through backend.handle().
const backend = createMockBackend({ apiKey: API_KEY });
backend.store.load(snapshot);
async function perRequest(conversationId, limit, count) {
  const started = performance.now();
  for (let index = 0; index < count; index += 1) {
    const response = await backend.handle(
      new Request(
        `http://nametag.test/v1/conversations/${conversationId}/messages?limit=${limit}`,
        {
          headers: { authorization: `Bearer ${API_KEY}` },
        },
      ),
    );
    await response.arrayBuffer();
  }
  return (performance.now() - started) / count;
}
await perRequest(long.id, 50, 2000);
await perRequest(short.id, 50, 2000);
const inProcess = { long: 0, short: 0 };
for (let round = 0; round < 3; round += 1) {
  inProcess.long += await perRequest(long.id, 50, 1000);
  inProcess.short += await perRequest(short.id, 50, 1000);
}
console.log(
  `in-process backend.handle(): page of 50 from ${LONG} messages ${(inProcess.long / 3).toFixed(3)} ms, from 10 messages ${(inProcess.short / 3).toFixed(3)} ms; ratio of throughputs ${(inProcess.short / inProcess.long).toFixed(2)}`,
);
backend.reset();

const mock = await startMock(["--api-key", API_KEY, "--persist", file]);
const run = (conversationId, seconds = SECONDS, limit = 50) =>
  load({
    url: mock.url,
    seconds,
    connections: CONNECTIONS,
    makeRequest: () => ({
      method: "GET",
      path: `/v1/conversations/${conversationId}/messages?limit=${limit}`,
      headers: { authorization: `Bearer ${API_KEY}` },
      expect: 200,
    }),
  });
try {
  // Warm up (JIT, and the garbage of loading 65,600 messages), then measure the two in
  // alternating one-second slices, so drift on a shared machine hits both alike.
  await run(short.id, 1);
  await run(long.id, 2);
  const slices = { long: [], longTen: [], short: [] };
  for (let round = 0; round < SECONDS; round += 1) {
    slices.long.push(await run(long.id, 1));
    slices.short.push(await run(short.id, 1));
    slices.longTen.push(await run(long.id, 1, 10));
  }
  const combine = (results) => {
    const requests = results.reduce((sum, result) => sum + result.requests, 0);
    return {
      requests,
      perSecond: results.reduce((sum, result) => sum + result.perSecond, 0) / results.length,
      p50: Math.max(...results.map((result) => result.p50)),
      p99: Math.max(...results.map((result) => result.p99)),
      errors: results.reduce((sum, result) => sum + result.errors, 0),
    };
  };
  const longResult = combine(slices.long);
  const shortResult = combine(slices.short);
  const longTenResult = combine(slices.longTen);
  console.log(
    `page of 50, ${LONG}-message conversation: ${format(longResult)} (p50/p99: worst slice)`,
  );
  console.log(`page of 50 (10 messages), 10-message conversation: ${format(shortResult)}`);
  console.log(`page of 10, ${LONG}-message conversation: ${format(longTenResult)}`);
  const status = await readFile(`/proc/${mock.pid}/status`, "utf8").catch(() => "");
  const rss = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (rss) console.log(`nametag-mock RSS after the run: ${(Number(rss) / 1024).toFixed(0)} MB`);
  console.log(
    `pagination ratio (page of 50 from ${LONG} / page from 10 messages): ${(longResult.perSecond / shortResult.perSecond).toFixed(2)} (1.00 = a page costs the same however long the conversation; the first page carries 5x the bytes)`,
  );
  console.log(
    `pagination ratio, equal payload (page of 10 from ${LONG} / page from 10 messages): ${(longTenResult.perSecond / shortResult.perSecond).toFixed(2)}`,
  );
} finally {
  await mock.stop();
  rmSync(directory, { recursive: true, force: true });
}
