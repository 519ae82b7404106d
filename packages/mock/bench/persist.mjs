#!/usr/bin/env node
// Bench (prints, never gates): messages/s sent to nametag-mock with --persist (the fsync'd journal)
// as a ratio to the in-memory mock, both holding a ~0.4 MB store first. Target ≥ 0.5. Bounded:
// ~10 s. Needs dist/ (build @nametag/mock first). Usage: node bench/persist.mjs [seconds per run]
import http from "node:http";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { format, load, request, startMock } from "./load.mjs";

const SECONDS = Number(process.argv[2] ?? 3);
const CONNECTIONS = 8;
const API_KEY = "sk_bench";
const server = { authorization: `Bearer ${API_KEY}` };

async function measure(args, label) {
  const mock = await startMock(["--api-key", API_KEY, ...args]);
  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const user = await request(agent, mock.url, "POST", "/v1/users", server, {
      externalId: "bench_user",
      userMetadata: { name: "Bench", plan: "pro" },
    });
    const conversation = await request(agent, mock.url, "POST", "/v1/conversations", server, {
      agent: "support",
      userId: user.body.id,
    });
    // Seed ~0.4 MB: 700 sends (a message and a reply each) in another conversation.
    const seed = await request(agent, mock.url, "POST", "/v1/conversations", server, {
      agent: "support",
      userId: user.body.id,
    });
    for (let batch = 0; batch < 700; batch += 50)
      await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          request(agent, mock.url, "POST", `/v1/conversations/${seed.body.id}/messages`, server, {
            text: `seed message ${batch + index} ${"lorem ipsum ".repeat(12)}`,
          }),
        ),
      );
    const storeBytes = (await request(agent, mock.url, "GET", "/__mock/store")).bytes;
    agent.destroy();
    const result = await load({
      url: mock.url,
      seconds: SECONDS,
      connections: CONNECTIONS,
      makeRequest: (index) => ({
        method: "POST",
        path: `/v1/conversations/${conversation.body.id}/messages`,
        headers: { ...server, "idempotency-key": `bench-${label}-${index}` },
        body: { text: `message ${index}` },
        expect: 201,
      }),
    });
    console.log(`${label.padEnd(10)} store ${(storeBytes / 1e6).toFixed(2)} MB: ${format(result)}`);
    return result;
  } finally {
    await mock.stop();
  }
}

const directory = mkdtempSync(join(tmpdir(), "nametag-bench-"));
try {
  const memory = await measure([], "in-memory");
  const file = join(directory, "store.jsonl");
  const persisted = await measure(["--persist", file], "--persist");
  console.log(`journal after the run: ${(statSync(file).size / 1e6).toFixed(2)} MB`);
  console.log(
    `persist ratio (--persist / in-memory messages/s): ${(persisted.perSecond / memory.perSecond).toFixed(2)} (target ≥ 0.5)`,
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
}
