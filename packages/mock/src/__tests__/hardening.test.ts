// Mock hardening (issue 13): idempotent replays re-check identity, CORS reflects only allowed
// origins, /__mock/* is dev-only on loopback, deep JSON is a 400 that stores nothing, rate-limit
// windows are evicted, and unknown method/path pairs answer 405/404 as documented.
import { describe, expect, it } from "vitest";
import { createMockBackend, startMockServer } from "../index";
import { createRateLimiter } from "../rateLimit";
import { MAX_JSON_DEPTH } from "../readBody";
import type { Target } from "./harness";
import {
  API_KEY,
  JANE,
  TRANSPORTS,
  VISITOR,
  browser,
  link,
  proxy,
  server,
  useTarget,
} from "./harness";
import { userHash } from "./signing";

const SECRET = "hardening-secret";

describe.each(TRANSPORTS)("an idempotent replay re-checks the caller over %s", (transport) => {
  const target = useTarget(transport, { identitySecret: SECRET });
  const linkWith = (hash: string | undefined) =>
    target.call("POST", "/v1/identity", {
      headers: browser(VISITOR, undefined, { "idempotency-key": "link-once" }),
      body: { ...JANE, ...(hash === undefined ? {} : { userHash: hash }) },
    });

  it.each([
    ["a forged userHash", "ab".repeat(32)],
    ["another user's userHash", userHash(SECRET, "user_omar")],
    ["no userHash", undefined],
  ])("%s under the same key and body is 401, not a replay", async (_name, hash) => {
    const first = await linkWith(userHash(SECRET, "user_jane"));
    expect(first.status).toBe(200);
    const forged = await linkWith(hash);
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe("IDENTITY_VERIFICATION_FAILED");
    expect(forged.headers.get("idempotent-replayed")).toBeNull();
    // The genuine retry still replays.
    const retry = await linkWith(userHash(SECRET, "user_jane"));
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    const replays = target.backend.requests().filter((request) => request.replayed);
    expect(replays.length).toBe(1);
  });

  it("the same key from another user of the visitor is 422, never the first user's answer", async () => {
    await target.call("POST", "/v1/identity", { headers: proxy(VISITOR, "user_jane"), body: JANE });
    await target.call("POST", "/v1/identity", {
      headers: proxy("v_1700000000000_omarvisit", "user_omar"),
      body: { userId: "user_omar" },
    });
    const patch = (userId: string) =>
      target.call("PATCH", "/v1/identity", {
        headers: { ...proxy(VISITOR, userId), "idempotency-key": "patch-1" },
        body: { userMetadata: { theme: "dark" } },
      });
    const jane = await patch("user_jane");
    expect(jane.status).toBe(200);
    expect(jane.body.userId).toBe("user_jane");
    const omar = await patch("user_omar");
    expect(omar.status).toBe(422);
    expect(omar.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(JSON.stringify(omar.body)).not.toContain("Jane");
  });

  it("a browser's key is not replayed to its proxy, and the other way round", async () => {
    const headers = { "idempotency-key": "conv-1" };
    const first = await target.call("POST", "/v1/conversations", {
      headers: browser(VISITOR, undefined, headers),
      body: {},
    });
    expect(first.status).toBe(201);
    const proxied = await target.call("POST", "/v1/conversations", {
      headers: { ...proxy(), ...headers },
      body: {},
    });
    expect(proxied.status).toBe(422);
    expect(target.backend.store.conversations.length).toBe(1);
  });
});

describe.each(TRANSPORTS)("CORS and /__mock/* over %s", (transport) => {
  const target = useTarget(transport);
  const preflight = (origin: string, path = "/v1/identity") =>
    target.call("OPTIONS", path, {
      headers: { origin, "access-control-request-method": "POST" },
    });

  it.each([
    "http://localhost:5173",
    "http://127.0.0.1:3000",
    "https://localhost",
    "http://[::1]:8080",
  ])("reflects the local origin %s by default", async (origin) => {
    const reply = await preflight(origin);
    expect(reply.status).toBe(204);
    expect(reply.headers.get("access-control-allow-origin")).toBe(origin);
  });

  it.each(["https://evil.example", "http://localhost.evil.example", "null", "http://127.0.0.2"])(
    "gives %s no Access-Control-Allow-Origin, in a preflight or an answer",
    async (origin) => {
      const reply = await preflight(origin);
      expect(reply.headers.get("access-control-allow-origin")).toBeNull();
      expect(reply.headers.get("access-control-allow-credentials")).toBeNull();
      const answer = await target.call("GET", "/v1/conversations", {
        headers: { ...browser(), origin },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    },
  );

  it("never sends CORS headers on /__mock/*, even to a local origin", async () => {
    const store = await target.call("GET", "/__mock/store", {
      headers: { origin: "http://localhost:5173" },
    });
    expect(store.status).toBe(200);
    expect(store.headers.get("access-control-allow-origin")).toBeNull();
    const options = await preflight("http://localhost:5173", "/__mock/reset");
    expect(options.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses /__mock/* to a page from a foreign origin, and resets nothing", async () => {
    await link(target, JANE);
    const read = await target.call("GET", "/__mock/store", {
      headers: { origin: "https://evil.example" },
    });
    expect(read.status).toBe(403);
    expect(read.body.error.code).toBe("SCOPE_DENIED");
    expect(JSON.stringify(read.body)).not.toContain("utk_");
    const reset = await target.call("POST", "/__mock/reset", {
      headers: { origin: "https://evil.example" },
    });
    expect(reset.status).toBe(403);
    expect(target.backend.store.users.length).toBe(1);
  });

  it("answers /__mock/* to a loopback caller without an Origin", async () => {
    await link(target, JANE);
    const store = await target.call("GET", "/__mock/store");
    expect(store.status).toBe(200);
    expect(store.body.users.length).toBe(1);
  });
});

describe("corsOrigins", () => {
  const target = useTarget("http", { corsOrigins: ["https://app.example.com"] });

  it("reflects only the listed origins, not the local defaults", async () => {
    const allowed = await target.call("GET", "/v1/conversations", {
      headers: { ...browser(), origin: "https://app.example.com" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    const local = await target.call("GET", "/v1/conversations", {
      headers: { ...browser(), origin: "http://localhost:5173" },
    });
    expect(local.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses an entry that is not an origin", () => {
    expect(() => createMockBackend({ corsOrigins: ["https://app.example.com/"] })).toThrow(
      /corsOrigins entry "https:\/\/app\.example\.com\/" is not an origin/,
    );
    expect(() => createMockBackend({ corsOrigins: ["*"] })).toThrow(TypeError);
  });
});

describe("/__mock/* answers loopback peers only", () => {
  const adminRequest = (path: string, method = "GET") =>
    new Request(`http://nametag.test${path}`, { method });

  it.each(["203.0.113.9", "10.0.0.2", "::ffff:192.168.1.4", "fe80::1", ""])(
    "refuses %s and leaves the store alone",
    async (remoteAddress) => {
      const backend = createMockBackend();
      backend.store.createUser({ externalId: "user_jane" });
      const store = await backend.handle(adminRequest("/__mock/store"), { remoteAddress });
      expect(store.status).toBe(403);
      expect(await store.text()).not.toContain("utk_");
      const reset = await backend.handle(adminRequest("/__mock/reset", "POST"), { remoteAddress });
      expect(reset.status).toBe(403);
      expect(backend.store.users.length).toBe(1);
    },
  );

  it.each(["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])(
    "answers %s",
    async (remoteAddress) => {
      const backend = createMockBackend();
      const reply = await backend.handle(adminRequest("/__mock/requests"), { remoteAddress });
      expect(reply.status).toBe(200);
    },
  );

  it.each(["evil.example:4010", "evil.example", "127.0.0.1.nip.io", ""])(
    "refuses a loopback peer asking for host %s (DNS rebinding)",
    async (host) => {
      const backend = createMockBackend();
      backend.store.createUser({ externalId: "user_jane" });
      const reset = await backend.handle(adminRequest("/__mock/reset", "POST"), {
        remoteAddress: "127.0.0.1",
        host,
      });
      expect(reset.status).toBe(403);
      expect(backend.store.users.length).toBe(1);
    },
  );

  it.each(["localhost:4010", "127.0.0.1:4010", "[::1]:4010", "LOCALHOST"])(
    "answers a loopback peer asking for host %s",
    async (host) => {
      const backend = createMockBackend();
      const reply = await backend.handle(adminRequest("/__mock/requests"), {
        remoteAddress: "::1",
        host,
      });
      expect(reply.status).toBe(200);
    },
  );

  it("the node server passes the socket's address (a loopback test client is answered)", async () => {
    const mock = await startMockServer({ port: 0 });
    try {
      const reply = await fetch(`${mock.url}/__mock/requests`);
      expect(reply.status).toBe(200);
    } finally {
      await mock.close();
    }
  });
});

/** `{"a":{"a":…1…}}` with `levels` objects inside the body object. */
const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

describe.each(TRANSPORTS)("deeply nested JSON over %s", (transport) => {
  const target: Target = useTarget(transport);

  it("thousands of levels (about 18 KB) are a 400 with the envelope, and no user is stored", async () => {
    const body = `{"userId":"user_deep","userMetadata":${nested(3000)}}`;
    const reply = await target.call("POST", "/v1/identity", { headers: browser(), body });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({
      code: "BAD_REQUEST",
      details: { maxDepth: MAX_JSON_DEPTH },
    });
    expect(target.backend.store.users.length).toBe(0);
  });

  it("on server and admin routes too", async () => {
    const users = await target.call("POST", "/v1/users", {
      headers: server(),
      body: `{"userMetadata":${nested(3000)}}`,
    });
    expect(users.status).toBe(400);
    const faults = await target.call("POST", "/__mock/faults", { body: nested(3000) });
    expect(faults.status).toBe(400);
    expect(target.backend.store.users.length).toBe(0);
  });

  it(`${MAX_JSON_DEPTH} levels are accepted, ${MAX_JSON_DEPTH + 1} are not`, async () => {
    // The body object is level 1 and userMetadata level 2.
    const at = (levels: number) =>
      target.call("POST", "/v1/identity", {
        headers: browser(),
        body: `{"userId":"user_deep","userMetadata":${nested(levels - 1)}}`,
      });
    expect((await at(MAX_JSON_DEPTH + 1)).status).toBe(400);
    expect(target.backend.store.users.length).toBe(0);
    expect((await at(MAX_JSON_DEPTH)).status).toBe(200);
  });

  it("brackets inside strings do not count", async () => {
    const reply = await target.call("POST", "/v1/identity", {
      headers: browser(),
      body: JSON.stringify({ userId: "user_deep", userMetadata: { note: '{["\\'.repeat(200) } }),
    });
    expect(reply.status).toBe(200);
  });
});

describe("a failed link stores nothing", () => {
  it("the store's link step is atomic: metadata that cannot be copied creates no user", () => {
    const backend = createMockBackend();
    expect(() =>
      backend.store.linkVisitor(VISITOR, "user_jane", { userMetadata: { big: 10n } }),
    ).toThrow(TypeError);
    expect(backend.store.users.length).toBe(0);
  });
});

describe("rate-limit windows are evicted", () => {
  it("20,000 one-off visitors leave no window behind once their window has passed", () => {
    let now = 1_700_000_000_000;
    const limiter = createRateLimiter({ limit: 5, windowMs: 60_000 }, () => now);
    for (let index = 0; index < 20_000; index += 1) limiter.hit(`visitor:v_${index}`);
    expect(limiter.size()).toBe(20_000);
    now += 60_000;
    limiter.hit("visitor:late");
    expect(limiter.size()).toBe(1);
  });

  it("a window that has not ended is kept, so eviction never resets a limit early", () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 2, windowMs: 1000 }, () => now);
    limiter.hit("visitor:a");
    now = 600;
    limiter.hit("visitor:d");
    limiter.hit("visitor:d");
    now = 1000; // the sweep: a's window (0-1000) has ended, d's (600-1600) has not
    limiter.hit("visitor:b");
    expect(limiter.size()).toBe(2);
    expect(() => limiter.hit("visitor:d")).toThrow(/Too many requests/);
  });

  it("through the backend: the limit still answers 429 and then recovers", async () => {
    let now = 1_700_000_000_000;
    const backend = createMockBackend({ rateLimit: { limit: 1, windowMs: 1000 }, now: () => now });
    const call = () =>
      backend.handle(new Request("http://nametag.test/v1/conversations", { headers: browser() }));
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(429);
    now += 1000;
    expect((await call()).status).toBe(200);
  });
});

describe.each(TRANSPORTS)("unknown method/path pairs over %s", (transport) => {
  const target = useTarget(transport);

  it("a known path with another method is 405 with Allow", async () => {
    const reply = await target.call("DELETE", "/v1/identity", { headers: browser() });
    expect(reply.status).toBe(405);
    expect(reply.body.error.code).toBe("METHOD_NOT_ALLOWED");
    expect(reply.headers.get("allow")).toBe("POST, PATCH");
  });

  it("an unknown path is 404, whatever the method", async () => {
    for (const method of ["GET", "DELETE"]) {
      const reply = await target.call(method, "/v1/identities", { headers: server() });
      expect(reply.status).toBe(404);
      expect(reply.body.error.code).toBe("NOT_FOUND");
      expect(reply.headers.get("allow")).toBeNull();
    }
  });

  it("a parameter path lists every method it has in Allow", async () => {
    const reply = await target.call("PUT", "/v1/users/usr_1", {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(reply.status).toBe(405);
    expect(reply.headers.get("allow")).toBe("GET, PATCH, DELETE");
  });
});
