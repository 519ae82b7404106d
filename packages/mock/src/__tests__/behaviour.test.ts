import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createMockBackend, startMockServer } from "../index";
import type { MockBackend } from "../index";
import type { Case, Target, Transport } from "./harness";
import {
  API_KEY,
  JANE,
  OTHER_VISITOR,
  TRANSPORTS,
  VISITOR,
  browser,
  browserConversation,
  link,
  runCases,
  server,
  useTarget,
} from "./harness";

const crossCuttingCases: Case[] = [
  {
    name: "CORS preflight answers 204 and reflects the Origin",
    request: () => ({
      method: "OPTIONS",
      path: "/v1/identity",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
    }),
    status: 204,
    check: (reply) => {
      expect(reply.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
      expect(reply.headers.get("access-control-allow-headers")).toContain("x-nametag-visitor-id");
      expect(reply.headers.get("access-control-allow-headers")).toContain("idempotency-key");
      expect(reply.headers.get("access-control-expose-headers")).toContain("x-request-id");
    },
  },
  {
    name: "CORS headers are on errors too",
    request: () => ({
      method: "GET",
      path: "/v1/nowhere",
      headers: { origin: "http://localhost:3000" },
    }),
    status: 404,
    code: "NOT_FOUND",
    check: (reply) =>
      expect(reply.headers.get("access-control-allow-origin")).toBe("http://localhost:3000"),
  },
  {
    name: "an unknown route outside /v1 is 404",
    request: () => ({ method: "GET", path: "/" }),
    status: 404,
    code: "NOT_FOUND",
  },
  {
    name: "injected faults answer their status, then the backend recovers",
    setup: async (target) => {
      await target.call("POST", "/__mock/faults", {
        body: { status: 503, count: 2, method: "POST", path: "/v1/identity" },
      });
      const first = await target.call("POST", "/v1/identity", { headers: browser(), body: JANE });
      const second = await target.call("POST", "/v1/identity", { headers: browser(), body: JANE });
      return {
        statuses: [first.status, second.status],
        codes: [first.body.error.code, second.body.error.code],
      };
    },
    request: () => ({ method: "POST", path: "/v1/identity", headers: browser(), body: JANE }),
    status: 200,
    check: async (_reply, vars, target) => {
      expect(vars.statuses).toEqual([503, 503]);
      expect(vars.codes).toEqual(["UNAVAILABLE", "UNAVAILABLE"]);
      const log = await target.call("GET", "/__mock/requests");
      expect(log.body.requests.map((entry: { status: number }) => entry.status)).toEqual([
        503, 503, 200,
      ]);
      expect(target.backend.store.users).toHaveLength(1);
    },
  },
  {
    name: "the request log records idempotency keys and replays",
    setup: async (target) => {
      const headers = browser(VISITOR, undefined, { "idempotency-key": "k-1" });
      await target.call("POST", "/v1/identity", { headers, body: JANE });
      await target.call("POST", "/v1/identity", { headers, body: JANE });
      return {};
    },
    request: () => ({ method: "GET", path: "/__mock/requests" }),
    status: 200,
    check: (reply) =>
      expect(reply.body.requests).toEqual([
        expect.objectContaining({
          method: "POST",
          path: "/v1/identity",
          status: 200,
          idempotencyKey: "k-1",
          replayed: false,
        }),
        expect.objectContaining({
          method: "POST",
          path: "/v1/identity",
          status: 200,
          idempotencyKey: "k-1",
          replayed: true,
        }),
      ]),
  },
  {
    name: "POST /__mock/reset empties the store",
    setup: async (target) => link(target, JANE),
    request: () => ({ method: "POST", path: "/__mock/reset" }),
    status: 200,
    check: (_reply, _vars, target) => expect(target.backend.store.users).toEqual([]),
  },
  {
    name: "a bad fault is a 400",
    request: () => ({ method: "POST", path: "/__mock/faults", body: { status: 200 } }),
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "an unknown admin route is 404",
    request: () => ({ method: "GET", path: "/__mock/nothing" }),
    status: 404,
    code: "NOT_FOUND",
  },
];

describe.each(TRANSPORTS)("cross-cutting behaviour over %s", (transport) => {
  const target = useTarget(transport);
  runCases(target, crossCuttingCases);

  it("runs two concurrent requests with one Idempotency-Key once", async () => {
    const headers = browser(VISITOR, undefined, { "idempotency-key": "same" });
    const replies = await Promise.all([
      target.call("POST", "/v1/conversations", { headers, body: {} }),
      target.call("POST", "/v1/conversations", { headers, body: {} }),
    ]);
    expect(replies.map((reply) => reply.status)).toEqual([201, 201]);
    expect(replies[0]?.body).toEqual(replies[1]?.body);
    expect(target.backend.store.conversations).toHaveLength(1);
  });

  it("lets a corrected retry reuse the key of a failed request", async () => {
    const headers = browser(VISITOR, undefined, { "idempotency-key": "retry" });
    const failed = await target.call("POST", "/v1/identity", {
      headers,
      body: { userId: "bad id" },
    });
    const fixed = await target.call("POST", "/v1/identity", { headers, body: JANE });
    expect([failed.status, fixed.status]).toEqual([400, 200]);
  });

  it("scopes Idempotency-Keys per visitor", async () => {
    const key = { "idempotency-key": "shared" };
    await target.call("POST", "/v1/conversations", {
      headers: browser(VISITOR, undefined, key),
      body: {},
    });
    const other = await target.call("POST", "/v1/conversations", {
      headers: browser(OTHER_VISITOR, undefined, key),
      body: {},
    });
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    expect(target.backend.store.conversations).toHaveLength(2);
  });
});

describe.each(TRANSPORTS)("rate limiting over %s", (transport) => {
  let clock = 1_700_000_000_000;
  const target = useTarget(transport, {
    rateLimit: { limit: 2, windowMs: 10_000 },
    now: () => clock,
  });

  it("answers 429 with Retry-After over the limit, per caller, until the window ends", async () => {
    const call = (visitorId = VISITOR) =>
      target.call("GET", "/v1/conversations", { headers: browser(visitorId) });
    const statuses = [(await call()).status, (await call()).status];
    const limited = await call();
    expect(statuses).toEqual([200, 200]);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    expect(limited.headers.get("retry-after")).toBe("10");
    expect((await call(OTHER_VISITOR)).status).toBe(200);
    clock += 4_000;
    expect((await call()).headers.get("retry-after")).toBe("6");
    clock += 6_000;
    expect((await call()).status).toBe(200);
  });
});

describe("latency", () => {
  it("holds every answer for latencyMs", async () => {
    vi.useFakeTimers();
    const backend = createMockBackend({ latencyMs: 100 });
    let settled = false;
    const pending = backend
      .handle(new Request("http://nametag.test/v1/conversations", { headers: browser() }))
      .then((response) => {
        settled = true;
        return response;
      });
    await vi.advanceTimersByTimeAsync(99);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).status).toBe(200);
    vi.useRealTimers();
  });
});

function directTarget(transport: Transport, url: string, backend: MockBackend): Target {
  return {
    transport,
    url,
    backend,
    async call(method, path, options = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: options.headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: text ? JSON.parse(text) : undefined,
      };
    },
  };
}

describe("the two transports agree", () => {
  // The same script against a fresh backend of each kind; ids are deterministic, so the answers
  // must match exactly once timestamps and request ids are masked.
  async function script(target: Target) {
    const replies = [];
    const conversation = await browserConversation(target);
    replies.push(conversation);
    replies.push(
      (await target.call("POST", "/v1/identity", { headers: browser(), body: JANE })).body,
    );
    replies.push(
      (
        await target.call("POST", `/v1/conversations/${conversation.id}/messages`, {
          headers: browser(VISITOR, "user_jane"),
          body: { text: "hi" },
        })
      ).body,
    );
    replies.push(
      (await target.call("GET", "/v1/users/external/user_jane", { headers: server() })).body,
    );
    replies.push(
      (await target.call("POST", "/v1/contacts", { headers: server(), body: { users: "x" } })).body,
    );
    replies.push((await target.call("DELETE", "/v1/identity", { headers: browser() })).body);
    return JSON.parse(JSON.stringify(replies).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<time>"));
  }

  it("answers the same script identically", async () => {
    // Sequentially: a listening MSW server would also intercept the fetches to the real socket.
    const server = await startMockServer({ port: 0, apiKey: API_KEY });
    const overHttp = await script(directTarget("http", server.url, server.backend));
    await server.close();

    const backend = createMockBackend({ apiKey: API_KEY });
    const mswServer = setupServer(...backend.handlers);
    mswServer.listen({ onUnhandledRequest: "error" });
    const overMsw = await script(directTarget("msw", "http://nametag.test", backend)).finally(() =>
      mswServer.close(),
    );

    expect(overHttp).toEqual(overMsw);
    expect(overMsw[2].reply.text).toContain("Hi Jane!");
  });
});

describe("startMockServer", () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), "nametag-mock-"));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("persists the store across a restart", async () => {
    const file = join(directory, "store.json");
    const first = await startMockServer({ port: 0, apiKey: API_KEY, persist: file });
    const created = await fetch(`${first.url}/v1/users`, {
      method: "POST",
      headers: { ...server(), "content-type": "application/json" },
      body: JSON.stringify({ externalId: "alice" }),
    }).then((response) => response.json());
    await first.close();
    // The journal: a snapshot line, then one line per change.
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines[0].op).toBe("snapshot");
    expect(lines.filter((line) => line.op === "put" && line.collection === "users")).toHaveLength(
      1,
    );

    const second = await startMockServer({ port: 0, apiKey: API_KEY, persist: file });
    const again = await fetch(`${second.url}/v1/users/external/alice`, { headers: server() }).then(
      (response) => response.json(),
    );
    expect(again).toEqual(created);
    const next = await fetch(`${second.url}/v1/users`, { method: "POST", headers: server() }).then(
      (response) => response.json(),
    );
    expect(next.id).not.toBe(created.id);
    await second.close();
  });

  it("refuses to start from a corrupt persist file, naming it, and leaves it as it was", async () => {
    const file = join(directory, "corrupt.json");
    writeFileSync(file, "{ not json");
    await expect(startMockServer({ port: 0, persist: file })).rejects.toThrow(
      /line 1 of .*corrupt\.json is not a journal entry/,
    );
    expect(readFileSync(file, "utf8")).toBe("{ not json");
  });

  it("answers a body over the limit with 413 over a real socket", async () => {
    const mock = await startMockServer({ port: 0 });
    const response = await fetch(`${mock.url}/v1/identity`, {
      method: "POST",
      headers: browser(),
      body: "x".repeat(2 * 1024 * 1024),
    });
    expect(response.status).toBe(413);
    await mock.close();
  });
});

describe("createMockBackend", () => {
  it("serves a base URL with a path, as a host proxy route would", async () => {
    const backend = createMockBackend({ baseUrl: "http://localhost:3000/api/nametag" });
    const mswServer = setupServer(...backend.handlers);
    mswServer.listen({ onUnhandledRequest: "error" });
    try {
      const response = await fetch("http://localhost:3000/api/nametag/v1/conversations", {
        headers: browser(),
      });
      expect(response.status).toBe(200);
      expect(backend.requests()[0]?.path).toBe("/v1/conversations");
    } finally {
      mswServer.close();
    }
  });

  it("refuses a defaultAgent it does not run", () => {
    expect(() =>
      createMockBackend({ agents: { sales: () => "hi" }, defaultAgent: "support" }),
    ).toThrow(/defaultAgent/);
  });

  it("turns a throwing agent into a 500 envelope that names the agent", async () => {
    const backend = createMockBackend({
      agents: {
        support: () => {
          throw new Error("boom");
        },
      },
    });
    const created = await backend.handle(
      new Request("http://nametag.test/v1/conversations", { method: "POST", headers: browser() }),
    );
    const { id } = (await created.json()) as { id: string };
    const response = await backend.handle(
      new Request(`http://nametag.test/v1/conversations/${id}/messages`, {
        method: "POST",
        headers: browser(),
        body: JSON.stringify({ text: "hi" }),
      }),
    );
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      '"support" threw: boom',
    );
  });

  it("gives a custom agent only the sanitized identity", async () => {
    const seen: unknown[] = [];
    const backend = createMockBackend({
      agents: { support: (context) => (seen.push(context.user), "ok") },
    });
    const call = (path: string, body: unknown, userId?: string) =>
      backend.handle(
        new Request(`http://nametag.test${path}`, {
          method: "POST",
          headers: browser(VISITOR, userId),
          body: JSON.stringify(body),
        }),
      );
    await call("/v1/identity", JANE);
    const { id } = (await (await call("/v1/conversations", {}, "user_jane")).json()) as {
      id: string;
    };
    await call(`/v1/conversations/${id}/messages`, { text: "hi" }, "user_jane");
    expect(seen).toEqual([
      {
        userId: "user_jane",
        userMetadata: {
          name: "Jane Smith",
          email: "jane@example.com",
          plan: "enterprise",
          company: "Acme Inc",
        },
      },
    ]);
  });

  it("store.load refuses something that is not a snapshot", () => {
    expect(() => createMockBackend().store.load({ users: [] })).toThrow(
      /not a nametag-mock store snapshot/,
    );
  });
});
