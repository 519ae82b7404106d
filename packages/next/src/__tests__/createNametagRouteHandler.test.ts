import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import type { NametagRouteContext, NametagSession } from "../server";
import { createNametagRouteHandler } from "../server";
import { API_KEY, API_URL, IDENTITY_SECRET, startMockBackend } from "./support/mockBackend";
import { jane } from "./support/sessions";

const { server, requests, linkRequests } = startMockBackend({ identitySecret: IDENTITY_SECRET });

const PAGE = "http://app.test";
const VISITOR = "v_1700000000000_abc123def";

/** The route handler as Next would call it, with the session `current.session`. */
function proxy(current: { session: NametagSession | null }) {
  return createNametagRouteHandler({
    apiUrl: API_URL,
    apiKey: API_KEY,
    identitySecret: IDENTITY_SECRET,
    auth: async () => current.session,
  });
}

interface BrowserRequest {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  body?: unknown;
  headers?: Record<string, string>;
  /** Next 14 passes params as a plain object, Next 15/16 as a promise. */
  plainParams?: boolean;
}

async function call(
  handlers: ReturnType<typeof proxy>,
  path: string,
  { method = "GET", body, headers = {}, plainParams = false }: BrowserRequest = {},
) {
  const segments = (path.split("?")[0] ?? "").split("/").filter(Boolean);
  const request = new Request(`${PAGE}/api/nametag/${path}`, {
    method,
    headers: {
      "x-nametag-visitor-id": VISITOR,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const params = plainParams ? { path: segments } : Promise.resolve({ path: segments });
  const response = await handlers[method](request, { params } as NametagRouteContext);
  const text = await response.text();
  return { response, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** What a browser pretending to be Omar sends. */
const claimsOmar = {
  "x-nametag-user-id": "user_omar",
  "x-nametag-user-hash": "0".repeat(64),
  "x-nametag-identity-token": "forged.token.value",
  "x-user-token": "usr_token_omar",
  authorization: "Bearer sk_forged",
  cookie: "next-auth.session-token=secret-cookie",
};

describe("createNametagRouteHandler", () => {
  it("links the session user even when the browser claims another userId", async () => {
    const handlers = proxy({ session: { user: jane } });
    const { response, json } = await call(handlers, "v1/identity", {
      method: "POST",
      headers: { ...claimsOmar, "idempotency-key": "link-1" },
      body: { userId: "user_omar", userHash: "0".repeat(64), userMetadata: { plan: "pro" } },
    });
    expect(response.status).toBe(200);
    expect(json).toMatchObject({ userId: "user_jane", visitorId: VISITOR });
    const [link] = linkRequests();
    expect(link?.headers["x-nametag-user-id"]).toBe("user_jane");
    expect(link?.headers["x-nametag-visitor-id"]).toBe(VISITOR);
    expect(link?.headers["idempotency-key"]).toBe("link-1");
    expect(link?.headers["x-user-token"]).toBeUndefined();
    expect(link?.headers.cookie).toBeUndefined();
    expect(link?.body).toMatchObject({
      userId: "user_jane",
      // The page's metadata is kept; the session's own fields win.
      userMetadata: { plan: "pro", name: "Jane Smith", email: "jane@example.com" },
    });
  });

  it("attributes a browser's conversations to the session user, not the one it claims", async () => {
    const asJane = proxy({ session: { user: jane } });
    await call(asJane, "v1/identity", { method: "POST", body: {} });
    requests.length = 0;
    const created = await call(asJane, "v1/conversations", {
      method: "POST",
      headers: claimsOmar,
      body: { userId: "user_omar" },
    });
    expect(created.response.status).toBe(201);
    const conversationId = created.json?.id as string;

    const sent = await call(asJane, `v1/conversations/${conversationId}/messages`, {
      method: "POST",
      headers: claimsOmar,
      body: { text: "Hello" },
    });
    expect(sent.response.status).toBe(201);
    expect(JSON.stringify(sent.json)).toContain("Jane");

    const listed = await call(asJane, "v1/conversations", { headers: claimsOmar });
    expect((listed.json?.conversations as Array<{ id: string }>).map((c) => c.id)).toEqual([
      conversationId,
    ]);
    // Every request reached the backend as Jane.
    expect(requests.map((r) => r.headers["x-nametag-user-id"])).toEqual([
      "user_jane",
      "user_jane",
      "user_jane",
    ]);

    // Omar, signed in for real, cannot reach Jane's conversation.
    const asOmar = proxy({ session: { user: { id: "user_omar", name: "Omar Haddad" } } });
    const denied = await call(asOmar, `v1/conversations/${conversationId}`);
    expect(denied.response.status).toBe(403);
  });

  it("signed out: forwards as the anonymous visitor only, whatever the browser claims", async () => {
    const handlers = proxy({ session: null });
    const created = await call(handlers, "v1/conversations", {
      method: "POST",
      headers: claimsOmar,
      body: { userId: "user_omar" },
    });
    expect(created.response.status).toBe(201);
    const [forwarded] = requests;
    expect(forwarded?.headers["x-nametag-visitor-id"]).toBe(VISITOR);
    for (const header of [
      "x-nametag-user-id",
      "x-nametag-user-hash",
      "x-nametag-identity-token",
      "x-user-token",
      "cookie",
    ]) {
      expect(forwarded?.headers[header]).toBeUndefined();
    }
    expect(forwarded?.body).toEqual({});
  });

  it("signed out: refuses to link, without asking the backend", async () => {
    const handlers = proxy({ session: null });
    const { response, json } = await call(handlers, "v1/identity", {
      method: "POST",
      headers: claimsOmar,
      body: { userId: "user_omar" },
    });
    expect(response.status).toBe(401);
    expect(json).toMatchObject({ error: { code: "IDENTITY_VERIFICATION_FAILED" } });
    expect(requests).toHaveLength(0);
  });

  it("reaches only the browser endpoints: API-key and admin routes are 404 and never forwarded", async () => {
    const handlers = proxy({ session: { user: jane } });
    for (const [method, path] of [
      ["GET", "v1/users/external/user_jane"],
      ["POST", "v1/users"],
      ["DELETE", "v1/users/usr_1"],
      ["POST", "v1/contacts"],
      ["POST", "__mock/reset"],
      ["GET", "v1/conversations/a/../../users"],
    ] as const) {
      const { response, json } = await call(handlers, path, {
        method,
        body: method === "GET" || method === "DELETE" ? undefined : {},
      });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(json).toMatchObject({ error: { code: "NOT_FOUND" } });
    }
    const wrongMethod = await call(handlers, "v1/identity", { method: "DELETE" });
    expect(wrongMethod.response.status).toBe(405);
    expect(requests).toHaveLength(0);
  });

  it("accepts Next 14's plain params and keeps the query string", async () => {
    const handlers = proxy({ session: { user: jane } });
    const { response } = await call(handlers, "v1/conversations?limit=5", { plainParams: true });
    expect(response.status).toBe(200);
    expect(requests[0]?.path).toBe("/v1/conversations");
  });

  it("updates metadata for the session user", async () => {
    const handlers = proxy({ session: { user: jane } });
    await call(handlers, "v1/identity", { method: "POST", body: {} });
    const { response, json } = await call(handlers, "v1/identity", {
      method: "PATCH",
      headers: claimsOmar,
      body: { userId: "user_omar", userMetadata: { plan: "enterprise", apiToken: "t0k" } },
    });
    expect(response.status).toBe(200);
    expect(json).toMatchObject({ userId: "user_jane", userMetadata: { plan: "enterprise" } });
  });

  it("answers malformed and oversized bodies itself", async () => {
    const handlers = proxy({ session: { user: jane } });
    const malformed = await call(handlers, "v1/conversations", { method: "POST", body: "{nope" });
    expect(malformed.response.status).toBe(400);
    const huge = await call(handlers, "v1/conversations", {
      method: "POST",
      body: { agent: "x".repeat(300 * 1024) },
    });
    expect(huge.response.status).toBe(413);
    expect(requests).toHaveLength(0);
  });

  it("never returns the API key or the identity secret, even when the backend echoes them", async () => {
    const handlers = proxy({ session: { user: jane } });
    const bodies: string[] = [];
    const check = (result: Awaited<ReturnType<typeof call>>) => {
      bodies.push(result.text);
      result.response.headers.forEach((value) => bodies.push(value));
    };
    check(await call(handlers, "v1/identity", { method: "POST", body: {} }));
    check(await call(handlers, "v1/conversations", { method: "POST", body: {} }));
    check(await call(handlers, "v1/conversations"));
    check(await call(handlers, "v1/conversations/conv_missing"));
    check(await call(handlers, "v1/users"));

    server.use(
      http.all(`${API_URL}/*`, ({ request }) =>
        HttpResponse.json(
          { echoed: request.headers.get("authorization"), secret: IDENTITY_SECRET },
          {
            status: 500,
            headers: { "x-debug-key": API_KEY, "set-cookie": "backend=1", "x-request-id": "req_1" },
          },
        ),
      ),
    );
    const echoed = await call(handlers, "v1/conversations");
    check(echoed);
    expect(echoed.response.status).toBe(500);
    expect(echoed.response.headers.get("x-request-id")).toBe("req_1");
    expect(echoed.response.headers.get("set-cookie")).toBeNull();
    expect(echoed.json).toEqual({ echoed: "Bearer [redacted]", secret: "[redacted]" });

    for (const text of bodies) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(IDENTITY_SECRET);
    }
  });

  it("answers 502 when the backend cannot be reached", async () => {
    server.use(http.all(`${API_URL}/*`, () => HttpResponse.error()));
    const { response, json } = await call(proxy({ session: null }), "v1/conversations");
    expect(response.status).toBe(502);
    expect(json).toMatchObject({ error: { code: "UNAVAILABLE" } });
  });

  it("explains a missing configuration instead of forwarding", async () => {
    vi.stubEnv("NAMETAG_API_KEY", "");
    const handlers = createNametagRouteHandler({ auth: async () => null, apiUrl: API_URL });
    const { response, json } = await call(handlers, "v1/conversations");
    expect(response.status).toBe(500);
    expect(JSON.stringify(json)).toContain("NAMETAG_API_KEY");
    expect(requests).toHaveLength(0);
  });
});
