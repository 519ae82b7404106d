// The route handler as Next calls it (the exported GET/POST/PATCH/DELETE with a Request) in front
// of a real mock on 127.0.0.1. Every proxy rule is @nametag/server's createNametagProxy and is
// tried from the attacker's side there; these tests prove the wrapper hands it next-auth's
// session as the only identity, and that issue 13's attack no longer works through Next.
import { createHmac } from "node:crypto";
import type { MockServer } from "@nametag/mock";
import { startMockServer } from "@nametag/mock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { NametagRouteContext, NametagSession } from "../server";
import { createNametagRouteHandler } from "../server";
import { API_KEY, IDENTITY_SECRET } from "./support/mockBackend";
import { jane, omar } from "./support/sessions";

const PAGE = "http://app.test";
const VISITOR = "v_1700000000000_abc123def";
const JANE_VISITOR = "v_1700000000002_jane00000";

let mock: MockServer;
/** Every request the handler sent to the backend, as it left the proxy. */
const sent: Array<{ url: string; headers: Record<string, string>; body: unknown }> = [];

beforeAll(async () => {
  mock = await startMockServer({ apiKey: API_KEY, identitySecret: IDENTITY_SECRET });
});
afterEach(() => {
  mock.backend.reset();
  sent.length = 0;
  vi.unstubAllEnvs();
});
afterAll(() => mock.close());

const recordingFetch: typeof fetch = async (input, init) => {
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => {
    headers[name] = value;
  });
  sent.push({
    url: String(input),
    headers,
    body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
  });
  return fetch(input, init);
};

/** A proxied body: the error envelope, or the route's fields. */
type ProxyJson = { error: { code: string; message: string } } & Record<string, unknown>;

/** The route module's handlers with the session `current.session`. */
function routeWith(current: { session: NametagSession | null }) {
  return createNametagRouteHandler({
    apiUrl: mock.url,
    apiKey: API_KEY,
    identitySecret: IDENTITY_SECRET,
    auth: async () => current.session,
    fetch: recordingFetch,
  });
}

async function call(
  handlers: ReturnType<typeof routeWith>,
  path: string,
  {
    method = "GET",
    body,
    headers = {},
    visitorId = VISITOR,
    plainParams = false,
  }: {
    method?: "GET" | "POST" | "PATCH" | "DELETE";
    body?: unknown;
    headers?: Record<string, string>;
    visitorId?: string | null;
    plainParams?: boolean;
  } = {},
) {
  const request = new Request(`${PAGE}/api/nametag/${path}`, {
    method,
    headers: {
      ...(visitorId === null ? {} : { "x-nametag-visitor-id": visitorId }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const segments = (path.split("?")[0] ?? "").split("/").filter(Boolean);
  const params = plainParams ? { path: segments } : Promise.resolve({ path: segments });
  const response = await handlers[method](request, { params } as NametagRouteContext);
  const text = await response.text();
  return { response, text, json: text ? (JSON.parse(text) as ProxyJson) : null };
}

/** Jane has a conversation in the account (seeded in the store: this suite runs in jsdom). */
async function janeHasAConversation(): Promise<{ id: string; token: string }> {
  const user = mock.backend.store.createUser({ externalId: jane.id as string });
  const conversation = mock.backend.store.createConversation(user.id, "support");
  return { id: conversation.id, token: user.token };
}

const forged = (token: string) => ({
  authorization: `Bearer ${API_KEY}`,
  "x-user-token": token,
  "x-nametag-user-id": "user_jane",
  "x-nametag-user-hash": createHmac("sha256", IDENTITY_SECRET).update("user_jane").digest("hex"),
  cookie: "next-auth.session-token=stolen",
});

describe("issue 13 through Next's route handler", () => {
  it("signed out, without a visitor id: 400, never the account's conversations", async () => {
    const janes = await janeHasAConversation();
    const before = mock.backend.requests().length;
    const handlers = routeWith({ session: null });
    const listed = await call(handlers, "v1/conversations", { visitorId: null });
    expect(listed.response.status).toBe(400);
    expect(listed.json).toEqual({
      error: { code: "INVALID_VISITOR_ID", message: expect.any(String) },
    });
    const created = await call(handlers, "v1/conversations", {
      method: "POST",
      visitorId: null,
      body: {},
    });
    expect(created.response.status).toBe(400);
    expect(created.text).not.toContain(janes.token);
    expect(mock.backend.requests().length - before).toBe(0);
    expect(sent).toEqual([]);
  });

  it("signed out with forged headers: only the visitor's own (empty) list, Jane's chat is 403", async () => {
    const janes = await janeHasAConversation();
    const handlers = routeWith({ session: null });
    const listed = await call(handlers, "v1/conversations", { headers: forged(janes.token) });
    expect(listed.response.status).toBe(200);
    expect(listed.json).toEqual({ conversations: [], nextCursor: null });
    const posted = await call(handlers, `v1/conversations/${janes.id}/messages`, {
      method: "POST",
      headers: forged(janes.token),
      body: { text: "What plan am I on?" },
    });
    expect(posted.response.status).toBe(403);
    expect(posted.json?.error.code).toBe("SCOPE_DENIED");
    expect(mock.backend.store.messagesOf(janes.id).length).toBe(0);
    expect(sent.map((request) => request.headers.authorization)).toEqual([
      `NametagProxy ${API_KEY}`,
      `NametagProxy ${API_KEY}`,
    ]);
    expect(sent.map((request) => request.headers["x-nametag-user-id"])).toEqual([
      undefined,
      undefined,
    ]);
  });

  it("signed in as Omar: Jane's conversation answers 403 SCOPE_DENIED", async () => {
    const janes = await janeHasAConversation();
    const handlers = routeWith({ session: { user: omar } });
    const read = await call(handlers, `v1/conversations/${janes.id}`, {
      headers: forged(janes.token),
    });
    expect(read.response.status).toBe(403);
    expect(read.json?.error.code).toBe("SCOPE_DENIED");
  });
});

describe("the session is the only identity", () => {
  it("links the session user with the proxy's signed hash and mapSession's metadata", async () => {
    const handlers = routeWith({ session: { user: jane } });
    const { response, json } = await call(handlers, "v1/identity", {
      method: "POST",
      headers: { "idempotency-key": "link-1" },
      visitorId: JANE_VISITOR,
      body: { userMetadata: { plan: "pro" }, userHash: "0".repeat(64) },
    });
    expect(response.status).toBe(200);
    expect(json).toEqual({
      userId: "user_jane",
      visitorId: JANE_VISITOR,
      linkedConversationIds: [],
      labels: [],
      assignedAgent: null,
    });
    expect(sent[0]?.headers["x-nametag-user-hash"]).toBe(
      createHmac("sha256", IDENTITY_SECRET).update("user_jane").digest("hex"),
    );
    expect(sent[0]?.body).toEqual({
      userId: "user_jane",
      userMetadata: { plan: "pro", name: "Jane Smith", email: "jane@example.com" },
    });
  });

  it("a page claiming another userId than the session's is refused, nothing forwarded", async () => {
    const handlers = routeWith({ session: { user: jane } });
    const { response, json } = await call(handlers, "v1/identity", {
      method: "POST",
      body: { userId: "user_omar" },
    });
    expect(response.status).toBe(403);
    expect(json?.error.code).toBe("IDENTITY_MISMATCH");
    expect(sent).toEqual([]);
  });

  it("signed out: refuses to link, without asking the backend", async () => {
    const { response, json } = await call(routeWith({ session: null }), "v1/identity", {
      method: "POST",
      body: { userId: "user_omar" },
    });
    expect(response.status).toBe(401);
    expect(json?.error.code).toBe("IDENTITY_VERIFICATION_FAILED");
    expect(sent).toEqual([]);
  });
});

describe("Next's route module", () => {
  it("accepts Next 14's plain params and Next 15's promise alike, keeping cursor and limit", async () => {
    const handlers = routeWith({ session: { user: jane } });
    for (const plainParams of [true, false]) {
      const { response } = await call(handlers, "v1/conversations?limit=5", { plainParams });
      expect(response.status).toBe(200);
    }
    expect(sent.map((request) => request.url)).toEqual([
      `${mock.url}/v1/conversations?limit=5`,
      `${mock.url}/v1/conversations?limit=5`,
    ]);
  });

  it("DELETE and server-only routes answer 405 / 404 and are never forwarded", async () => {
    const handlers = routeWith({ session: { user: jane } });
    const wrongMethod = await call(handlers, "v1/identity", { method: "DELETE" });
    expect(wrongMethod.response.status).toBe(405);
    expect(wrongMethod.response.headers.get("allow")).toBe("POST, PATCH");
    for (const path of ["v1/users", "v1/contacts", "__mock/store"]) {
      const { response } = await call(handlers, path);
      expect(response.status).toBe(404);
    }
    expect(sent).toEqual([]);
  });

  it("explains a missing configuration instead of forwarding", async () => {
    vi.stubEnv("NAMETAG_API_KEY", "");
    const handlers = createNametagRouteHandler({
      auth: async () => null,
      apiUrl: mock.url,
      fetch: recordingFetch,
    });
    const { response, json } = await call(handlers, "v1/conversations");
    expect(response.status).toBe(500);
    expect(json?.error.code).toBe("INVALID_OPTIONS");
    expect(json?.error.message).toContain("NAMETAG_API_KEY");
    expect(sent).toEqual([]);
  });
});
