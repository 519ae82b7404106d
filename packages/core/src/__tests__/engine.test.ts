// The rules of issue 14, each reproduced from outside: what was sent on the wire (MSW's
// request:start), what the mock backend stored and logged, what storage and events hold.
import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createNametag } from "../createNametag";
import type { NametagError } from "../errors";
import { STORAGE_KEY, createMemoryStorage, writeState } from "../storage";
import type { NametagClient, NametagOptions, StorageLike } from "../types";
import {
  API_URL,
  JANE,
  OMAR,
  backend,
  browserWindow,
  deferred,
  linkRequests,
  recordWire,
  server,
  sharedStorage,
  until,
} from "./setup";

afterEach(() => {
  vi.unstubAllGlobals();
});

function client(options: Partial<NametagOptions> = {}): NametagClient {
  return createNametag({ apiUrl: API_URL, persistence: "memory", retry: false, ...options });
}

const links = async (sent: ReturnType<typeof recordWire>) =>
  (await sent()).filter((entry) => entry.method === "POST" && entry.path === "/v1/identity");

describe("superseded links are never sent", () => {
  it("identify(jane); resetUser() in one tick sends nothing", async () => {
    const sent = recordWire();
    const nametag = client();
    const pending = nametag.identify(JANE);
    nametag.resetUser();
    await pending;
    await nametag.conversations.list(); // a later request: everything before it has gone out
    expect((await sent()).map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      "GET /v1/conversations",
    ]);
    expect(nametag.getIdentity()).toMatchObject({ status: "anonymous", userId: null });
  });

  it("identify(jane); identify(omar) in one tick sends one link, Omar's, with one Idempotency-Key", async () => {
    const sent = recordWire();
    const nametag = client();
    const first = nametag.identify(JANE);
    const second = nametag.identify(OMAR);
    await Promise.all([first, second]);
    const wire = await links(sent);
    expect(wire.map((entry) => (entry.body as { userId: string }).userId)).toEqual(["user_omar"]);
    expect(linkRequests()).toHaveLength(1);
    expect(nametag.getIdentity()).toMatchObject({ status: "identified", userId: "user_omar" });
    expect(backend.store.findUserByExternalId("user_jane")).toBeUndefined();
  });

  it("a link superseded while it waits for a retry sends no further attempt", async () => {
    const sent = recordWire();
    server.use(http.post(`${API_URL}/v1/identity`, () => HttpResponse.error()));
    const nametag = client({ retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 5 } });
    const pending = nametag.identify(JANE);
    await new Promise((resolve) => setImmediate(resolve));
    nametag.resetUser();
    await pending;
    expect(await links(sent)).toHaveLength(1);
  });
});

describe("re-entrant calls from handlers and listeners", () => {
  it("resetUser() from a reset handler is already satisfied: one reset, one rotation, one write", () => {
    const storage = sharedStorage();
    const writes: string[] = [];
    const recording: StorageLike = {
      ...storage,
      setItem: (key, value) => {
        // The state's writes (the claim's request counter lives under its own key).
        if (key === STORAGE_KEY) writes.push(value);
        storage.setItem(key, value);
      },
    };
    const nametag = client({ persistence: recording });
    const resets: unknown[] = [];
    nametag.on("reset", (payload) => {
      resets.push(payload);
      nametag.resetUser();
    });
    const before = nametag.getVisitorId();
    nametag.resetUser();
    expect(resets).toEqual([{ previousUserId: null, visitorId: nametag.getVisitorId() }]);
    expect(nametag.getVisitorId()).not.toBe(before);
    expect(writes).toHaveLength(1);
    expect(JSON.parse(storage.raw() as string).visitorId).toBe(nametag.getVisitorId());
  });

  it("resetUser() from a reset handler is a no-op even when it would queue behind later calls", async () => {
    const sent = recordWire();
    const nametag = client();
    const resets: unknown[] = [];
    nametag.on("reset", (payload) => {
      resets.push(payload.previousUserId);
      nametag.resetUser();
    });
    // Omar replaces Jane in the same tick: his identify emits the reset Jane's departure needs.
    const first = nametag.identify(JANE);
    const second = nametag.identify(OMAR);
    await Promise.all([first, second]);
    await nametag.conversations.list();
    const wire = await sent();
    expect(resets).toEqual(["user_jane"]);
    expect(wire.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      "POST /v1/identity",
      "GET /v1/conversations",
    ]);
    expect((wire[0]?.body as { userId: string }).userId).toBe("user_omar");
    expect(wire[1]?.headers["x-nametag-user-id"]).toBe("user_omar");
    expect(backend.store.findUserByExternalId("user_omar")).toBeDefined();
    expect(nametag.getIdentity()).toMatchObject({ status: "identified", userId: "user_omar" });
  });

  it("a subscribe listener that resets on every change runs once per change, no recursion", async () => {
    const nametag = client();
    await nametag.identify(JANE);
    const errors: unknown[] = [];
    const log = vi.spyOn(console, "error").mockImplementation((...args) => errors.push(args));
    let calls = 0;
    nametag.subscribe(() => {
      calls++;
      nametag.resetUser();
    });
    const resets: unknown[] = [];
    nametag.on("reset", (payload) => resets.push(payload.previousUserId));
    nametag.resetUser();
    log.mockRestore();
    expect(resets).toEqual(["user_jane"]);
    expect(calls).toBe(1);
    expect(errors).toEqual([]);
    expect(nametag.getIdentity()).toMatchObject({ status: "anonymous", userId: null });
  });

  it("an identify() from an identityUpdate handler runs after the current change, once", async () => {
    const sent = recordWire();
    const nametag = client();
    let once = false;
    nametag.on("identityUpdate", (identity) => {
      if (identity.userId === "user_jane" && !once) {
        once = true;
        void nametag.identify(OMAR);
      }
    });
    await nametag.identify(JANE);
    await nametag.conversations.list();
    const wire = await links(sent);
    expect(wire.map((entry) => (entry.body as { userId: string }).userId)).toEqual(["user_omar"]);
    expect(nametag.getIdentity()).toMatchObject({ status: "identified", userId: "user_omar" });
  });
});

describe("a failed link keeps the intent and is retried on the next trigger", () => {
  /** The link fails at the network level `failures` times, then reaches the backend. */
  function flakyLink(failures: number) {
    const keys: string[] = [];
    server.use(
      http.post(`${API_URL}/v1/identity`, ({ request }) => {
        keys.push(request.headers.get("idempotency-key") ?? "");
        return keys.length <= failures ? HttpResponse.error() : undefined;
      }),
    );
    return keys;
  }

  it("the same identify() again resends it with the same Idempotency-Key", async () => {
    const keys = flakyLink(1);
    const nametag = client({ onError: () => undefined });
    await nametag.identify(JANE);
    expect(nametag.getIdentity().status).toBe("identifying");
    await nametag.identify(JANE);
    expect(nametag.getIdentity()).toMatchObject({ status: "identified", userId: "user_jane" });
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(linkRequests().map((entry) => entry.idempotencyKey)).toEqual([keys[0]]);
  });

  it("the next backend call sends the link first (same key), then goes out as the user", async () => {
    const keys = flakyLink(1);
    const sent = recordWire();
    const nametag = client({ onError: () => undefined });
    await nametag.identify(JANE);
    await nametag.conversations.list();
    const wire = await sent();
    expect(wire.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      "POST /v1/identity",
      "POST /v1/identity",
      "GET /v1/conversations",
    ]);
    expect(wire[2]?.headers["x-nametag-user-id"]).toBe("user_jane");
    expect(keys[1]).toBe(keys[0]);
    expect(nametag.getIdentity().status).toBe("identified");
  });

  it("a call made while the link cannot be made fails clearly and is never sent as the anonymous visitor", async () => {
    flakyLink(10);
    const sent = recordWire();
    const nametag = client({ onError: () => undefined });
    await nametag.identify(JANE);
    await expect(nametag.conversations.create()).rejects.toMatchObject({
      code: "NETWORK_ERROR",
      message: expect.stringMatching(/could not be linked yet/),
    });
    expect((await sent()).filter((entry) => entry.path === "/v1/conversations")).toEqual([]);
    expect(nametag.getIdentity().status).toBe("identifying");
  });

  it("a write waiting for the link is not sent when the user is reset meanwhile", async () => {
    const hold = deferred();
    let linkArrived = false;
    server.use(
      http.post(`${API_URL}/v1/identity`, async () => {
        linkArrived = true;
        await hold.promise; // the link's answer is held until after the reset
        return undefined;
      }),
    );
    const sent = recordWire();
    const nametag = client();
    const identified = nametag.identify(JANE);
    const create = nametag.conversations.create(); // waits for Jane's link
    const outcome = expect(create).rejects.toMatchObject({ code: "ABORTED" });
    await until(() => linkArrived, "the link to reach the backend");
    nametag.resetUser();
    hold.resolve();
    await outcome;
    await identified;
    await nametag.conversations.list(); // everything sent before it has gone out
    expect((await sent()).map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      "POST /v1/identity",
      "GET /v1/conversations",
    ]);
    expect(backend.store.conversations).toEqual([]);
  });

  it("a timed-out link is retried on `online`, with the same key", async () => {
    const target = browserWindow();
    vi.stubGlobal("window", target);
    const keys = flakyLink(1);
    const nametag = client({ onError: () => undefined });
    nametag.mount();
    await nametag.identify(JANE);
    target.dispatchEvent(new Event("online"));
    await nametag.identify(JANE); // resolves once the link sent by `online` settled
    expect(keys).toEqual([keys[0], keys[0]]);
    expect(nametag.getIdentity().status).toBe("identified");
    nametag.destroy();
  });
});

describe("responses are checked", () => {
  it.each([
    ["a message", { message: "ok" }],
    ["an error field", { error: "nope" }],
    ["an empty body", undefined],
    ["another user", { userId: "user_omar", visitorId: "v_1_abcdef", linkedConversationIds: [] }],
  ])(
    "a 2xx with %s is INVALID_RESPONSE, never a confirmed or stored link; the intent is kept and retried with the same key",
    async (_label, body) => {
      const keys: string[] = [];
      server.use(
        http.post(`${API_URL}/v1/identity`, ({ request }) => {
          keys.push(request.headers.get("idempotency-key") ?? "");
          if (keys.length > 1) return undefined; // the backend answers properly from now on
          return body === undefined
            ? new HttpResponse(null, { status: 200 })
            : HttpResponse.json(body);
        }),
      );
      const target = browserWindow();
      vi.stubGlobal("window", target);
      const storage = sharedStorage();
      const errors: NametagError[] = [];
      const nametag = client({ persistence: storage, onError: (error) => errors.push(error) });
      nametag.mount();
      await nametag.identify(JANE);
      expect(errors.map((error) => error.code)).toEqual(["INVALID_RESPONSE"]);
      // Not confirmed, not stored, and not silently anonymous either: the user is still wanted.
      expect(nametag.getIdentity()).toMatchObject({ status: "identifying" });
      expect(JSON.parse(storage.raw() ?? "{}").userId ?? null).toBeNull();
      expect(linkRequests()).toHaveLength(0);
      target.dispatchEvent(new Event("online"));
      await nametag.identify(JANE); // resolves once the link sent by `online` settled
      expect(keys).toEqual([keys[0], keys[0]]);
      expect(linkRequests().map((entry) => entry.idempotencyKey)).toEqual([keys[0]]);
      expect(nametag.getIdentity()).toMatchObject({ status: "identified", userId: "user_jane" });
      expect(JSON.parse(storage.raw() ?? "{}").userId).toBe("user_jane");
      nametag.destroy();
    },
  );

  it.each([
    ["a message", { message: "ok" }],
    ["an error field", { error: "upstream" }],
    ["an empty body", undefined],
  ])("a write answered 2xx with %s is INVALID_RESPONSE, never a success", async (_label, body) => {
    const junk = () =>
      body === undefined ? new HttpResponse(null, { status: 200 }) : HttpResponse.json(body);
    const nametag = client();
    const real = await nametag.conversations.create();
    server.use(
      http.post(`${API_URL}/v1/conversations`, junk),
      http.post(`${API_URL}/v1/conversations/:id/messages`, junk),
    );
    await expect(nametag.conversations.create()).rejects.toMatchObject({
      code: "INVALID_RESPONSE",
    });
    await expect(nametag.conversations.send(real.id, "hello")).rejects.toMatchObject({
      code: "INVALID_RESPONSE",
    });
    // The backend holds nothing more than the first conversation: the app was told so.
    expect(backend.store.conversations.map((entry) => entry.id)).toEqual([real.id]);
  });
});

describe("Retry-After and the bound on waiting", () => {
  it("Retry-After past 60 s fails at once with RATE_LIMITED and details.retryAfter, one request sent", async () => {
    backend.injectFault({ status: 429, count: 5, path: "/v1/conversations", retryAfter: 3600 });
    const nametag = client({ retry: {} });
    await expect(nametag.conversations.list()).rejects.toMatchObject({
      code: "RATE_LIMITED",
      status: 429,
      details: { retryAfter: 3600 },
    });
    expect(backend.requests().map((entry) => entry.status)).toEqual([429]);
  });
});

describe("the total wait of one call is bounded (MAX_TOTAL_WAIT_MS, 60 s)", () => {
  it("a second 50 s Retry-After would pass 60 s of waiting: the call fails after two requests", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      backend.injectFault({ status: 503, count: 5, path: "/v1/conversations", retryAfter: 50 });
      const nametag = client({ retry: { retries: 5 } });
      const listing = nametag.conversations.list();
      const outcome = expect(listing).rejects.toMatchObject({ code: "UNAVAILABLE", status: 503 });
      await vi.advanceTimersByTimeAsync(50_000);
      await outcome;
      expect(backend.requests().map((entry) => entry.status)).toEqual([503, 503]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("writes carry an Idempotency-Key and are retried", () => {
  /** The first attempt of each matching write is lost on the network after reaching the backend. */
  function loseFirstResponse(path: RegExp) {
    const seen = new Set<string>();
    server.use(
      http.post(`${API_URL}/v1/*`, async ({ request }) => {
        if (!path.test(new URL(request.url).pathname)) return undefined;
        const response = await backend.handle(request);
        const key = request.headers.get("idempotency-key") ?? "none";
        if (seen.has(key)) return response;
        seen.add(key);
        return HttpResponse.error();
      }),
    );
  }

  it("conversations.create(): one conversation stored, one key on both attempts", async () => {
    loseFirstResponse(/^\/v1\/conversations$/);
    const nametag = client({ retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    const conversation = await nametag.conversations.create();
    const creates = backend.requests().filter((entry) => entry.path === "/v1/conversations");
    expect(creates).toHaveLength(2);
    expect(creates[0]?.idempotencyKey).toEqual(expect.any(String));
    expect(creates[1]).toMatchObject({
      replayed: true,
      idempotencyKey: creates[0]?.idempotencyKey,
    });
    expect(backend.store.conversations.map((entry) => entry.id)).toEqual([conversation.id]);
  });

  it("conversations.send(): the message is stored once", async () => {
    const nametag = client({ retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    const conversation = await nametag.conversations.create();
    loseFirstResponse(/\/messages$/);
    const { message } = await nametag.conversations.send(conversation.id, "Hello");
    const { data: messages } = await nametag.conversations.messages(conversation.id);
    expect(messages.filter((entry) => entry.role === "user").map((entry) => entry.id)).toEqual([
      message.id,
    ]);
  });

  it("two sends of the same text are two messages (one key per logical write)", async () => {
    const nametag = client();
    const conversation = await nametag.conversations.create();
    await nametag.conversations.send(conversation.id, "Hi");
    await nametag.conversations.send(conversation.id, "Hi");
    const sends = backend.requests().filter((entry) => entry.path.endsWith("/messages"));
    expect(new Set(sends.map((entry) => entry.idempotencyKey)).size).toBe(2);
  });
});

describe("identical concurrent reads share one request", () => {
  it("100 concurrent list() during a 5xx storm send one request per attempt (4), not 400", async () => {
    backend.injectFault({ status: 503, count: 1000, path: "/v1/conversations" });
    const nametag = client({ retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => nametag.conversations.list()),
    );
    expect(results.every((result) => result.status === "rejected")).toBe(true);
    expect(backend.requests()).toHaveLength(4);
  });
});

describe("environment and persistence of the visitor id", () => {
  it("never touches a global localStorage without a window", async () => {
    const touched: string[] = [];
    const inner = createMemoryStorage();
    vi.stubGlobal("localStorage", {
      getItem: (key: string) => (touched.push(`get ${key}`), inner.getItem(key)),
      setItem: (key: string, value: string) => (
        touched.push(`set ${key}`),
        inner.setItem(key, value)
      ),
      removeItem: (key: string) => (touched.push(`remove ${key}`), inner.removeItem(key)),
    });
    expect(typeof (globalThis as { window?: unknown }).window).toBe("undefined");
    const nametag = createNametag({ apiUrl: API_URL, retry: false });
    nametag.mount();
    await nametag.identify(JANE);
    nametag.resetUser();
    nametag.destroy();
    expect(touched).toEqual([]);
  });

  it("uses an explicit StorageLike object even without a window", async () => {
    const storage = sharedStorage();
    const nametag = createNametag({ apiUrl: API_URL, retry: false, persistence: storage });
    await nametag.identify(OMAR);
    expect(JSON.parse(storage.raw() as string)).toMatchObject({ userId: "user_omar" });
  });

  it("a never-mounted client that creates a conversation persists its visitor id", async () => {
    const storage = sharedStorage();
    const nametag = client({ persistence: storage });
    const conversation = await nametag.conversations.create();
    expect(JSON.parse(storage.raw() as string).visitorId).toBe(nametag.getVisitorId());
    const reloaded = client({ persistence: storage });
    expect(reloaded.getVisitorId()).toBe(nametag.getVisitorId());
    const { data } = await reloaded.conversations.list();
    expect(data.map((entry) => entry.id)).toEqual([conversation.id]);
  });
});

describe("secrets the host declared reach the backend as paths (sensitivePaths)", () => {
  it("identify() and updateMetadata() send the sanitizer's removed pointers, only when there are some", async () => {
    const sent = recordWire();
    const nametag = client({ sensitiveKeys: ["company"] });
    await nametag.identify(JANE);
    await nametag.updateMetadata({ billing: { cardToken: "tok_1" }, plan: "pro" });
    await nametag.updateMetadata({ plan: "team" });
    await nametag.identify({ userId: "user_omar", userMetadata: { name: "Omar" } });
    const bodies = (await sent())
      .filter((entry) => entry.path === "/v1/identity")
      .map(
        (entry) =>
          `${entry.method} ${JSON.stringify((entry.body as { sensitivePaths?: string[] }).sensitivePaths)}`,
      );
    expect(bodies).toEqual([
      'POST ["/company","/authToken"]',
      'PATCH ["/billing/cardToken"]',
      "PATCH undefined",
      "POST undefined",
    ]);
  });
});

describe("storage never holds something a secret can be recovered from", () => {
  const SECRET = "493817";
  const withSecret = { userId: "user_sam", userMetadata: { name: "Sam", password: SECRET } };
  const withoutSecret = { userId: "user_sam", userMetadata: { name: "Sam", plan: "pro" } };

  it("an identity with a secret is stored without a fingerprint and linked once per page load", async () => {
    const storage = sharedStorage();
    const first = client({ persistence: storage });
    await first.identify(withSecret);
    const raw = storage.raw() as string;
    expect(raw).not.toContain(SECRET);
    expect(JSON.parse(raw)).toEqual({
      v: 1,
      visitorId: first.getVisitorId(),
      userId: "user_sam",
      userMetadata: { name: "Sam" },
      fingerprint: null,
      seq: 1,
    });
    first.destroy();
    const reloaded = client({ persistence: storage });
    expect(reloaded.getIdentity()).toMatchObject({ status: "identified", userId: "user_sam" });
    await reloaded.identify(withSecret);
    await reloaded.identify(withSecret);
    expect(linkRequests()).toHaveLength(2);
    expect(storage.raw()).not.toContain(SECRET);
  });

  it("a credential (userHash) counts as a secret too", async () => {
    const storage = sharedStorage();
    const nametag = client({ persistence: storage });
    await nametag.identify({ ...withoutSecret, userHash: "a".repeat(64) });
    expect(JSON.parse(storage.raw() as string).fingerprint).toBeNull();
    expect(storage.raw()).not.toContain("aaaaaaaa");
  });

  it("an unchanged identity without secrets sends zero links on reload", async () => {
    const storage = sharedStorage();
    const first = client({ persistence: storage });
    await first.identify(withoutSecret);
    expect(JSON.parse(storage.raw() as string).fingerprint).toEqual(expect.any(String));
    first.destroy();
    const reloaded = client({ persistence: storage });
    await reloaded.identify({ ...withoutSecret, userMetadata: { ...withoutSecret.userMetadata } });
    expect(linkRequests()).toHaveLength(1);
    expect(storage.getItem(STORAGE_KEY)).toContain("user_sam");
  });
});

describe("a logout leaves no user id behind", () => {
  it("after resetUser() no stored key holds the user's id, and the old visitor id cannot be linked to another user", async () => {
    const memory = createMemoryStorage();
    const keys = new Set<string>();
    const storage: StorageLike = {
      getItem: (key) => memory.getItem(key),
      setItem: (key, value) => {
        keys.add(key);
        memory.setItem(key, value);
      },
      removeItem: (key) => memory.removeItem(key),
    };
    const jane = client({ persistence: storage });
    await jane.identify(JANE);
    const janesVisitor = jane.getVisitorId();
    jane.resetUser();
    expect(keys.size).toBeGreaterThan(0);
    for (const key of keys) expect(memory.getItem(key) ?? "").not.toContain(JANE.userId);
    jane.destroy();

    // A tab still on Jane's visitor id (it missed the logout) links Omar on a fresh id instead.
    writeState(storage, {
      visitorId: janesVisitor,
      userId: null,
      userMetadata: {},
      fingerprint: null,
    });
    const sent = recordWire();
    const stale = client({ persistence: storage });
    expect(stale.getVisitorId()).toBe(janesVisitor);
    await stale.identify(OMAR);
    const omarsLinks = await links(sent);
    expect(omarsLinks).toHaveLength(1);
    expect(omarsLinks[0]!.headers["x-nametag-visitor-id"]).not.toBe(janesVisitor);
    expect(stale.getIdentity()).toMatchObject({ status: "identified", userId: OMAR.userId });
  });
});

describe("calls made from listeners", () => {
  it("a list() from the subscribe listener of an identify goes out as the user, after the link", async () => {
    const sent = recordWire();
    const nametag = client();
    let listing: Promise<unknown> | undefined;
    nametag.subscribe(() => {
      if (nametag.getIdentity().status === "identifying") listing = nametag.conversations.list();
    });
    await nametag.identify(JANE);
    await listing;
    const wire = await sent();
    expect(wire.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      "POST /v1/identity",
      "GET /v1/conversations",
    ]);
    expect(wire[1]?.headers["x-nametag-user-id"]).toBe("user_jane");
  });
});
