import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../index";
import { setupMockServer } from "../node";

const API_URL = "http://setup-mock-server.test";
const VISITOR = "v_1700000000000_visitor1";
const mock = setupMockServer({ baseUrl: API_URL });

// Unbound on purpose: the README tells users to pass these straight to their runner's hooks.
beforeAll(mock.listen);
afterEach(mock.reset);
afterAll(mock.close);

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${API_URL}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-nametag-visitor-id": VISITOR, ...headers },
    body: JSON.stringify(body),
  });
}

describe("setupMockServer", () => {
  it("serves the mock backend and logs method, path, visitor and user of every request", async () => {
    const link = await post("/v1/identity", DEMO_USERS.jane);
    expect(link.status).toBe(200);
    const list = await fetch(`${API_URL}/v1/conversations`, {
      headers: { "x-nametag-visitor-id": VISITOR, "x-nametag-user-id": "user_jane" },
    });
    expect(list.status).toBe(200);

    expect(mock.requests).toEqual([
      { method: "POST", path: "/v1/identity", visitorId: VISITOR, userId: null },
      { method: "GET", path: "/v1/conversations", visitorId: VISITOR, userId: "user_jane" },
    ]);
    expect(mock.linkRequests()).toEqual([mock.requests[0]]);
    expect(mock.backend.store.findUserByExternalId("user_jane")?.userMetadata).toEqual(
      DEMO_USERS.jane.userMetadata,
    );
  });

  it("reset() empties the store, the log and any handler override", async () => {
    mock.server.use(
      http.post(`${API_URL}/v1/identity`, () => HttpResponse.json({ overridden: true })),
    );
    await post("/v1/identity", DEMO_USERS.omar);
    await post("/v1/conversations", {});
    expect(mock.requests).toHaveLength(2);

    mock.reset();

    expect(mock.requests).toEqual([]);
    expect(mock.backend.store.findUserByExternalId("user_omar")).toBeUndefined();
    const link = await post("/v1/identity", DEMO_USERS.omar);
    expect(await link.json()).not.toHaveProperty("overridden");
    expect(mock.linkRequests()).toHaveLength(1);
  });

  it("fails a request no handler answers instead of letting it reach the network", async () => {
    await expect(fetch("http://not-the-mock.test/v1/identity")).rejects.toThrow();
    expect(mock.requests).toEqual([
      { method: "GET", path: "/v1/identity", visitorId: null, userId: null },
    ]);
  });
});

describe("DEMO_USERS", () => {
  it("holds Jane and Omar as the examples and the e2e suite know them", () => {
    expect(DEMO_USERS).toEqual({
      jane: {
        userId: "user_jane",
        userMetadata: {
          name: "Jane Smith",
          email: "jane@example.com",
          plan: "enterprise",
          company: "Acme Inc",
          authToken: "demo-jane-auth-token-7f3a",
        },
      },
      omar: {
        userId: "user_omar",
        userMetadata: {
          name: "Omar Haddad",
          email: "omar@example.com",
          plan: "pro",
          company: "Globex",
        },
      },
    });
  });

  it("cannot be changed by one test for the next", () => {
    expect(Object.isFrozen(DEMO_USERS.jane.userMetadata)).toBe(true);
    expect(() => {
      (DEMO_USERS.jane.userMetadata as Record<string, string>).plan = "free";
    }).toThrow(TypeError);
  });
});
