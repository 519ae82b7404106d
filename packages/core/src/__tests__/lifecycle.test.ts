import { describe, expect, it, vi } from "vitest";
import { createNametag } from "../createNametag";
import { createMemoryStorage, writeState } from "../storage";
import { API_URL, JANE, OMAR, backend, linkRequests, recordWire, sharedStorage } from "./setup";

describe("mount / unmount", () => {
  it("is reference counted: StrictMode's mount → unmount → mount keeps one set of listeners", async () => {
    const target = Object.assign(new EventTarget(), {
      location: { origin: "http://app.test" },
      postMessage: vi.fn(),
    });
    const add = vi.spyOn(target, "addEventListener");
    const remove = vi.spyOn(target, "removeEventListener");
    vi.stubGlobal("window", target);
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    nametag.mount();
    nametag.unmount();
    nametag.mount();
    nametag.mount();
    nametag.unmount();
    expect(add.mock.calls.filter(([type]) => type === "online")).toHaveLength(2);
    expect(remove.mock.calls.filter(([type]) => type === "online")).toHaveLength(1);
    nametag.unmount();
    nametag.unmount();
    expect(remove.mock.calls.filter(([type]) => type === "online")).toHaveLength(2);
    nametag.destroy();
  });

  it("destroy() removes every listener and channel, and drops a link in flight", async () => {
    const target = Object.assign(new EventTarget(), {
      location: { origin: "http://app.test" },
      postMessage: vi.fn(),
    });
    const remove = vi.spyOn(target, "removeEventListener");
    vi.stubGlobal("window", target);
    const close = vi.spyOn(BroadcastChannel.prototype, "close");
    const nametag = createNametag({ apiUrl: API_URL, persistence: sharedStorage() });
    nametag.mount();
    const listener = vi.fn();
    nametag.subscribe(listener);
    const pending = nametag.identify(JANE);
    listener.mockClear();
    nametag.destroy();
    await pending;
    expect(remove.mock.calls.map(([type]) => type)).toEqual(["online"]);
    expect(close).toHaveBeenCalledTimes(1);
    expect(listener).not.toHaveBeenCalled();
    await expect(nametag.conversations.list()).rejects.toMatchObject({ code: "DESTROYED" });
  });
});

describe("initialIdentity", () => {
  it("applies the identity synchronously at creation, with no request, and links on mount", async () => {
    const nametag = createNametag({
      apiUrl: API_URL,
      persistence: "memory",
      initialIdentity: JANE,
    });
    expect(nametag.getIdentity()).toMatchObject({
      status: "identified",
      userId: "user_jane",
      userMetadata: { name: "Jane Smith" },
    });
    expect(nametag.getIdentity().userMetadata).not.toHaveProperty("authToken");
    const sent = recordWire();
    nametag.mount();
    nametag.unmount();
    nametag.mount();
    // A backend call goes after the link the client owes: the wire then shows everything sent.
    await nametag.conversations.list();
    expect((await sent()).map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      "POST /v1/identity",
      "GET /v1/conversations",
    ]);
    expect(backend.store.findUserByExternalId("user_jane")).toBeDefined();
    // The syncAuth that follows in the adapter is a no-op.
    await nametag.syncAuth(JANE);
    expect(linkRequests()).toHaveLength(1);
    nametag.destroy();
  });

  it("sends no link on mount when storage already holds this user linked (no secret fields)", async () => {
    const storage = sharedStorage();
    const user = { userId: "user_omar", userMetadata: { name: "Omar", plan: "free" } };
    const first = createNametag({ apiUrl: API_URL, persistence: storage });
    await first.identify(user);
    first.destroy();
    const reloaded = createNametag({
      apiUrl: API_URL,
      persistence: storage,
      initialIdentity: user,
    });
    reloaded.mount();
    // A backend call sends any link the client owes first: none is owed here.
    await reloaded.conversations.list();
    expect(backend.requests().map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      "POST /v1/identity",
      "GET /v1/conversations",
    ]);
    expect(reloaded.getVisitorId()).toBe(first.getVisitorId());
    reloaded.destroy();
  });

  it("links exactly once on mount when the stored user's identity carries a secret", async () => {
    const storage = sharedStorage();
    const first = createNametag({ apiUrl: API_URL, persistence: storage });
    await first.identify(JANE);
    first.destroy();
    const reloaded = createNametag({
      apiUrl: API_URL,
      persistence: storage,
      initialIdentity: JANE,
    });
    reloaded.mount();
    await reloaded.conversations.list();
    await reloaded.syncAuth(JANE);
    expect(linkRequests()).toHaveLength(2);
    expect(linkRequests()[1]?.idempotencyKey).not.toBe(linkRequests()[0]?.idempotencyKey);
    reloaded.destroy();
  });

  it("starts a fresh visitor when storage holds a different user", () => {
    const storage = createMemoryStorage();
    const visitorId = "v_1700000000000_abcdefghijklmnop";
    writeState(storage, {
      visitorId,
      userId: "user_jane",
      userMetadata: { name: "Jane" },
      fingerprint: "x",
    });
    const nametag = createNametag({ apiUrl: API_URL, persistence: storage, initialIdentity: OMAR });
    expect(nametag.getIdentity()).toMatchObject({ status: "identified", userId: "user_omar" });
    expect(nametag.getVisitorId()).not.toBe(visitorId);
  });

  it("throws at creation for an invalid initialIdentity", () => {
    expect(() =>
      createNametag({ apiUrl: API_URL, persistence: "memory", initialIdentity: { userId: "a b" } }),
    ).toThrow(/userId/);
  });
});

describe("options", () => {
  it("refuses a missing apiUrl", () => {
    expect(() => createNametag({} as never)).toThrow(/apiUrl/);
    expect(() => createNametag(undefined as never)).toThrow(/apiUrl/);
  });

  it.each([
    ["persistence", "cookies"],
    ["persistence", { getItem: () => null }],
    ["persistence", null],
    ["timeoutMs", -1],
    ["maxMetadataBytes", Number.NaN],
    ["sensitiveKeys", "token"],
    ["sensitiveKeys", [1]],
  ])("refuses %s = %j with INVALID_OPTIONS", (name, value) => {
    expect(() => createNametag({ apiUrl: API_URL, [name]: value } as never)).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS" }),
    );
  });
});

describe("updateMetadata", () => {
  it("merges into the stored metadata; null removes a key", async () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    await nametag.identify(JANE);
    await nametag.updateMetadata({ plan: "pro", company: null, seats: 5 });
    expect(nametag.getIdentity().userMetadata).toEqual({
      name: "Jane Smith",
      email: "jane@example.com",
      plan: "pro",
      seats: 5,
    });
    const stored = backend.store.findUserByExternalId("user_jane")?.userMetadata;
    expect(stored).toMatchObject({ plan: "pro", seats: 5 });
    expect(stored).not.toHaveProperty("company");
    // Identifying with what is now current sends nothing more.
    await nametag.identify({
      userId: "user_jane",
      userMetadata: {
        name: "Jane Smith",
        email: "jane@example.com",
        plan: "pro",
        seats: 5,
        authToken: JANE.userMetadata.authToken,
      },
    });
    expect(linkRequests()).toHaveLength(1);
  });

  it("needs an identified user, validates synchronously, and waits for a link in flight", async () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    expect(() => nametag.updateMetadata({ a: 1 })).toThrow(
      expect.objectContaining({ code: "NOT_IDENTIFIED" }),
    );
    const linking = nametag.identify(JANE);
    expect(() => nametag.updateMetadata([] as never)).toThrow(
      expect.objectContaining({ code: "INVALID_METADATA" }),
    );
    await nametag.updateMetadata({ plan: "pro" });
    await linking;
    expect(backend.requests().map((entry) => entry.method)).toEqual(["POST", "PATCH"]);
    expect(nametag.getIdentity().userMetadata.plan).toBe("pro");
  });

  it("refuses a merge over the size limit", async () => {
    const nametag = createNametag({
      apiUrl: API_URL,
      persistence: "memory",
      maxMetadataBytes: 200,
    });
    await nametag.identify({ userId: "u1", userMetadata: { a: "x".repeat(100) } });
    expect(() => nametag.updateMetadata({ b: "y".repeat(100) })).toThrow(
      expect.objectContaining({ code: "METADATA_TOO_LARGE" }),
    );
  });

  it("reports a failed update and keeps the metadata, and is dropped after a reset", async () => {
    const onError = vi.fn();
    const nametag = createNametag({
      apiUrl: API_URL,
      persistence: "memory",
      onError,
      retry: false,
    });
    await nametag.identify(JANE);
    backend.injectFault({ status: 400, path: "/v1/identity", method: "PATCH" });
    await nametag.updateMetadata({ plan: "pro" });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: "BAD_REQUEST" }));
    expect(nametag.getIdentity().userMetadata.plan).toBe("enterprise");
    const update = nametag.updateMetadata({ plan: "free" });
    nametag.resetUser();
    await update;
    expect(nametag.getIdentity().userMetadata).toEqual({});
  });
});

describe("events", () => {
  it("emits identityUpdate with the sanitized identity and reset with the previous user", async () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    const updates: unknown[] = [];
    const resets: unknown[] = [];
    const off = nametag.on("identityUpdate", (identity) => updates.push(identity));
    nametag.on("reset", (payload) => resets.push(payload));
    await nametag.identify(JANE);
    nametag.resetUser();
    off();
    await nametag.identify(OMAR);
    expect(updates).toHaveLength(3);
    expect(JSON.stringify(updates)).not.toContain("demo-jane-auth-token");
    expect(updates[1]).toMatchObject({ status: "identified", userId: "user_jane" });
    expect(resets).toEqual([{ previousUserId: "user_jane", visitorId: nametag.getVisitorId() }]);
  });

  it("a throwing handler does not stop the others or the client", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const nametag = createNametag({
      apiUrl: API_URL,
      persistence: "memory",
      onError: () => {
        throw new Error("boom");
      },
    });
    const second = vi.fn();
    nametag.on("identityUpdate", () => {
      throw new Error("handler bug");
    });
    nametag.on("identityUpdate", second);
    await nametag.identify({ ...JANE, assignedAgent: "nobody" });
    expect(second).toHaveBeenCalled();
    expect(error).toHaveBeenCalled();
  });

  it("getAgentContext() is the sanitized user, stable until a change", async () => {
    const nametag = createNametag({
      apiUrl: API_URL,
      persistence: "memory",
      sensitiveKeys: [/^company$/],
    });
    await nametag.identify({ ...JANE, userMetadata: { ...JANE.userMetadata, apiKey: "sk-1" } });
    const context = nametag.getAgentContext();
    expect(context).toEqual({
      userId: "user_jane",
      userMetadata: { name: "Jane Smith", email: "jane@example.com", plan: "enterprise" },
    });
    expect(nametag.getAgentContext()).toBe(context);
  });

  it("posts { type: 'nametag:identityUpdate', data } to the page's own origin only, sanitized", async () => {
    const postMessage = vi.fn();
    vi.stubGlobal(
      "window",
      Object.assign(new EventTarget(), {
        location: { origin: "https://app.example" },
        postMessage,
      }),
    );
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    await nametag.identify(JANE);
    expect(postMessage).toHaveBeenCalledTimes(2);
    for (const [message, origin] of postMessage.mock.calls) {
      expect(origin).toBe("https://app.example");
      expect(message.type).toBe("nametag:identityUpdate");
      expect(JSON.stringify(message)).not.toContain("demo-jane-auth-token");
    }
    expect(postMessage.mock.calls[1]?.[0].data).toEqual({
      status: "identified",
      visitorId: nametag.getVisitorId(),
      userId: "user_jane",
      userMetadata: {
        name: "Jane Smith",
        email: "jane@example.com",
        plan: "enterprise",
        company: "Acme Inc",
      },
    });
  });

  it("posts nothing to an opaque origin ('null'), and survives a postMessage that throws", async () => {
    const postMessage = vi.fn();
    vi.stubGlobal(
      "window",
      Object.assign(new EventTarget(), { location: { origin: "null" }, postMessage }),
    );
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    await nametag.identify(JANE);
    expect(postMessage).not.toHaveBeenCalled();
    vi.stubGlobal(
      "window",
      Object.assign(new EventTarget(), {
        location: { origin: "https://a.test" },
        postMessage: () => {
          throw new Error("detached");
        },
      }),
    );
    nametag.resetUser();
    expect(nametag.getIdentity().status).toBe("anonymous");
  });
});
