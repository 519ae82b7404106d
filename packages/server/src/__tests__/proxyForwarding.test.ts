// What the proxy sends to the backend and what it passes back, byte for byte, against a scripted
// backend that records every request and answers what each test writes (including answers a
// correct backend never gives: echoed secrets, malformed bodies, silence).
import { createHmac } from "node:crypto";
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { NametagProxyOptions } from "../index";
import { createNametagProxy, toNodeHandler } from "../index";
import type { RecordedRequest } from "./proxyStack";
import {
  API_KEY,
  IDENTITY_SECRET,
  JANE,
  VISITOR,
  listen,
  rawRequest,
  sendJson,
  sessionOf,
  startScriptedBackend,
} from "./proxyStack";

const CONVERSATION = {
  id: "conv_suite42",
  agent: "support",
  userId: "usr_1",
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};
const MESSAGE = {
  id: "msg_1",
  conversationId: "conv_suite42",
  role: "user",
  text: "Hello",
  createdAt: "2026-01-01T00:00:00.000Z",
};

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** A scripted backend and a proxy in front of it; `call` sends a raw browser request. */
async function bench(
  respond: (request: RecordedRequest, res: ServerResponse) => void,
  proxyOptions: Partial<NametagProxyOptions> = {},
) {
  const backend = await startScriptedBackend(respond);
  cleanups.push(backend.close);
  const proxy = createNametagProxy({
    apiUrl: backend.url,
    apiKey: API_KEY,
    getUser: sessionOf,
    ...proxyOptions,
  });
  const server = await listen(toNodeHandler(proxy));
  cleanups.push(server.close);
  function call(
    method: string,
    path: string,
    options: {
      headers?: Record<string, string | string[]>;
      body?: unknown;
      stall?: boolean;
      signal?: AbortSignal;
    } = {},
  ) {
    const headers: Record<string, string | string[]> = {
      "x-nametag-visitor-id": VISITOR,
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...options.headers,
    };
    return rawRequest(server.url, {
      method,
      path: `/api/nametag${path}`,
      headers,
      ...(options.body === undefined
        ? {}
        : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
      ...(options.stall ? { stall: true } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
  return { received: backend.received, call };
}

const FORGED = {
  authorization: `Bearer ${API_KEY}`,
  "x-user-token": "utk_stolen",
  "x-nametag-user-id": "user_omar",
  "x-nametag-user-hash": "0".repeat(64),
  "x-nametag-identity-token": "forged.jwt.token",
  cookie: "next-auth.session-token=stolen",
  "x-forwarded-for": "10.0.0.1",
  "x-forwarded-host": "internal",
  forwarded: "for=10.0.0.1",
  origin: "https://evil.example",
  "x-api-key": API_KEY,
};

/** Headers the Node fetch client itself adds to every request. */
const TRANSPORT = new Set([
  "host",
  "connection",
  "content-length",
  "user-agent",
  "accept-encoding",
  "accept-language",
  "sec-fetch-mode",
  "transfer-encoding",
]);

function forwardedHeaders(request: RecordedRequest | undefined): Record<string, unknown> {
  if (!request) throw new Error("nothing was forwarded");
  return Object.fromEntries(
    Object.entries(request.headers).filter(([name]) => !TRANSPORT.has(name)),
  );
}

describe("headers sent to the backend", () => {
  it("signed out: the proxy scheme and the visitor id only; every forged claim is dropped", async () => {
    const { received, call } = await bench((_request, res) =>
      sendJson(res, 200, { conversations: [] }),
    );
    const response = await call("GET", "/v1/conversations", {
      headers: { ...FORGED, accept: "application/json" },
    });
    expect(response.status).toBe(200);
    expect(received.length).toBe(1);
    expect(forwardedHeaders(received[0])).toEqual({
      authorization: `NametagProxy ${API_KEY}`,
      "x-nametag-visitor-id": VISITOR,
      accept: "application/json",
    });
  });

  it("signed in: the user id from getUser and its hash signed with the identity secret", async () => {
    const { received, call } = await bench(
      (_request, res) => sendJson(res, 200, { conversations: [] }),
      { identitySecret: IDENTITY_SECRET },
    );
    await call("GET", "/v1/conversations", {
      headers: { ...FORGED, cookie: "session=sess_jane", "idempotency-key": "key-1" },
    });
    expect(forwardedHeaders(received[0])).toEqual({
      authorization: `NametagProxy ${API_KEY}`,
      "x-nametag-visitor-id": VISITOR,
      "x-nametag-user-id": JANE.userId,
      "x-nametag-user-hash": createHmac("sha256", IDENTITY_SECRET)
        .update(JANE.userId)
        .digest("hex"),
      "idempotency-key": "key-1",
      accept: "*/*",
    });
  });
});

describe("bodies sent to the backend", () => {
  it("a link: userId from the session, the page's credentials and unknown fields dropped, sensitivePaths kept", async () => {
    const { received, call } = await bench((_request, res) =>
      sendJson(res, 200, {
        userId: JANE.userId,
        visitorId: VISITOR,
        linkedConversationIds: [],
        labels: [],
        assignedAgent: null,
      }),
    );
    const response = await call("POST", "/v1/identity", {
      headers: { cookie: "session=sess_jane" },
      body: {
        userMetadata: { plan: "free", ssn: "123-45-6789" },
        sensitivePaths: ["/ssn"],
        userHash: "0".repeat(64),
        identityToken: "forged.jwt.token",
        isAdmin: true,
      },
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(received[0]?.body ?? "")).toEqual({
      userId: JANE.userId,
      // The session's metadata wins over the page's.
      userMetadata: { ...JANE.userMetadata, ssn: "123-45-6789" },
      sensitivePaths: ["/ssn"],
    });
    expect(received[0]?.headers["content-type"]).toBe("application/json");
  });

  it("a metadata update: userMetadata and sensitivePaths only", async () => {
    const { received, call } = await bench((_request, res) =>
      sendJson(res, 200, { userId: JANE.userId, userMetadata: { plan: "pro" } }),
    );
    await call("PATCH", "/v1/identity", {
      headers: { cookie: "session=sess_jane" },
      body: { userMetadata: { plan: "pro" }, sensitivePaths: [], userId: "user_omar" },
    });
    expect(JSON.parse(received[0]?.body ?? "")).toEqual({
      userMetadata: { plan: "pro" },
      sensitivePaths: [],
    });
  });

  it("a new conversation: agent only (a userId would be a server-scope field)", async () => {
    const { received, call } = await bench((_request, res) => sendJson(res, 201, CONVERSATION));
    await call("POST", "/v1/conversations", { body: { agent: "support", userId: "usr_jane" } });
    expect(JSON.parse(received[0]?.body ?? "")).toEqual({ agent: "support" });
  });

  it("with getUser returning an invalid userId: 500, nothing forwarded", async () => {
    const { received, call } = await bench(
      (_request, res) => sendJson(res, 200, { conversations: [] }),
      { getUser: () => ({ userId: "jane@example.com" }) },
    );
    const response = await call("GET", "/v1/conversations");
    expect(response.status).toBe(500);
    expect(response.json.error.code).toBe("INVALID_USER_ID");
    expect(received.length).toBe(0);
  });

  it("with getUser throwing: 500 INTERNAL without the error's text, nothing forwarded", async () => {
    const { received, call } = await bench(
      (_request, res) => sendJson(res, 200, { conversations: [] }),
      {
        getUser: () => {
          throw new Error(`session store down, key ${API_KEY}`);
        },
      },
    );
    const response = await call("GET", "/v1/conversations");
    expect(response.status).toBe(500);
    expect(response.json.error.code).toBe("INTERNAL");
    expect(response.text).not.toContain(API_KEY);
    expect(received.length).toBe(0);
  });
});

describe("responses passed back", () => {
  it("only the contract's fields and headers: an echoed key, cookie or user token never leaks", async () => {
    const { call } = await bench((_request, res) =>
      sendJson(
        res,
        201,
        {
          ...CONVERSATION,
          user: { id: "usr_1", token: "utk_secret_token" },
          debug: { apiKey: API_KEY, cookie: "next-auth.session-token=stolen" },
        },
        {
          "set-cookie": "sid=1",
          "x-api-key": API_KEY,
          "x-request-id": "req_42",
          "access-control-allow-origin": "*",
        },
      ),
    );
    const response = await call("POST", "/v1/conversations", { body: {} });
    expect(response.status).toBe(201);
    expect(response.json).toEqual(CONVERSATION);
    expect(response.text).not.toContain(API_KEY);
    expect(response.text).not.toContain("utk_secret_token");
    expect(response.headers["set-cookie"]).toBeUndefined();
    expect(response.headers["x-api-key"]).toBeUndefined();
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
    expect(response.headers["x-request-id"]).toBe("req_42");
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
  });

  it("no substring redaction: an id containing a short API key comes back unchanged", async () => {
    const { call } = await bench((_request, res) => sendJson(res, 200, CONVERSATION), {
      apiKey: "ite4",
    });
    const response = await call("GET", "/v1/conversations/conv_suite42");
    expect(response.json).toEqual(CONVERSATION);
  });

  it("lists keep nextCursor; a message equal to the key comes back verbatim", async () => {
    const { call } = await bench((_request, res) =>
      sendJson(res, 200, {
        messages: [{ ...MESSAGE, text: API_KEY, tokens: 12 }],
        nextCursor: "c_2",
        total: 99,
      }),
    );
    const response = await call("GET", "/v1/conversations/conv_suite42/messages?limit=1");
    expect(response.json).toEqual({ messages: [{ ...MESSAGE, text: API_KEY }], nextCursor: "c_2" });
  });

  it("a send answers message and reply only", async () => {
    const reply = { ...MESSAGE, id: "msg_2", role: "agent", text: "Hi!" };
    const { call } = await bench((_request, res) =>
      sendJson(
        res,
        201,
        { message: MESSAGE, reply, user: { token: "utk_x" } },
        {
          "idempotent-replayed": "true",
        },
      ),
    );
    const response = await call("POST", "/v1/conversations/conv_suite42/messages", {
      body: { text: "Hello" },
    });
    expect(response.json).toEqual({ message: MESSAGE, reply });
    expect(response.headers["idempotent-replayed"]).toBe("true");
  });

  it("errors keep code, message and primitive details; nested details are dropped", async () => {
    const { call } = await bench((_request, res) =>
      sendJson(
        res,
        429,
        {
          error: {
            code: "RATE_LIMITED",
            message: "Slow down.",
            details: { retryAfter: 3, agents: ["support"], echo: { authorization: API_KEY } },
          },
          debug: API_KEY,
        },
        { "retry-after": "3" },
      ),
    );
    const response = await call("GET", "/v1/conversations");
    expect(response.status).toBe(429);
    expect(response.json).toEqual({
      error: {
        code: "RATE_LIMITED",
        message: "Slow down.",
        details: { retryAfter: 3, agents: ["support"] },
      },
    });
    expect(response.headers["retry-after"]).toBe("3");
  });

  it("a 2xx that is not the contract's shape: 502 INVALID_RESPONSE", async () => {
    const { call } = await bench((_request, res) =>
      sendJson(res, 200, { conversations: [{ id: "conv_1", token: API_KEY }] }),
    );
    const response = await call("GET", "/v1/conversations");
    expect(response.status).toBe(502);
    expect(response.json.error.code).toBe("INVALID_RESPONSE");
    expect(response.text).not.toContain(API_KEY);
  });

  it("an error that is not the envelope keeps its status with a generic code", async () => {
    const { call } = await bench((_request, res) => {
      res.writeHead(503, { "content-type": "text/html" });
      res.end(`<h1>down</h1> ${API_KEY}`);
    });
    const response = await call("GET", "/v1/conversations");
    expect(response.status).toBe(503);
    expect(response.json.error.code).toBe("UPSTREAM_ERROR");
    expect(response.text).not.toContain(API_KEY);
  });
});

describe("body limit, enforced while reading", () => {
  it("a Content-Length over the limit: 413 before reading, nothing forwarded", async () => {
    const { received, call } = await bench((_request, res) => sendJson(res, 201, CONVERSATION), {
      maxBodyBytes: 100,
    });
    const response = await call("POST", "/v1/conversations", {
      headers: { "content-length": "101" },
      body: "{}",
      stall: true,
    });
    expect(response.status).toBe(413);
    expect(response.json.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(received.length).toBe(0);
  });

  it("a chunked body that passes the limit and never ends: 413 at once, nothing forwarded", async () => {
    // timeoutMs is far beyond the test's own timeout: only stopping at the limit can answer.
    const { received, call } = await bench((_request, res) => sendJson(res, 201, CONVERSATION), {
      maxBodyBytes: 1000,
      timeoutMs: 600_000,
    });
    const response = await call("POST", "/v1/conversations", {
      body: `{"agent":"${"a".repeat(2000)}"}`,
      stall: true,
    });
    expect(response.status).toBe(413);
    expect(received.length).toBe(0);
  });

  it("a body of exactly the limit is forwarded", async () => {
    const body = `{"agent":"${"a".repeat(100 - 12)}"}`;
    expect(new TextEncoder().encode(body).byteLength).toBe(100);
    const { received, call } = await bench((_request, res) => sendJson(res, 201, CONVERSATION), {
      maxBodyBytes: 100,
    });
    const response = await call("POST", "/v1/conversations", { body });
    expect(response.status).toBe(201);
    expect(received.length).toBe(1);
  });
});

describe("timeouts", () => {
  it("a request body that stalls: 408 REQUEST_TIMEOUT, nothing forwarded", async () => {
    const { received, call } = await bench((_request, res) => sendJson(res, 201, CONVERSATION), {
      timeoutMs: 50,
    });
    const response = await call("POST", "/v1/conversations", {
      headers: { "content-length": "50" },
      body: '{"agent":',
      stall: true,
    });
    expect(response.status).toBe(408);
    expect(response.json.error.code).toBe("REQUEST_TIMEOUT");
    expect(received.length).toBe(0);
  });

  it("a backend that never answers: 504 UPSTREAM_TIMEOUT", async () => {
    const { received, call } = await bench(() => undefined, { timeoutMs: 50 });
    const response = await call("GET", "/v1/conversations");
    expect(response.status).toBe(504);
    expect(response.json.error.code).toBe("UPSTREAM_TIMEOUT");
    expect(received.length).toBe(1);
  });

  it("a backend that sends headers and then stalls its body: 504 UPSTREAM_TIMEOUT", async () => {
    const { call } = await bench(
      (_request, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"conversations":[');
      },
      { timeoutMs: 50 },
    );
    const response = await call("GET", "/v1/conversations");
    expect(response.status).toBe(504);
    expect(response.json.error.code).toBe("UPSTREAM_TIMEOUT");
  });

  it("a client that disconnects: the proxy hangs up on the backend at once", async () => {
    let arrived!: () => void;
    const backendHasIt = new Promise<void>((resolve) => (arrived = resolve));
    let hungUp!: () => void;
    const backendConnectionClosed = new Promise<void>((resolve) => (hungUp = resolve));
    // timeoutMs is far beyond the test's own timeout: only the client's disconnect can end it.
    const { call } = await bench(
      (_request, res) => {
        res.on("close", () => hungUp());
        arrived();
      },
      { timeoutMs: 600_000 },
    );
    const client = new AbortController();
    const pending = call("GET", "/v1/conversations", { signal: client.signal }).catch(
      (error: Error) => error.name,
    );
    await backendHasIt;
    client.abort();
    await backendConnectionClosed;
    expect(await pending).toBe("AbortError");
  });

  it("a backend that is not there: 502 UNAVAILABLE", async () => {
    const { call } = await bench(() => undefined, { apiUrl: "http://127.0.0.1:1" });
    const response = await call("GET", "/v1/conversations");
    expect(response.status).toBe(502);
    expect(response.json.error.code).toBe("UNAVAILABLE");
  });
});

describe("options", () => {
  it.each([
    [{ apiUrl: "" }],
    [{ apiKey: "" }],
    [{ getUser: undefined }],
    [{ timeoutMs: 0 }],
    [{ maxBodyBytes: 1.5 }],
    [{ basePath: "api nametag" }],
  ])("%j: INVALID_OPTIONS at creation", (override) => {
    expect(() =>
      createNametagProxy({
        apiUrl: "http://127.0.0.1:1",
        apiKey: API_KEY,
        getUser: () => null,
        ...(override as Partial<NametagProxyOptions>),
      }),
    ).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
  });

  it("basePath: only paths under it are served", async () => {
    const { received, call } = await bench(
      (_request, res) => sendJson(res, 200, { conversations: [] }),
      { basePath: "/chat/" },
    );
    const outside = await call("GET", "/v1/conversations");
    expect(outside.status).toBe(404);
    expect(received.length).toBe(0);
  });
});
