// The real system the model-based test drives: two browser tabs (two real clients on one shared
// storage, each on its own page `window`) talking to @nametag/mock through a network the test
// controls. The tabs hear of each other's writes the way the sequence drew: a BroadcastChannel,
// or (no BroadcastChannel, as in older browsers) the `storage` event the browser fires in the
// other page on every write. fast-check's scheduler decides when each request reaches the
// backend, when each response reaches the tab and when each cross-tab message or storage event is
// delivered; fake timers decide when timeouts and backoff fire. Only the public API of
// @nametag/core is used.
import type { Scheduler } from "fast-check";
import { vi } from "vitest";
import { createMockBackend } from "@nametag/mock";
import type { MockBackend } from "@nametag/mock";
import { HEADERS, createNametag } from "../../index";
import type { IdentifyInput, Identity, NametagClient, StorageLike } from "../../index";

export const MODEL_API_URL = "http://nametag.test";
/** Every secret the test plants starts with this; it must never show up where the model looks. */
export const SECRET_MARK = "SECRET-";

export type UserName = "ada" | "bo" | "cy";
export const USERS: readonly UserName[] = ["ada", "bo", "cy"];

/** What the app passes to identify(): a user, a plan, and (optionally) secrets the host holds. */
export function identityOf(user: UserName, plan: string, withSecrets: boolean): IdentifyInput {
  return {
    userId: user,
    userMetadata: {
      name: user.toUpperCase(),
      plan,
      ...(withSecrets
        ? {
            apiKey: `${SECRET_MARK}${user}-key`,
            billing: { password: `${SECRET_MARK}${user}-password`, country: "FR" },
          }
        : {}),
    },
  };
}

/** One request as it left a tab (the wire), with what the app wanted at that moment. */
export interface WireRequest {
  seq: number;
  tab: number;
  /** Which client instance of the tab (a reload makes a new one). */
  instance: number;
  method: string;
  path: string;
  visitorId: string | null;
  userHeader: string | null;
  idempotencyKey: string | null;
  body: Record<string, unknown> | null;
  /** The tab's requested user, and its identity-change epoch, when the request was sent. */
  intentUserId: string | null;
  epoch: number;
  /** Set when a 200 that is not the contract's shape answered it (the backend never saw it). */
  junk?: boolean;
  /** Set when the browser was offline: the request never left it (fetch threw a TypeError). */
  offline?: boolean;
  /** Filled in once the backend answered: its status and whether it replayed a stored result. */
  status?: number;
  replayed?: boolean;
}

/** What the app in one tab last asked for. */
export interface TabIntent {
  userId: string | null;
  /** userId + metadata, to tell an identity change from an identical repeat. */
  key: string;
  /** Bumped on every identity change the tab's app asks for (or adopts from another tab). */
  epoch: number;
}

export interface Tab {
  index: number;
  instance: number;
  window: TabWindow;
  client: NametagClient;
  intent: TabIntent;
  /** Conversation ids this tab created successfully. */
  conversations: string[];
  reentrant: Set<ReentrantKind>;
  unsubscribe: Array<() => void>;
}

/** A handler that calls back into the client, as real apps write them. */
export type ReentrantKind =
  | "reset-handler-resets" // on("reset") → resetUser()
  | "update-handler-resets-cy" // on("identityUpdate"): cy is banned → resetUser()
  | "listener-resets-cy" // subscribe(): same rule, through the store listener
  | "update-handler-identifies-guest"; // on("identityUpdate"): back to anonymous → identify(bo)

export interface SentMessage {
  tab: number;
  text: string;
  outcome: "pending" | "ok" | "failed";
}

/** How the two tabs hear of each other's writes; each sequence draws one. */
export type CrossTabTransport = "broadcast-channel" | "storage-event";
export const CROSS_TAB_TRANSPORTS: readonly CrossTabTransport[] = [
  "broadcast-channel",
  "storage-event",
];

/** A client instance of a tab. */
interface Owner {
  index: number;
  instance: number;
}

/**
 * What one client receives from the other tab (a channel's messages, a window's `storage` events),
 * in order. Each message is one scheduled task; a task delivers the OLDEST undelivered message, so
 * the scheduler interleaves cross-tab traffic with responses but never reorders one inbox. A
 * message sent before the receiving tab's app acts again reaches it first (World.beforeAppActs),
 * as a browser delivers a task queued before the user's next click.
 */
export class Inbox {
  /** Each entry delivers one message; false when nobody was listening (nothing to adopt). */
  private queue: Array<() => boolean> = [];
  private closed = false;
  constructor(
    private readonly world: World,
    readonly owner: Owner | null,
    private readonly label: string,
  ) {
    world.inboxes.add(this);
  }
  post(deliver: () => boolean): void {
    if (this.closed) return;
    this.queue.push(deliver);
    void this.world.scheduler.schedule(Promise.resolve(), this.label).then(() => this.deliverOne());
  }
  async deliverOne(): Promise<void> {
    const deliver = this.queue.shift();
    if (deliver === undefined || this.closed) return;
    const world = this.world;
    const tab = this.owner && world.tabs[this.owner.index];
    const own = tab && tab.instance === this.owner?.instance ? tab : null;
    const before = own?.client.getIdentity();
    const calls = world.appCalls;
    const sent = world.wire.length;
    if (!deliver()) return;
    // Handlers may run after the transition that delivered the message.
    for (let tick = 0; tick < 5; tick++) await Promise.resolve();
    // The tab took on another tab's identity (unless its own app called the client meanwhile).
    if (own && !this.closed && world.appCalls === calls) world.adoptIfChanged(own, before, sent);
  }
  /** Delivers everything queued now. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) await this.deliverOne();
  }
  close(): void {
    this.closed = true;
    this.queue = [];
    this.world.inboxes.delete(this);
  }
}

/** A fake BroadcastChannel: messages go to every OTHER instance of the same name, in order. */
function createChannels(world: World) {
  const instances = new Set<FakeChannel>();
  class FakeChannel {
    onmessage: ((event: MessageEvent) => void) | null = null;
    /** Owned by the tab (index, client instance) whose client opened this channel. */
    readonly inbox: Inbox;
    constructor(readonly name: string) {
      this.inbox = new Inbox(world, world.opening, `cross-tab message → ${name}`);
      instances.add(this);
    }
    postMessage(message: unknown): void {
      if (!instances.has(this)) return;
      world.observe("postMessage(BroadcastChannel)", message);
      for (const target of instances)
        if (target !== this && target.name === this.name)
          target.inbox.post(() => {
            if (!target.onmessage) return false;
            target.onmessage({ data: message } as MessageEvent);
            return true;
          });
    }
    close(): void {
      this.inbox.close();
      instances.delete(this);
    }
    unref(): void {}
  }
  return FakeChannel;
}

/**
 * One tab's page: its own `window`, where the browser fires `online`/`offline` and, with the
 * storage-event transport, a `storage` event for every write another tab makes to the shared
 * storage. Gone on a reload (a new page gets a new window; events queued for the old one are lost).
 */
export type TabWindow = EventTarget & {
  location: { origin: string };
  postMessage(message: unknown): void;
  owner: Owner;
  inbox: Inbox;
};

export interface Violation {
  invariant: string;
  detail: string;
}

/** Everything a sequence runs against. Created fresh for each sequence. */
export class World {
  readonly backend: MockBackend = createMockBackend({ baseUrl: MODEL_API_URL });
  /** The shared storage (localStorage): one map, seen by each tab through its own view. */
  private readonly items = new Map<string, string>();
  /** The windows of the open pages (one per tab). */
  private readonly windows = new Set<TabWindow>();
  /** Every open inbox (channels and windows), to deliver a tab's messages before its app acts. */
  readonly inboxes = new Set<Inbox>();
  readonly tabs: Tab[] = [];
  readonly wire: WireRequest[] = [];
  readonly messages: SentMessage[] = [];
  /** Calls of conversations.create, and how many resolved. */
  creates = { calls: 0, ok: 0 };
  offline = false;
  /** The next N requests hang until the client's own timeout aborts them. */
  hangNext = 0;
  /** The next N requests get a 200 that is not the contract's shape (a CDN or captive portal). */
  junkNext = 0;
  /** The identity the app asked for last, in any tab (what both tabs must converge to). */
  lastRequested: { userId: string | null; by: number } = { userId: null, by: -1 };
  /** The tab whose client is being created and mounted (a channel it opens belongs to it). */
  opening: Owner | null = null;
  /** Requests whose backend answer is being computed (not held by the scheduler). */
  private computing = 0;
  private epochs = 0;
  private instances = 0;
  private handlerCalls = 0;
  readonly violations: Violation[] = [];
  /** Every visitor id a user was identified with on a client, to catch a shared visitor. */
  readonly visitorOwner = new Map<string, string>();

  constructor(
    readonly scheduler: Scheduler,
    readonly transport: CrossTabTransport,
  ) {
    // Without BroadcastChannel core falls back to the window's `storage` event.
    vi.stubGlobal(
      "BroadcastChannel",
      transport === "broadcast-channel" ? createChannels(this) : undefined,
    );
  }

  /**
   * The shared storage as the client of one tab sees it. With the storage-event transport a write
   * that changes a key fires `storage` in every OTHER page, as a browser does (an unchanged value
   * or removing a missing key fires nothing).
   */
  private storageFor(owner: Owner): StorageLike {
    const write = (key: string, newValue: string | null) => {
      const oldValue = this.items.get(key) ?? null;
      if (newValue === null) this.items.delete(key);
      else this.items.set(key, newValue);
      if (this.transport !== "storage-event" || oldValue === newValue) return;
      for (const page of this.windows) {
        if (page.owner.index === owner.index && page.owner.instance === owner.instance) continue;
        page.inbox.post(() => {
          const event = Object.assign(new Event("storage"), {
            key,
            oldValue,
            newValue,
            url: `${page.location.origin}/`,
            storageArea: null,
          });
          page.dispatchEvent(event);
          return true;
        });
      }
    };
    return {
      getItem: (key) => this.items.get(key) ?? null,
      setItem: (key, value) => write(key, String(value)),
      removeItem: (key) => write(key, null),
    };
  }

  private openWindow(owner: Owner): TabWindow {
    const page: TabWindow = Object.assign(new EventTarget(), {
      location: { origin: "http://app.test" },
      postMessage: (message: unknown) => this.observe("window.postMessage", message),
      owner,
      inbox: new Inbox(this, owner, `storage event → tab ${owner.index}`),
    });
    this.windows.add(page);
    return page;
  }

  /** Before the app in `tab` acts, the cross-tab messages already sent to it arrive. */
  async beforeAppActs(tab: Tab): Promise<void> {
    for (const inbox of this.inboxes) {
      const owner = inbox.owner;
      if (owner?.index === tab.index && owner.instance === tab.instance) await inbox.drain();
    }
    await this.flush();
  }

  storedValues(): string[] {
    return [...this.items.values()];
  }

  violate(invariant: string, detail: string): void {
    this.violations.push({ invariant, detail });
  }

  /** Payloads the page can see (events, postMessage, cross-tab): none may carry a secret. */
  observe(where: string, payload: unknown): void {
    let text: string;
    try {
      text =
        payload instanceof Error
          ? `${payload.message} ${JSON.stringify((payload as { details?: unknown }).details ?? null)}`
          : JSON.stringify(payload);
    } catch {
      text = String(payload);
    }
    if (text?.includes(SECRET_MARK))
      this.violate("(4) no sensitive value in events", `${where} carried ${text.slice(0, 300)}`);
  }

  // ---- tabs ------------------------------------------------------------------------------------
  openTab(index: number): Tab {
    const instance = ++this.instances;
    this.opening = { index, instance };
    // The page's own window: the client listens to it (online, storage) when it mounts.
    const page = this.openWindow(this.opening);
    vi.stubGlobal("window", page);
    const client = createNametag({
      apiUrl: MODEL_API_URL,
      persistence: this.storageFor(this.opening),
      fetch: this.fetchFor(index, instance),
      // Fake timers drive timeouts and backoff; small values keep a drained sequence short.
      timeoutMs: 2_000,
      retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 40 },
    });
    const tab: Tab = {
      index,
      instance,
      window: page,
      client,
      intent: this.intentFromClient(client),
      conversations: [],
      reentrant: new Set(),
      unsubscribe: [],
    };
    this.tabs[index] = tab;
    tab.unsubscribe.push(
      client.on("identityUpdate", (identity) => {
        this.observe(`tab ${index} identityUpdate`, identity);
        if (tab.reentrant.has("update-handler-resets-cy") && identity.userId === "cy")
          this.reenter(tab, "identityUpdate(cy) → resetUser()", () => this.appReset(tab));
        if (
          tab.reentrant.has("update-handler-identifies-guest") &&
          identity.userId === null &&
          identity.status === "anonymous"
        )
          this.reenter(
            tab,
            "identityUpdate(anonymous) → identify(bo)",
            () => void this.appIdentify(tab, identityOf("bo", "guest", false)),
          );
      }),
      client.on("reset", (payload) => {
        this.observe(`tab ${index} reset`, payload);
        if (tab.reentrant.has("reset-handler-resets"))
          // The rule: a resetUser() from a reset handler is already satisfied by the reset being
          // dispatched, so the app's intent does not change (and nothing must rotate again).
          // Not counted as an app call either: a cross-tab reset that ran this handler is still
          // adopted by the app (deliverOne skips adoption when the app called the client).
          this.reenter(tab, "reset → resetUser()", () => tab.client.resetUser());
      }),
      client.on("error", (error) => this.observe(`tab ${index} error`, error)),
      client.on("verificationFailed", (error) => this.observe(`tab ${index} error`, error)),
      client.subscribe(() => {
        const identity = client.getIdentity();
        this.observe(`tab ${index} subscribe`, identity);
        if (tab.reentrant.has("listener-resets-cy") && identity.userId === "cy")
          this.reenter(tab, "subscribe(cy) → resetUser()", () => this.appReset(tab));
      }),
    );
    try {
      client.mount();
    } finally {
      this.opening = null;
    }
    return tab;
  }

  /** A reload: the page goes away, a new client starts from the shared storage. */
  reloadTab(index: number): Tab {
    this.closeTab(index);
    const tab = this.openTab(index);
    // On load the app tells the client who is signed in (the session is shared by the tabs).
    void this.appSyncAuth(tab, this.sessionUser(), false);
    return tab;
  }

  closeTab(index: number): void {
    const tab = this.tabs[index];
    if (!tab) return;
    for (const off of tab.unsubscribe) off();
    tab.client.unmount();
    tab.client.destroy();
    tab.window.inbox.close();
    this.windows.delete(tab.window);
  }

  /** The user the app's session holds: what the last request in any tab asked for. */
  private session: IdentifyInput | null = null;
  sessionUser(): IdentifyInput | null {
    return this.session;
  }

  private intentFromClient(client: NametagClient): TabIntent {
    const { userId } = client.getIdentity();
    return { userId, key: `restored:${userId}`, epoch: ++this.epochs };
  }

  /** A handler calling back into the client; a loop (the same step calling it 25 times) is a bug. */
  private reenter(tab: Tab, handler: string, call: () => void): void {
    this.handlerTrail.push(
      `${handler} (tab ${tab.index} shows ${JSON.stringify(tab.client.getIdentity().userId)})`,
    );
    if (++this.handlerCalls > 25) {
      if (this.handlerCalls === 26)
        this.violate(
          "(R) re-entrant calls run once",
          `handlers in tab ${tab.index} were called back more than 25 times in one step: ${this.handlerTrail.slice(0, 8).join(" → ")} → …`,
        );
      return;
    }
    call();
  }
  private handlerTrail: string[] = [];

  startStep(): void {
    this.handlerCalls = 0;
    this.handlerTrail = [];
  }

  // ---- what the app does (every call updates the model first) -----------------------------------
  private request(tab: Tab, userId: string | null, key: string): void {
    this.appCalls++;
    // A repeat of what the tab is already doing is no change; the same request after the client
    // dropped it (a reset from another tab meanwhile) is a new one.
    const current = tab.client.getIdentity().userId;
    if (tab.intent.key !== key || current !== userId)
      tab.intent = { userId, key, epoch: ++this.epochs };
    this.lastRequested = { userId, by: tab.index };
  }

  appIdentify(tab: Tab, input: IdentifyInput): Promise<void> {
    this.request(tab, input.userId, `${input.userId}:${JSON.stringify(input.userMetadata)}`);
    this.session = input;
    return this.track(`tab ${tab.index} identify(${input.userId})`, tab.client.identify(input));
  }

  appReset(tab: Tab): void {
    this.request(tab, null, "anonymous");
    this.session = null;
    tab.client.resetUser();
  }

  /** updateMetadata() changes what the user is: an identify of the old metadata is a change again. */
  appUpdateMetadata(tab: Tab, patch: Record<string, unknown>): Promise<void> {
    this.appCalls++;
    const pending = this.track(
      `tab ${tab.index} updateMetadata()`,
      tab.client.updateMetadata(patch),
    );
    tab.intent = { ...tab.intent, key: `${tab.intent.key} + ${JSON.stringify(patch)}` };
    return pending;
  }

  appSyncAuth(tab: Tab, user: IdentifyInput | null | undefined, fromCommand = true): Promise<void> {
    this.appCalls++;
    const label = `tab ${tab.index} syncAuth(${user === undefined ? "undefined" : (user?.userId ?? "null")})`;
    if (user === undefined) return this.track(label, tab.client.syncAuth(undefined));
    if (user === null) {
      // Signed out: nothing to undo on a first anonymous load, but any user (even one still
      // being linked) is no longer wanted.
      if (tab.client.getIdentity().userId !== null || tab.intent.userId !== null) {
        this.request(tab, null, "anonymous");
        // The session (what a reload syncs) is the last request: a sign-out this tab had nothing
        // to do for is not a request, so it must not change the session either.
        if (fromCommand) this.session = null;
      }
      return this.track(label, tab.client.syncAuth(null));
    }
    this.request(tab, user.userId, `${user.userId}:${JSON.stringify(user.userMetadata)}`);
    if (fromCommand) this.session = user;
    return this.track(label, tab.client.syncAuth(user));
  }

  /**
   * After a cross-tab message the tab may show another tab's identity: the app follows it. It
   * follows from the delivery on; the handlers' ticks before this runs only tell whether the app
   * called the client itself, so requests the tab sent in them (an earlier call resuming) were
   * sent for the identity taken on (`sentSince`: the wire length at the delivery).
   */
  adoptIfChanged(tab: Tab, before: Identity | undefined, sentSince: number): void {
    const after = tab.client.getIdentity();
    if (after === before) return;
    const epoch = ++this.epochs;
    tab.intent = { userId: after.userId, key: `adopted:${epoch}`, epoch };
    for (const request of this.wire.slice(sentSince))
      if (request.tab === tab.index && request.instance === tab.instance)
        Object.assign(request, { intentUserId: after.userId, epoch });
  }

  /** Counts the app's calls into a client (a handler's included). */
  appCalls = 0;

  /** Calls the app made that have not settled yet (each must, once the network recovers). */
  readonly unsettled = new Set<string>();
  track<T>(label: string, pending: Promise<T>): Promise<T> {
    const name = `${label} #${this.appCalls}`;
    this.unsettled.add(name);
    const done = () => void this.unsettled.delete(name);
    pending.then(done, done);
    return pending;
  }

  // ---- the network -----------------------------------------------------------------------------
  private fetchFor(tabIndex: number, instance: number): typeof fetch {
    return async (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      const headers = new Headers(init?.headers);
      const method = (init?.method ?? "GET").toUpperCase();
      const bodyText = typeof init?.body === "string" ? init.body : null;
      const tab = this.tabs[tabIndex];
      const entry: WireRequest = {
        seq: this.wire.length,
        tab: tabIndex,
        instance,
        method,
        path: url.pathname,
        visitorId: headers.get(HEADERS.visitorId),
        userHeader: headers.get(HEADERS.userId),
        idempotencyKey: headers.get(HEADERS.idempotencyKey),
        body: bodyText ? (JSON.parse(bodyText) as Record<string, unknown>) : null,
        intentUserId: tab?.instance === instance ? tab.intent.userId : null,
        epoch: tab?.instance === instance ? tab.intent.epoch : -1,
      };
      this.wire.push(entry);
      const signal = init?.signal ?? undefined;
      const aborted = new Promise<never>((_, reject) => {
        const fail = () => reject(signal?.reason ?? new DOMException("aborted", "AbortError"));
        if (signal?.aborted) fail();
        else signal?.addEventListener("abort", fail, { once: true });
      });
      aborted.catch(() => undefined);
      // A browser that is offline fails at once, with fetch's TypeError.
      if (this.offline) {
        entry.offline = true;
        throw new TypeError("Failed to fetch");
      }
      if (this.hangNext > 0) {
        this.hangNext--;
        return aborted;
      }
      const label = `tab ${tabIndex}: ${method} ${url.pathname}`;
      if (this.junkNext > 0) {
        // Answered by something in front of the backend, which never sees the request.
        const body = ['{"message":"ok"}', '{"error":"upstream"}', ""][this.junkNext-- % 3]!;
        entry.junk = true;
        await Promise.race([
          this.scheduler.schedule(Promise.resolve(), `${label} ← 200 (not the contract's body)`),
          aborted,
        ]);
        return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
      }
      await Promise.race([
        this.scheduler.schedule(Promise.resolve(), `${label} reaches backend`),
        aborted,
      ]);
      this.computing++;
      let response: Response;
      try {
        response = await this.backend.handle(
          new Request(url, { method, headers, body: bodyText ?? undefined }),
        );
      } finally {
        this.computing--;
      }
      entry.status = response.status;
      entry.replayed = response.headers.get(HEADERS.idempotentReplayed) === "true";
      await Promise.race([
        this.scheduler.schedule(Promise.resolve(), `${label} ← ${response.status}`),
        aborted,
      ]);
      return response;
    };
  }

  /** Lets every microtask and backend computation finish, releasing nothing held. */
  async flush(): Promise<void> {
    for (let round = 0; round < 50; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.computing === 0 && round >= 2) return;
    }
  }

  /** Releases `count` held tasks (the scheduler picks which), flushing after each. */
  async deliver(count: number): Promise<void> {
    for (let index = 0; index < count && this.scheduler.count() > 0; index++) {
      await this.scheduler.waitNext(1);
      await this.flush();
    }
  }

  /** Lets fake time pass: timeouts and backoff that are due fire. */
  async advance(ms: number): Promise<void> {
    await vi.advanceTimersByTimeAsync(ms);
    await this.flush();
  }

  /** Runs everything to the end: held tasks, timers, retries. */
  async settle(): Promise<void> {
    for (let round = 0; round < 2_000; round++) {
      await this.flush();
      if (this.scheduler.count() > 0) {
        await this.deliver(1);
        continue;
      }
      if (vi.getTimerCount() > 0) {
        await vi.advanceTimersToNextTimerAsync();
        continue;
      }
      return;
    }
    throw new Error("The clients did not settle after 2,000 rounds (a retry or message loop?)");
  }

  setOnline(online: boolean): void {
    this.offline = !online;
    for (const page of this.windows) page.dispatchEvent(new Event(online ? "online" : "offline"));
  }

  async clearFaults(): Promise<void> {
    this.hangNext = 0;
    this.junkNext = 0;
    await this.backend.handle(new Request(`${MODEL_API_URL}/__mock/faults`, { method: "DELETE" }));
  }

  dispose(): void {
    for (const tab of this.tabs) if (tab) this.closeTab(tab.index);
  }
}
