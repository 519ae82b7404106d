// The proxy tried from the attacker's side, against a real mock backend over HTTP: for each
// header and body field, what omitting, duplicating, forging or oversizing it gets.
import { createHmac } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ProxyStack } from "./proxyStack";
import {
  API_KEY,
  ATTACKER,
  IDENTITY_SECRET,
  JANE,
  OMAR,
  VISITOR,
  startProxyStack,
} from "./proxyStack";

const JANE_VISITOR = "v_1700000000002_jane00000";

let stack: ProxyStack;
beforeAll(async () => {
  stack = await startProxyStack({
    identitySecret: IDENTITY_SECRET,
    mockIdentitySecret: IDENTITY_SECRET,
  });
});
afterEach(() => stack.mock.backend.reset());
afterAll(() => stack.close());

/** Jane signs in, links her browser, opens a conversation and says hello; returns its id. */
async function janeChats(): Promise<string> {
  const link = await stack.browser("POST", "/v1/identity", {
    session: "sess_jane",
    visitorId: JANE_VISITOR,
    headers: { "idempotency-key": "link-jane-1" },
    body: { userId: JANE.userId, userMetadata: { plan: "enterprise" } },
  });
  expect(link.status).toBe(200);
  const created = await stack.browser("POST", "/v1/conversations", {
    session: "sess_jane",
    visitorId: JANE_VISITOR,
    body: {},
  });
  expect(created.status).toBe(201);
  const id = created.json.id as string;
  const sent = await stack.browser("POST", `/v1/conversations/${id}/messages`, {
    session: "sess_jane",
    visitorId: JANE_VISITOR,
    body: { text: "Hello" },
  });
  expect(sent.status).toBe(201);
  return id;
}

function janeToken(): string {
  const user = stack.mock.backend.store.findUserByExternalId(JANE.userId);
  if (!user) throw new Error("Jane has not been created");
  return user.token;
}

function messagesOf(conversationId: string): number {
  return stack.mock.backend.store.messagesOf(conversationId).length;
}

/** Every header a browser could use to claim someone else's identity or the server's scope. */
function forgedClaims(): Record<string, string> {
  return {
    authorization: `Bearer ${API_KEY}`,
    "x-user-token": stack.mock.backend.store.findUserByExternalId(JANE.userId)?.token ?? "utk_0",
    "x-nametag-user-id": JANE.userId,
    "x-nametag-user-hash": createHmac("sha256", IDENTITY_SECRET).update(JANE.userId).digest("hex"),
    "x-nametag-identity-token": "forged.jwt.token",
    cookie: "session=sess_nobody; next-auth.session-token=stolen",
    "x-forwarded-for": "10.0.0.1",
    forwarded: "for=10.0.0.1;host=internal",
  };
}

describe("the visitor id", () => {
  it.each([
    ["missing", null],
    ["malformed", "not-a-visitor"],
    ["over-long", `v_1700000000000_${"a".repeat(40)}`],
    ["with a CR/LF-free second value", `${VISITOR}, ${ATTACKER}`],
  ])("%s: 400 INVALID_VISITOR_ID and nothing is forwarded", async (_name, visitorId) => {
    await janeChats();
    const before = stack.forwarded().length;
    const response = await stack.browser("GET", "/v1/conversations", { visitorId });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: { code: "INVALID_VISITOR_ID", message: expect.any(String) },
    });
    expect(stack.forwarded().length - before).toBe(0);
  });

  it("sent twice (two header lines): refused, not forwarded", async () => {
    const response = await stack.browser("GET", "/v1/conversations", {
      visitorId: null,
      headers: { "x-nametag-visitor-id": [VISITOR, ATTACKER] },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe("INVALID_VISITOR_ID");
    expect(stack.forwarded()).toEqual([]);
  });

  it("left out on every browser route: never the account's data", async () => {
    const id = await janeChats();
    const before = stack.forwarded().length;
    for (const [method, path, body] of [
      ["GET", "/v1/conversations", undefined],
      ["POST", "/v1/conversations", {}],
      ["GET", `/v1/conversations/${id}`, undefined],
      ["GET", `/v1/conversations/${id}/messages`, undefined],
      ["POST", `/v1/conversations/${id}/messages`, { text: "hi" }],
    ] as const) {
      const response = await stack.browser(method, path, { visitorId: null, body });
      expect(response.status).toBe(400);
      expect(response.text).not.toContain(id);
    }
    expect(stack.forwarded().length - before).toBe(0);
    expect(messagesOf(id)).toBe(2);
  });
});

describe("signed out", () => {
  it("lists only this visitor's conversations, never another user's", async () => {
    const janes = await janeChats();
    const own = await stack.browser("POST", "/v1/conversations", { visitorId: ATTACKER, body: {} });
    expect(own.status).toBe(201);
    const listed = await stack.browser("GET", "/v1/conversations", { visitorId: ATTACKER });
    expect(listed.status).toBe(200);
    expect(listed.json.conversations.map((c: { id: string }) => c.id)).toEqual([own.json.id]);
    expect(listed.text).not.toContain(janes);
  });

  it("forged identity headers and cookies are dropped: Jane's data stays out of reach", async () => {
    const id = await janeChats();
    const forged = forgedClaims();
    const listed = await stack.browser("GET", "/v1/conversations", {
      visitorId: ATTACKER,
      headers: forged,
    });
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual({ conversations: [], nextCursor: null });

    const read = await stack.browser("GET", `/v1/conversations/${id}/messages`, {
      visitorId: ATTACKER,
      headers: forged,
    });
    expect(read.status).toBe(403);
    expect(read.json.error.code).toBe("SCOPE_DENIED");

    const posted = await stack.browser("POST", `/v1/conversations/${id}/messages`, {
      visitorId: ATTACKER,
      headers: forged,
      body: { text: "What plan am I on?" },
    });
    expect(posted.status).toBe(403);
    expect(posted.json.error.code).toBe("SCOPE_DENIED");
    expect(messagesOf(id)).toBe(2);
  });

  it("cannot identify (401) nor update metadata; nothing is forwarded", async () => {
    for (const [method, body] of [
      ["POST", { userId: JANE.userId }],
      ["PATCH", { userMetadata: { plan: "free" } }],
    ] as const) {
      const response = await stack.browser(method, "/v1/identity", {
        visitorId: ATTACKER,
        headers: forgedClaims(),
        body,
      });
      expect(response.status).toBe(401);
      expect(response.json.error.code).toBe("IDENTITY_VERIFICATION_FAILED");
    }
    expect(stack.forwarded()).toEqual([]);
    expect(stack.mock.backend.store.findUserByExternalId(JANE.userId)).toBeUndefined();
  });
});

describe("signed in as Omar", () => {
  it("Jane's conversation answers 403 SCOPE_DENIED on every route", async () => {
    const id = await janeChats();
    for (const [method, path, body] of [
      ["GET", `/v1/conversations/${id}`, undefined],
      ["GET", `/v1/conversations/${id}/messages`, undefined],
      ["POST", `/v1/conversations/${id}/messages`, { text: "hi" }],
    ] as const) {
      const response = await stack.browser(method, path, {
        session: "sess_omar",
        visitorId: ATTACKER,
        headers: { "x-nametag-user-id": JANE.userId },
        body,
      });
      expect(response.status).toBe(403);
      expect(response.json.error.code).toBe("SCOPE_DENIED");
    }
    const listed = await stack.browser("GET", "/v1/conversations", {
      session: "sess_omar",
      visitorId: ATTACKER,
    });
    expect(listed.json).toEqual({ conversations: [], nextCursor: null });
    expect(messagesOf(id)).toBe(2);
  });

  it("a link claiming Jane's userId is refused (403 IDENTITY_MISMATCH), nothing forwarded", async () => {
    const response = await stack.browser("POST", "/v1/identity", {
      session: "sess_omar",
      visitorId: ATTACKER,
      body: { userId: JANE.userId, userHash: "0".repeat(64) },
    });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe("IDENTITY_MISMATCH");
    expect(stack.forwarded()).toEqual([]);
  });

  it("a link without a userId links the session's user (the proxy signs the hash)", async () => {
    const response = await stack.browser("POST", "/v1/identity", {
      session: "sess_omar",
      visitorId: ATTACKER,
      body: { identityToken: "forged.jwt.token" },
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      userId: OMAR.userId,
      visitorId: ATTACKER,
      linkedConversationIds: [],
      labels: [],
      assignedAgent: null,
    });
    expect(stack.forwarded()).toEqual(["POST /v1/identity 200"]);
  });
});

describe("secrets in responses", () => {
  it("no user token and no API key in any proxied response of a whole session", async () => {
    const texts: string[] = [];
    const record = async (response: Promise<{ text: string; headers: object; status: number }>) => {
      const { text, headers } = await response;
      texts.push(text, JSON.stringify(headers));
    };
    await record(stack.browser("POST", "/v1/conversations", { visitorId: JANE_VISITOR, body: {} }));
    const id = await janeChats();
    for (const [method, path, body] of [
      ["GET", "/v1/conversations", undefined],
      ["POST", "/v1/conversations", { userId: "usr_someone" }],
      ["GET", `/v1/conversations/${id}`, undefined],
      ["GET", `/v1/conversations/${id}/messages`, undefined],
      ["POST", `/v1/conversations/${id}/messages`, { text: "my token?" }],
      ["PATCH", "/v1/identity", { userMetadata: { plan: "pro" } }],
    ] as const) {
      await record(
        stack.browser(method, path, { session: "sess_jane", visitorId: JANE_VISITOR, body }),
      );
    }
    const token = janeToken();
    expect(texts.length).toBe(14);
    expect(texts.filter((text) => text.includes(token))).toEqual([]);
    expect(texts.filter((text) => text.includes(API_KEY))).toEqual([]);
  });
});

describe("routes a browser may not reach", () => {
  it.each([
    ["GET", "/v1/users"],
    ["POST", "/v1/users"],
    ["GET", "/v1/users/usr_1"],
    ["DELETE", "/v1/users/usr_1"],
    ["GET", "/v1/users/usr_1/conversations"],
    ["GET", "/v1/contacts"],
    ["POST", "/v1/contacts"],
    ["GET", "/v1/attributes"],
    ["POST", "/v1/attributes"],
    ["GET", "/__mock/store"],
    ["POST", "/__mock/reset"],
    ["GET", "/v2/conversations"],
    ["GET", "/"],
  ])("%s %s: 404, not forwarded", async (method, path) => {
    const response = await stack.browser(method, path, {
      session: "sess_jane",
      ...(method === "POST" ? { body: {} } : {}),
    });
    expect(response.status).toBe(404);
    expect(response.json.error.code).toBe("NOT_FOUND");
    expect(stack.forwarded()).toEqual([]);
  });

  it.each([
    ["DELETE", "/v1/identity", "POST, PATCH"],
    ["GET", "/v1/identity", "POST, PATCH"],
    ["DELETE", "/v1/conversations/conv_1", "GET"],
    ["PUT", "/v1/conversations", "GET, POST"],
  ])("%s %s: 405 with Allow: %s, not forwarded", async (method, path, allow) => {
    const response = await stack.browser(method, path, { session: "sess_jane" });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe(allow);
    expect(response.json.error.code).toBe("METHOD_NOT_ALLOWED");
    expect(stack.forwarded()).toEqual([]);
  });

  it.each([
    "/api/nametag/v1/conversations/..%2Fusers",
    "/api/nametag/v1/conversations/%2e%2e/users",
    "/api/nametag/v1/conversations/%2E%2E%2Fusers",
    "/api/nametag/v1/conversations/../users",
    "/api/nametag/v1/conversations/%2e%2e/%2e%2e/%2e%2e/__mock/store",
    "/api/nametag//v1/conversations",
    "/api/nametag/v1//conversations",
    "/api/nametag/v1/conversations/conv_1%2Fmessages",
    "/api/nametag/v1/conversations/conv%00",
    "/api/nametag/v1/conversations/conv.1",
    `/api/nametag/v1/conversations/${"c".repeat(65)}`,
    "/api/nametag/v1/conversations/%63onv_1",
    "/api/nametagv1/conversations",
    "/v1/conversations",
  ])("path %s: refused, not forwarded", async (path) => {
    const response = await rawGet(path);
    expect(response.status).toBe(404);
    expect(stack.forwarded()).toEqual([]);
  });

  // Dot segments (also as %2e) are resolved by the URL parser before any Fetch handler sees the
  // path; what is left must still be a browser route, matched exactly.
  it("a path with dot segments is resolved first and must still be a browser route", async () => {
    const into = await rawGet("/api/nametag/v1/users/%2e%2e/conversations");
    expect(into.status).toBe(200);
    expect(into.json).toEqual({ conversations: [], nextCursor: null });
    const out = await rawGet("/api/nametag/v1/conversations/../../v1/users");
    expect(out.status).toBe(404);
    expect(stack.forwarded()).toEqual(["GET /v1/conversations 200"]);
  });

  async function rawGet(path: string) {
    const { rawRequest } = await import("./proxyStack");
    return rawRequest(stack.proxyUrl, {
      path,
      headers: { "x-nametag-visitor-id": VISITOR, cookie: "session=sess_jane" },
    });
  }
});

describe("query strings", () => {
  it("cursor and limit pass through on lists, validated", async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const created = await stack.browser("POST", "/v1/conversations", {
        visitorId: ATTACKER,
        body: {},
      });
      ids.push(created.json.id as string);
    }
    const first = await stack.browser("GET", "/v1/conversations?limit=2", { visitorId: ATTACKER });
    expect(first.status).toBe(200);
    expect(first.json.conversations.length).toBe(2);
    const cursor = first.json.nextCursor as string;
    expect(typeof cursor).toBe("string");
    const second = await stack.browser("GET", `/v1/conversations?limit=2&cursor=${cursor}`, {
      visitorId: ATTACKER,
    });
    expect(second.status).toBe(200);
    expect(second.json.nextCursor).toBeNull();
    const seen = [...first.json.conversations, ...second.json.conversations].map(
      (conversation: { id: string }) => conversation.id,
    );
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(stack.forwarded().slice(3)).toEqual([
      "GET /v1/conversations?limit=2 200",
      `GET /v1/conversations?limit=2&cursor=${cursor} 200`,
    ]);
  });

  it.each([
    "/v1/conversations?limit=0",
    "/v1/conversations?limit=101",
    "/v1/conversations?limit=1e2",
    "/v1/conversations?limit=1&limit=2",
    "/v1/conversations?userId=usr_1",
    "/v1/conversations?cursor=a%20b",
    `/v1/conversations?cursor=${"a".repeat(1025)}`,
    "/v1/conversations/conv_1?limit=1",
    "/v1/conversations/conv_1/messages?all=true",
  ])("%s: 400 VALIDATION_FAILED, not forwarded", async (path) => {
    const response = await stack.browser("GET", path, { visitorId: ATTACKER });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe("VALIDATION_FAILED");
    expect(stack.forwarded()).toEqual([]);
  });
});

describe("other headers", () => {
  it.each([
    ["an Idempotency-Key sent twice", { "idempotency-key": ["k1", "k2"] }, 400],
    ["an over-long Idempotency-Key", { "idempotency-key": "k".repeat(256) }, 400],
    ["a Content-Type sent twice", { "content-type": ["application/json", "text/plain"] }, 415],
    ["a non-JSON Content-Type", { "content-type": "text/plain" }, 415],
    ["a Content-Length that is not a number", { "content-length": "12, 12" }, 400],
  ])("%s: refused, not forwarded", async (_name, headers, status) => {
    const response = await stack.browser("POST", "/v1/conversations", {
      visitorId: ATTACKER,
      body: {},
      headers,
    });
    expect(response.status).toBe(status);
    expect(stack.forwarded()).toEqual([]);
  });
});

describe("a chat message equal to a secret", () => {
  it("comes back verbatim: no redaction oracle", async () => {
    const id = await janeChats();
    const sent = await stack.browser("POST", `/v1/conversations/${id}/messages`, {
      session: "sess_jane",
      visitorId: JANE_VISITOR,
      body: { text: API_KEY },
    });
    expect(sent.status).toBe(201);
    expect(sent.json.message.text).toBe(API_KEY);
    const read = await stack.browser("GET", `/v1/conversations/${id}/messages`, {
      session: "sess_jane",
      visitorId: JANE_VISITOR,
    });
    expect(read.json.messages.map((m: { text: string }) => m.text)).toContain(API_KEY);
  });
});

describe("sensitivePaths through the proxy", () => {
  it("reach the backend: a declared secret is not echoed nor quoted by the agent", async () => {
    const link = await stack.browser("POST", "/v1/identity", {
      session: "sess_omar",
      visitorId: ATTACKER,
      body: { userMetadata: { ssn: "123-45-6789", plan: "pro" }, sensitivePaths: ["/ssn"] },
    });
    expect(link.status).toBe(200);
    const updated = await stack.browser("PATCH", "/v1/identity", {
      session: "sess_omar",
      visitorId: ATTACKER,
      body: { userMetadata: { plan: "enterprise" } },
    });
    expect(updated.status).toBe(200);
    expect(updated.json.userMetadata.plan).toBe("enterprise");
    expect(updated.text).not.toContain("123-45-6789");
    const created = await stack.browser("POST", "/v1/conversations", {
      session: "sess_omar",
      visitorId: ATTACKER,
      body: {},
    });
    const sent = await stack.browser("POST", `/v1/conversations/${created.json.id}/messages`, {
      session: "sess_omar",
      visitorId: ATTACKER,
      body: { text: "What is my ssn?" },
    });
    expect(sent.status).toBe(201);
    expect(sent.text).not.toContain("123-45-6789");
    // The backend kept it (HTTP tools need it): only the browser-facing copies lose it.
    const omar = stack.mock.backend.store.findUserByExternalId(OMAR.userId);
    expect(omar?.userMetadata.ssn).toBe("123-45-6789");
  });
});
