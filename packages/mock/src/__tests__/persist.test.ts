// `--persist`: an append-only journal, fsync'd before the answer, that survives kill -9 and keeps
// serving (503) when it cannot be written.
import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MockStore, startMockServer } from "../index";
import type { MockServer } from "../index";
import { openPersistJournal, readJournal } from "../node/journal";

const bin = inject("nametagMockBin");
const API_KEY = "sk_persist";
const server = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "nametag-persist-"));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = server,
) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

/** Every kind of change the store has, through the API. */
async function exerciseEveryChange(mock: MockServer, afterEach: () => void) {
  const visitor = {
    "x-nametag-visitor-id": "v_1700000000000_persist1",
    "content-type": "application/json",
  };
  const steps: [string, string, unknown?, Record<string, string>?][] = [
    ["POST", "/v1/conversations", {}, visitor],
    [
      "POST",
      "/v1/identity",
      { userId: "jane", userMetadata: { name: "Jane", plan: "pro" }, labels: ["vip"] },
      { ...visitor, "idempotency-key": "link-1" },
    ],
    [
      "PATCH",
      "/v1/identity",
      { userMetadata: { plan: "enterprise" } },
      { ...visitor, "x-nametag-user-id": "jane" },
    ],
    ["POST", "/v1/users", { externalId: "omar", userMetadata: { plan: "free" } }],
    ["POST", "/v1/conversations", { agent: "support" }],
    ["POST", "/v1/attributes", { name: "seats", type: "number" }],
    [
      "POST",
      "/v1/contacts",
      {
        users: [{ external_id: "omar", custom_attributes: { seats: 3 } }, { external_id: "jane" }],
      },
    ],
  ];
  for (const [method, path, body, headers] of steps) {
    const reply = await call(mock.url, method, path, body, headers);
    expect(reply.status, `${method} ${path}`).toBeLessThan(300);
    afterEach();
  }
  const omar = mock.backend.store.findUserByExternalId("omar")!;
  const conversation = await call(mock.url, "POST", "/v1/conversations", {
    agent: "support",
    userId: omar.id,
  });
  afterEach();
  for (const text of ["one", "two"]) {
    expect(
      (await call(mock.url, "POST", `/v1/conversations/${conversation.body.id}/messages`, { text }))
        .status,
    ).toBe(201);
    afterEach();
  }
  const patched = await call(mock.url, "PATCH", `/v1/users/${omar.id}`, {
    labels: ["beta"],
    userMetadata: { plan: null },
  });
  expect(patched.status).toBe(200);
  afterEach();
  const anonymous = await call(mock.url, "POST", "/v1/conversations", { agent: "support" });
  const deleted = await call(mock.url, "DELETE", `/v1/users/${anonymous.body.user.id}`);
  expect(deleted.status).toBe(200);
  afterEach();
}

describe("--persist journal", () => {
  it("holds every acknowledged change on disk the moment it is answered, and restarts into the same store", async () => {
    const file = join(directory, "every-change.jsonl");
    const first = await startMockServer({ port: 0, apiKey: API_KEY, persist: file });
    let checked = 0;
    await exerciseEveryChange(first, () => {
      // Read the file as a restart would, while the server still runs: nothing is only in memory.
      expect(readJournal(fs, file)).toEqual(first.backend.store.toJSON());
      checked += 1;
    });
    expect(checked).toBe(12);
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(JSON.parse(lines[0]!).op).toBe("snapshot");
    expect(lines.length).toBeGreaterThan(12); // appended, not rewritten
    const before = first.backend.store.toJSON();
    await first.close();

    const second = await startMockServer({ port: 0, apiKey: API_KEY, persist: file });
    expect(second.backend.store.toJSON()).toEqual(before);
    // Ids continue where they stopped: the next user is not a duplicate of an old one.
    const next = await call(second.url, "POST", "/v1/users", { externalId: "after_restart" });
    expect(before.users.map((user) => user.id)).not.toContain(next.body.id);
    await second.close();
  });

  it("compacts the journal into one snapshot as it grows, losing nothing", () => {
    const file = join(directory, "compact.jsonl");
    const store = new MockStore();
    const journal = openPersistJournal(fs, store, file, { compactBytes: 4096 });
    const user = store.createUser({ externalId: "talker" });
    const conversation = store.createConversation(user.id, "support");
    let flushes = 0;
    const flushAll = async () => {
      for (let index = 0; index < 200; index += 1) {
        store.addMessage(conversation.id, "user", `message ${index} ${"x".repeat(40)}`);
        await journal.flush();
        flushes += 1;
      }
    };
    return flushAll().then(() => {
      expect(flushes).toBe(200);
      expect(journal.stats().compactions).toBeGreaterThan(2);
      // Compacted: far fewer lines than the 200 messages and their conversation updates.
      expect(readFileSync(file, "utf8").trim().split("\n").length).toBeLessThan(200);
      expect(readJournal(fs, file)).toEqual(store.toJSON());
      expect(readJournal(fs, file).messages).toHaveLength(200);
      journal.close();
    });
  });

  it("drops a last line cut short by a crash, and refuses a corrupt line in the middle", () => {
    const file = join(directory, "torn.jsonl");
    const store = new MockStore();
    const journal = openPersistJournal(fs, store, file);
    store.createUser({ externalId: "kept" });
    journal.close();
    writeFileSync(
      file,
      `${readFileSync(file, "utf8")}{"op":"put","collection":"users","key":"usr_x","val`,
    );
    const restored = new MockStore();
    openPersistJournal(fs, restored, file).close();
    expect(restored.users.map((user) => user.externalId)).toEqual(["kept"]);

    writeFileSync(file, `${readFileSync(file, "utf8")}garbage\n{"op":"reset","counter":0}\n`);
    expect(() => readJournal(fs, file)).toThrow(/line 2 of .* is not a journal entry/);
  });

  it("loads a store file written before the journal (one JSON snapshot)", () => {
    const file = join(directory, "legacy.json");
    const old = new MockStore();
    old.createUser({ externalId: "legacy_user" });
    writeFileSync(file, JSON.stringify(old.toJSON()));
    const store = new MockStore();
    openPersistJournal(fs, store, file).close();
    expect(store.findUserByExternalId("legacy_user")?.externalId).toBe("legacy_user");
  });

  it("answers 503 with the envelope when the journal cannot be written, keeps serving, and loses no acknowledged write", async () => {
    const folder = join(directory, "removable");
    fs.mkdirSync(folder);
    const file = join(folder, "store.jsonl");
    const mock = await startMockServer({ port: 0, apiKey: API_KEY, persist: file });
    expect((await call(mock.url, "POST", "/v1/users", { externalId: "before" })).status).toBe(201);

    rmSync(folder, { recursive: true, force: true });
    const failed = await call(
      mock.url,
      "POST",
      "/v1/users",
      { externalId: "during" },
      { ...server, "idempotency-key": "during-1" },
    );
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe("UNAVAILABLE");
    expect(failed.body.error.message).toContain("--persist journal");
    expect(failed.headers.get("x-request-id")).toMatch(/^req_/);
    expect(failed.headers.get("retry-after")).toBe("1");
    // Still serving: reads answer, and another failed write answers 503 again (no crash).
    expect((await call(mock.url, "GET", "/v1/users/external/before")).status).toBe(200);
    expect((await call(mock.url, "POST", "/v1/users", { externalId: "during2" })).status).toBe(503);

    fs.mkdirSync(folder);
    const retried = await call(
      mock.url,
      "POST",
      "/v1/users",
      { externalId: "during" },
      { ...server, "idempotency-key": "during-1" },
    );
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    await mock.close();

    const restarted = await startMockServer({ port: 0, apiKey: API_KEY, persist: file });
    const externalIds = restarted.backend.store.users.map((user) => user.externalId).sort();
    expect(externalIds).toEqual(["before", "during", "during2"]);
    await restarted.close();
  });
});

function startBin(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, [bin, "--port", "0", ...args]);
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += String(chunk);
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve({ child, url: match[1] as string });
    });
    child.stderr.on("data", (chunk: Buffer) => (output += String(chunk)));
    child.once("exit", (code) => reject(new Error(`nametag-mock exited with ${code}: ${output}`)));
  });
}

function stop(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners("exit");
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

describe("nametag-mock --persist under kill -9", () => {
  it("loses no acknowledged write", async () => {
    const file = join(directory, "kill9.jsonl");
    const args = ["--api-key", API_KEY, "--persist", file];
    const first = await startBin(args);
    const acknowledged: string[] = [];
    let sent = 0;
    let killed = false;
    // Eight writers in flight at once; kill -9 lands while several are unanswered.
    const writer = async () => {
      while (!killed) {
        const externalId = `user_${(sent += 1)}`;
        try {
          const reply = await fetch(`${first.url}/v1/users`, {
            method: "POST",
            headers: server,
            body: JSON.stringify({ externalId }),
          });
          if (reply.status === 201) acknowledged.push(externalId);
          if (acknowledged.length >= 150 && !killed) {
            killed = true;
            await stop(first.child, "SIGKILL");
          }
        } catch {
          // The connection died with the process: this write was never acknowledged.
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, writer));
    expect(first.child.signalCode).toBe("SIGKILL");
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);

    const second = await startBin(args);
    const missing: string[] = [];
    for (const externalId of acknowledged) {
      const reply = await fetch(`${second.url}/v1/users/external/${externalId}`, {
        headers: server,
      });
      if (reply.status !== 200) missing.push(externalId);
    }
    expect(missing).toEqual([]);
    await stop(second.child, "SIGTERM");
  });
});

describe("nametag-mock --agent", () => {
  it("runs the named agents beside support; an agent not named answers 404 AGENT_NOT_FOUND", async () => {
    const browser = {
      "x-nametag-visitor-id": "v_1700000000000_agentsx",
      "content-type": "application/json",
    };
    const plain = await startBin([]);
    const before = await call(
      plain.url,
      "POST",
      "/v1/conversations",
      { agent: "my_agent" },
      browser,
    );
    expect(before.body.error.code).toBe("AGENT_NOT_FOUND");
    await stop(plain.child, "SIGTERM");

    const mock = await startBin([
      "--api-key",
      API_KEY,
      "--agent",
      "my_agent",
      "--agent",
      "billing",
    ]);
    for (const agent of ["my_agent", "billing", "support"]) {
      const reply = await call(mock.url, "POST", "/v1/conversations", { agent }, browser);
      expect({ agent, status: reply.status, body: reply.body.agent }).toEqual({
        agent,
        status: 201,
        body: agent,
      });
    }
    const unknown = await call(mock.url, "POST", "/v1/conversations", { agent: "sales" }, browser);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.details.agents).toEqual(["support", "my_agent", "billing"]);
    const sessionReply = await call(
      mock.url,
      "POST",
      "/v1/conversations",
      { agent: "my_agent" },
      server,
    );
    expect(sessionReply.status).toBe(201);
    await stop(mock.child, "SIGTERM");
  });

  it("refuses an agent name that is not an id", async () => {
    const child = spawn(process.execPath, [bin, "--agent", "no spaces"]);
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += String(chunk)));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("--agent needs a name");
  });
});
