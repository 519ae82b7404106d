import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createNametag } from "../createNametag";
import { openCrossTab } from "../crossTab";
import { STORAGE_KEY, createMemoryStorage } from "../storage";
import type { NametagClient, StorageLike } from "../types";
import { API_URL, JANE, OMAR, backend, recordWire, server, until } from "./setup";

afterEach(() => {
  vi.unstubAllGlobals();
});

/** localStorage as the browser shares it: a write fires `storage` on the (other tabs') window. */
function browserLikeStorage(target: EventTarget): StorageLike {
  const inner = createMemoryStorage();
  return {
    getItem: (key) => inner.getItem(key),
    removeItem: (key) => inner.removeItem(key),
    setItem(key, value) {
      inner.setItem(key, value);
      target.dispatchEvent(Object.assign(new Event("storage"), { key, newValue: value }));
    },
  };
}

function twoTabs(storage: StorageLike): [NametagClient, NametagClient] {
  const first = createNametag({ apiUrl: API_URL, persistence: storage });
  const second = createNametag({ apiUrl: API_URL, persistence: storage });
  first.mount();
  second.mount();
  return [first, second];
}

describe.each([
  ["BroadcastChannel", false],
  ["the storage event (no BroadcastChannel)", true],
])("cross-tab through %s", (_label, withoutBroadcastChannel) => {
  function setup(): [NametagClient, NametagClient] {
    const [first, second] = setupWithStorage();
    return [first, second];
  }
  function setupWithStorage(): [NametagClient, NametagClient, StorageLike] {
    const target = new EventTarget();
    if (withoutBroadcastChannel) {
      vi.stubGlobal("BroadcastChannel", undefined);
      vi.stubGlobal(
        "window",
        Object.assign(target, {
          location: { origin: "http://app.test" },
          postMessage: () => undefined,
        }),
      );
    }
    const storage = withoutBroadcastChannel ? browserLikeStorage(target) : createMemoryStorage();
    return [...twoTabs(storage), storage];
  }

  it("an identify in one tab is adopted by the other", async () => {
    const [first, second] = setup();
    expect(second.getVisitorId()).toBe(first.getVisitorId());
    await first.identify(JANE);
    await until(
      () => second.getIdentity().status === "identified",
      "the other tab to adopt the user",
    );
    expect(second.getIdentity()).toMatchObject({
      userId: "user_jane",
      userMetadata: { name: "Jane Smith", plan: "enterprise" },
    });
    expect(second.getIdentity().userMetadata).not.toHaveProperty("authToken");
    first.destroy();
    second.destroy();
  });

  it("two users identified at once in two tabs never share a visitor id; the later request wins in both", async () => {
    const [first, second] = setup();
    const sent = recordWire();
    await Promise.all([first.identify(JANE), second.identify(OMAR)]);
    const links = (await sent()).filter((entry) => entry.path === "/v1/identity");
    expect(links.map((entry) => (entry.body as { userId: string }).userId)).toEqual([
      "user_jane",
      "user_omar",
    ]);
    const [janeVisitor, omarVisitor] = links.map((entry) => entry.headers["x-nametag-visitor-id"]);
    expect(omarVisitor).not.toBe(janeVisitor);
    expect(backend.requests().filter((entry) => entry.path === "/v1/identity")).toHaveLength(2);
    await until(
      () =>
        first.getIdentity().userId === "user_omar" && second.getIdentity().userId === "user_omar",
      "both tabs to show the later request's user",
    );
    expect(first.getVisitorId()).toBe(omarVisitor);
    expect(second.getVisitorId()).toBe(omarVisitor);
    first.destroy();
    second.destroy();
  });

  it("a tab reloaded while its link was moved off a claimed visitor id does not link that id again", async () => {
    const [first, second, storage] = setupWithStorage();
    const sent = recordWire();
    const omar = second.identify(OMAR);
    void first.identify(JANE); // Omar claimed the shared visitor id: Jane moves to a fresh one
    first.destroy(); // the page reloads before anything was answered
    const reloaded = createNametag({ apiUrl: API_URL, persistence: storage });
    reloaded.mount();
    await Promise.all([omar, reloaded.identify(JANE)]);
    const links = (await sent()).filter((entry) => entry.path === "/v1/identity");
    const visitorOf = (userId: string) =>
      links
        .filter((entry) => (entry.body as { userId: string }).userId === userId)
        .map((entry) => entry.headers["x-nametag-visitor-id"]);
    expect(visitorOf("user_omar")).toHaveLength(1);
    expect(visitorOf("user_jane")).toHaveLength(1);
    expect(visitorOf("user_jane")[0]).not.toBe(visitorOf("user_omar")[0]);
    reloaded.destroy();
    second.destroy();
  });

  it("a reset in one tab resets the other, onto the same fresh visitor id", async () => {
    const [first, second] = setup();
    await first.identify(JANE);
    await until(() => second.getIdentity().status === "identified", "adoption");
    const resets: unknown[] = [];
    second.on("reset", (payload) => resets.push(payload));
    first.resetUser();
    await until(() => second.getIdentity().status === "anonymous", "the other tab to reset");
    expect(second.getVisitorId()).toBe(first.getVisitorId());
    expect(resets).toEqual([{ previousUserId: "user_jane", visitorId: first.getVisitorId() }]);
    first.destroy();
    second.destroy();
  });

  it("stops following after unmount, and crossTab: false never follows", async () => {
    const [first, second, storage] = setupWithStorage();
    second.unmount();
    // On the same storage as the others, but not following them.
    const third = createNametag({ apiUrl: API_URL, persistence: storage, crossTab: false });
    third.mount();
    // A fourth tab that follows: once it adopted the user, every tab has been told.
    const fourth = createNametag({ apiUrl: API_URL, persistence: storage });
    fourth.mount();
    await first.identify(JANE);
    await until(() => fourth.getIdentity().status === "identified", "the following tab to adopt");
    expect(second.getIdentity().status).toBe("anonymous");
    expect(third.getIdentity()).toMatchObject({ status: "anonymous", userId: null });
    for (const tab of [first, second, third, fourth]) tab.destroy();
  });
});

/** BroadcastChannels whose messages wait until the test delivers them, to one tab at a time. */
function heldChannels() {
  const channels: { onmessage: ((event: { data: unknown }) => void) | null }[] = [];
  const held: { from: number; data: unknown }[] = [];
  vi.stubGlobal(
    "BroadcastChannel",
    class {
      onmessage: ((event: { data: unknown }) => void) | null = null;
      readonly index = channels.push(this) - 1;
      postMessage(data: unknown) {
        held.push({ from: this.index, data });
      }
      close() {}
    },
  );
  return {
    /** Takes the messages posted so far by tab `from` (in order), to deliver them later. */
    take: (from: number) => held.splice(0).filter((message) => message.from === from),
    deliver: (to: number, message: { data: unknown }) =>
      channels[to]!.onmessage?.({ data: message.data }),
  };
}

describe("cross-tab messages delivered late", () => {
  it("a late reset from another tab does not retire a newer link's claim: the kept link is resent on its own visitor id", async () => {
    const channels = heldChannels();
    const storage = createMemoryStorage();
    const [first, second] = [
      createNametag({ apiUrl: API_URL, persistence: storage }),
      createNametag({ apiUrl: API_URL, persistence: storage, retry: false }),
    ];
    first.mount();
    second.mount();
    await first.identify(JANE);
    await second.identify(JANE); // Jane in both tabs (the messages so far are dropped)
    channels.take(1);
    second.resetUser(); // tab 2 on a fresh visitor id; its message to tab 1 is late
    const [lateReset] = channels.take(1);
    await second.identify(JANE);
    // Omar replaces Jane in tab 2: a fresh visitor id, claimed for Omar; the link meets a 503.
    server.use(
      http.post(`${API_URL}/v1/identity`, () => HttpResponse.json({}, { status: 503 }), {
        once: true,
      }),
    );
    const sent = recordWire();
    await second.identify(OMAR);
    const omarVisitor = second.getVisitorId();
    expect(second.getIdentity()).toMatchObject({ status: "identifying", userId: "user_omar" });
    // Tab 1 now hears of the reset that happened before Omar, and follows it.
    channels.deliver(0, lateReset!);
    expect(first.getIdentity()).toMatchObject({ status: "anonymous" });
    // Omar's link is retried: on the visitor id it was announced on, with its key.
    await second.identify(OMAR);
    const links = (await sent()).filter((entry) => entry.path === "/v1/identity");
    expect(links.map((entry) => entry.headers["x-nametag-visitor-id"])).toEqual([
      omarVisitor,
      omarVisitor,
    ]);
    expect(new Set(links.map((entry) => entry.headers["idempotency-key"])).size).toBe(1);
    expect(second.getIdentity()).toMatchObject({ status: "identified", userId: "user_omar" });
    expect(second.getVisitorId()).toBe(omarVisitor);
    first.destroy();
    second.destroy();
  });
});

describe("a link answered too late", () => {
  /**
   * Two tabs on one storage that hear nothing from each other unless the test delivers it. The
   * second tab's requests reach the backend; while `answers.lost`, their answers never come back
   * (it times out). `links` lists its link requests: [visitor id, Idempotency-Key, replayed].
   */
  function tabsLosingAnswers() {
    const channels = heldChannels();
    const storage = createMemoryStorage();
    const answers = { lost: false };
    const links: [string | null, string | null, string | null][] = [];
    const fetchLosingAnswers: typeof fetch = async (input, init) => {
      const request = new Request(input as string, { ...init, signal: undefined });
      const response = await backend.handle(request);
      if (new URL(request.url).pathname === "/v1/identity")
        links.push([
          request.headers.get("x-nametag-visitor-id"),
          request.headers.get("idempotency-key"),
          response.headers.get("idempotent-replayed"),
        ]);
      if (!answers.lost) return response;
      return new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)),
      );
    };
    const first = createNametag({ apiUrl: API_URL, persistence: storage });
    const second = createNametag({
      apiUrl: API_URL,
      persistence: storage,
      fetch: fetchLosingAnswers,
      timeoutMs: 20,
      retry: false,
    });
    first.mount();
    second.mount();
    return { channels, answers, links, first, second };
  }

  it("is resent on its own visitor id with its key after another tab's reset: the backend links the user once", async () => {
    const { answers, links, first, second } = tabsLosingAnswers();
    const shared = second.getVisitorId();
    answers.lost = true; // the backend links Jane, her tab never hears it
    await second.identify(JANE);
    expect(second.getIdentity()).toMatchObject({ status: "identifying", userId: "user_jane" });
    // Meanwhile the other tab, which never showed Jane, resets (its message is on its way).
    first.resetUser();
    answers.lost = false;
    // A call in Jane's tab is the trigger that resends her kept link (as `online` is).
    await second.conversations.list();
    // The same link again, on the same visitor id: the backend replays it, nothing is linked twice.
    expect(links).toEqual([
      [shared, links[0]![1], null],
      [shared, links[0]![1], "true"],
    ]);
    expect(second.getIdentity()).toMatchObject({ status: "identified", userId: "user_jane" });
    first.destroy();
    second.destroy();
  });

  it("is resent on its own visitor id after the user logs out in another tab, never moved to a fresh one", async () => {
    const { channels, answers, links, first, second } = tabsLosingAnswers();
    await first.identify(JANE);
    for (const message of channels.take(0)) channels.deliver(1, message);
    expect(second.getIdentity()).toMatchObject({ status: "identified", userId: "user_jane" });
    // Jane's plan changes in the second tab: linked on the shared visitor id, the answer lost.
    answers.lost = true;
    await second.identify({ ...JANE, userMetadata: { ...JANE.userMetadata, plan: "pro" } });
    const shared = first.getVisitorId();
    expect(links).toEqual([[shared, expect.any(String), null]]);
    // Jane logs out in the first tab (its message to the second is on its way).
    first.resetUser();
    answers.lost = false;
    await second.conversations.list(); // the trigger that resends the kept link
    // The same link, on the same visitor id with the same key: replayed, not made twice.
    expect(links).toEqual([
      [shared, links[0]![1], null],
      [shared, links[0]![1], "true"],
    ]);
    first.destroy();
    second.destroy();
  });
});

describe("a metadata update from the other tab", () => {
  it("leaves an identify with the tab's own secrets identical: nothing is linked again", async () => {
    const channels = heldChannels();
    const storage = createMemoryStorage();
    const [first, second] = twoTabs(storage);
    await second.identify(JANE); // Jane's metadata holds a secret (authToken): storage never does
    for (const message of channels.take(1)) channels.deliver(0, message);
    expect(first.getIdentity()).toMatchObject({ status: "identified", userId: "user_jane" });
    await first.updateMetadata({ plan: JANE.userMetadata.plan }); // the same plan, written again
    for (const message of channels.take(0)) channels.deliver(1, message);
    const sent = recordWire();
    await second.identify(JANE); // the app says the same thing again
    expect((await sent()).filter((entry) => entry.path === "/v1/identity")).toEqual([]);
    expect(
      second.resolveHttpTool({
        httpUrl: "https://x.test",
        httpHeaders: { a: "{{userMetadata.authToken}}" },
      }).headers.a,
    ).toBe(JANE.userMetadata.authToken);
    first.destroy();
    second.destroy();
  });
});

describe("openCrossTab", () => {
  it("ignores other keys and corrupt values, and returns null where there is nothing to listen to", () => {
    vi.stubGlobal("BroadcastChannel", undefined);
    const onState = vi.fn();
    expect(openCrossTab({ storageKey: STORAGE_KEY, onState })).toBeNull();
    const target = new EventTarget();
    vi.stubGlobal("window", target);
    const link = openCrossTab({ storageKey: STORAGE_KEY, onState });
    target.dispatchEvent(Object.assign(new Event("storage"), { key: "other", newValue: "{}" }));
    target.dispatchEvent(
      Object.assign(new Event("storage"), { key: STORAGE_KEY, newValue: "{oops" }),
    );
    link?.publish("ignored");
    link?.close();
    expect(onState).not.toHaveBeenCalled();
  });

  it("ignores BroadcastChannel messages that are not a stored state", async () => {
    const onState = vi.fn();
    const link = openCrossTab({ storageKey: "k", onState });
    const sender = new BroadcastChannel("nametag:k");
    sender.postMessage({ not: "a string" });
    sender.postMessage("{oops");
    // A valid state after the junk: once it arrives, the junk before it has been handled.
    const valid = {
      v: 1,
      visitorId: "v_1_abcdefgh",
      userId: null,
      userMetadata: {},
      fingerprint: null,
    };
    sender.postMessage(JSON.stringify(valid));
    await until(() => onState.mock.calls.length > 0, "the valid state");
    sender.close();
    link?.close();
    expect(onState.mock.calls).toEqual([[valid]]);
  });
});

describe("cross-tab metadata", () => {
  it("a metadata update in one tab reaches the other, which keeps its own sensitive fields", async () => {
    const storage = createMemoryStorage();
    const [first, second] = twoTabs(storage);
    await first.identify(JANE);
    await second.identify(JANE);
    await first.updateMetadata({ plan: "pro" });
    await until(
      () => second.getIdentity().userMetadata.plan === "pro",
      "the update to reach the other tab",
    );
    expect(
      second.resolveHttpTool({
        httpUrl: "https://x.test",
        httpHeaders: { a: "{{userMetadata.authToken}}" },
      }).headers.a,
    ).toBe(JANE.userMetadata.authToken);
    first.destroy();
    second.destroy();
  });
});
