import { http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { createNametag } from "../createNametag";
import { NametagError } from "../errors";
import type { NametagClient, NametagOptions } from "../types";
import {
  API_URL,
  JANE,
  OMAR,
  backend,
  deferred,
  linkRequests,
  recordWire,
  server,
  sharedStorage,
} from "./setup";

function client(options: Partial<NametagOptions> = {}): NametagClient {
  return createNametag({ apiUrl: API_URL, persistence: "memory", retry: false, ...options });
}

describe("createNametag: identify and the state machine", () => {
  it("starts anonymous with a visitor id in Ansa's format", () => {
    const nametag = client();
    const identity = nametag.getIdentity();
    expect(identity).toEqual({
      status: "anonymous",
      visitorId: nametag.getVisitorId(),
      userId: null,
      userMetadata: {},
    });
    expect(nametag.getVisitorId()).toMatch(/^v_\d+_[a-z0-9]{16}$/);
    expect(Object.isFrozen(identity)).toBe(true);
  });

  it("links the visitor: anonymous → identifying → identified, with labels and assignedAgent stored", async () => {
    const nametag = client();
    const statuses: string[] = [];
    nametag.subscribe(() => statuses.push(nametag.getIdentity().status));
    const done = nametag.identify({ ...JANE, labels: ["vip", "beta"], assignedAgent: "support" });
    expect(nametag.getIdentity().status).toBe("identifying");
    await done;
    expect(statuses).toEqual(["identifying", "identified"]);
    const identity = nametag.getIdentity();
    expect(identity.userId).toBe("user_jane");
    expect(identity.userMetadata).toEqual({
      name: "Jane Smith",
      email: "jane@example.com",
      plan: "enterprise",
      company: "Acme Inc",
    });
    const user = backend.store.findUserByExternalId("user_jane");
    expect(user?.labels).toEqual(["vip", "beta"]);
    expect(user?.assignedAgent).toBe("support");
    // The backend keeps the full metadata: HTTP tools need the token.
    expect(user?.userMetadata.authToken).toBe("demo-jane-auth-token-7f3a");
  });

  it("getIdentity() returns the same object until something changes", async () => {
    const nametag = client();
    const first = nametag.getIdentity();
    expect(nametag.getIdentity()).toBe(first);
    await nametag.identify(JANE);
    const second = nametag.getIdentity();
    expect(second).not.toBe(first);
    expect(nametag.getIdentity()).toBe(second);
    await nametag.identify(JANE);
    expect(nametag.getIdentity()).toBe(second);
  });

  it("sends the same identify ten times as exactly one link request", async () => {
    const nametag = client();
    await Promise.all(
      Array.from({ length: 10 }, () =>
        nametag.identify({ ...JANE, userMetadata: { ...JANE.userMetadata } }),
      ),
    );
    await nametag.identify(JANE);
    expect(linkRequests()).toHaveLength(1);
  });

  it("re-links when metadata, labels or assignedAgent change for the same user, keeping the status", async () => {
    const nametag = client();
    await nametag.identify(JANE);
    const statuses: string[] = [];
    nametag.subscribe(() => statuses.push(nametag.getIdentity().status));
    await nametag.identify({ ...JANE, userMetadata: { ...JANE.userMetadata, plan: "pro" } });
    await nametag.identify({
      ...JANE,
      userMetadata: { ...JANE.userMetadata, plan: "pro" },
      labels: ["x"],
    });
    expect(linkRequests()).toHaveLength(3);
    expect(statuses.every((status) => status === "identified")).toBe(true);
    expect(nametag.getIdentity().userMetadata.plan).toBe("pro");
  });

  it("a link response that arrives after resetUser() leaves the client anonymous and writes nothing", async () => {
    // The request reaches the backend and its response is held until after the reset.
    const reached = deferred();
    const release = deferred();
    server.use(
      http.post(`${API_URL}/v1/identity`, async ({ request }) => {
        const response = await backend.handle(request);
        reached.resolve();
        await release.promise;
        return response;
      }),
    );
    const sent = recordWire();
    const storage = sharedStorage();
    const nametag = client({ persistence: storage });
    nametag.mount();
    const updates: unknown[] = [];
    nametag.on("identityUpdate", (identity) => updates.push(identity.userId));
    const pending = nametag.identify(JANE);
    await reached.promise;
    nametag.resetUser();
    const afterReset = storage.raw();
    release.resolve();
    await pending;
    await nametag.conversations.list(); // the late response has been handled before this returns
    const wire = await sent();
    expect(wire.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      "POST /v1/identity",
      "GET /v1/conversations",
    ]);
    expect(wire[0]?.body).toMatchObject({ userId: "user_jane" });
    expect(backend.store.findUserByExternalId("user_jane")).toBeDefined(); // it was answered
    expect(nametag.getIdentity()).toMatchObject({ status: "anonymous", userId: null });
    expect(storage.raw()).toBe(afterReset);
    expect(JSON.parse(afterReset as string).userId).toBeNull();
    expect(updates).toEqual(["user_jane", null]);
    nametag.destroy();
  });

  it("identify(A) → reset → identify(B): B's link uses a fresh visitor and never sees A's conversations", async () => {
    const sent = recordWire();
    const nametag = client();
    const anonymousConversation = await nametag.conversations.create();
    await nametag.identify(JANE);
    const janeVisitor = nametag.getVisitorId();
    const janeConversation = await nametag.conversations.create();
    expect((await nametag.conversations.list()).data.map((c) => c.id).sort()).toEqual(
      [anonymousConversation.id, janeConversation.id].sort(),
    );
    nametag.resetUser();
    expect(nametag.getVisitorId()).not.toBe(janeVisitor);
    await nametag.identify(OMAR);
    expect(await nametag.conversations.list()).toEqual({ data: [], nextCursor: null });
    const omar = backend.store.findUserByExternalId("user_omar");
    expect(omar).toBeDefined();
    // What was sent: Jane's link from her visitor, Omar's from a fresh one, nothing else.
    const links = (await sent()).filter((entry) => entry.path === "/v1/identity");
    expect(
      links.map((entry) => [
        (entry.body as { userId: string }).userId,
        entry.headers["x-nametag-visitor-id"],
      ]),
    ).toEqual([
      ["user_jane", janeVisitor],
      ["user_omar", nametag.getVisitorId()],
    ]);
  });

  it("identifying another user without a reset rotates the visitor first", async () => {
    const nametag = client();
    const resets: unknown[] = [];
    nametag.on("reset", (payload) => resets.push(payload.previousUserId));
    await nametag.identify(JANE);
    const janeVisitor = nametag.getVisitorId();
    await nametag.identify(OMAR);
    expect(nametag.getVisitorId()).not.toBe(janeVisitor);
    expect(resets).toEqual(["user_jane"]);
    expect(await nametag.conversations.list()).toEqual({ data: [], nextCursor: null });
  });

  it("clearIdentity() is resetUser()", async () => {
    const nametag = client();
    await nametag.identify(JANE);
    const before = nametag.getVisitorId();
    nametag.clearIdentity();
    expect(nametag.getIdentity()).toMatchObject({ status: "anonymous", userId: null });
    expect(nametag.getVisitorId()).not.toBe(before);
  });
});

describe("syncAuth", () => {
  it("undefined (auth loading) does nothing", async () => {
    const nametag = client();
    const listener = vi.fn();
    nametag.subscribe(listener);
    const visitor = nametag.getVisitorId();
    await nametag.syncAuth(undefined);
    expect(listener).not.toHaveBeenCalled();
    expect(nametag.getVisitorId()).toBe(visitor);
    expect(backend.requests()).toEqual([]);
  });

  it("null on a first anonymous load keeps the visitor id; after an identify it resets", async () => {
    const nametag = client();
    const visitor = nametag.getVisitorId();
    await nametag.syncAuth(null);
    expect(nametag.getVisitorId()).toBe(visitor);
    await nametag.syncAuth(JANE);
    expect(nametag.getIdentity().status).toBe("identified");
    await nametag.syncAuth(null);
    expect(nametag.getIdentity().status).toBe("anonymous");
    expect(nametag.getVisitorId()).not.toBe(visitor);
  });

  it("bad input throws synchronously, like identify()", () => {
    const nametag = client();
    expect(() => nametag.syncAuth({ userId: "undefined" })).toThrow(
      expect.objectContaining({ code: "INVALID_USER_ID" }),
    );
    expect(backend.requests()).toEqual([]);
  });

  it("the last of two quick identifies of one user wins, and only it is sent", async () => {
    const sent = recordWire();
    const nametag = client();
    const first = nametag.identify(JANE);
    const second = nametag.identify({
      ...JANE,
      userMetadata: { ...JANE.userMetadata, plan: "pro" },
    });
    await Promise.all([first, second]);
    expect(nametag.getIdentity()).toMatchObject({
      status: "identified",
      userMetadata: { plan: "pro" },
    });
    const links = (await sent()).filter((entry) => entry.path === "/v1/identity");
    expect(
      links.map((entry) => (entry.body as { userMetadata: { plan: string } }).userMetadata.plan),
    ).toEqual(["pro"]);
    expect(backend.store.findUserByExternalId("user_jane")?.userMetadata.plan).toBe("pro");
  });

  it("a user identical to the current one sends nothing", async () => {
    const nametag = client();
    await nametag.syncAuth(JANE);
    await nametag.syncAuth({ userId: "user_jane", userMetadata: { ...JANE.userMetadata } });
    expect(linkRequests()).toHaveLength(1);
  });
});

describe("destroy", () => {
  it("makes later calls fail loudly", () => {
    const nametag = client();
    nametag.destroy();
    nametag.destroy();
    expect(() => nametag.identify(JANE)).toThrow(NametagError);
    expect(() => nametag.mount()).toThrow(/destroy\(\)/);
  });
});
