import { afterEach, describe, expect, it, vi } from "vitest";
import { createNametag } from "../createNametag";
import {
  STORAGE_KEY,
  createMemoryStorage,
  parseState,
  resolveStorage,
  writeState,
} from "../storage";
import type { StorageLike } from "../types";
import { API_URL, JANE, browserWindow, linkRequests, sharedStorage } from "./setup";

const VISITOR = "v_1700000000000_abcdefghijklmnop";

function throwingStorage(name: string, on: "get" | "set"): StorageLike {
  const inner = createMemoryStorage();
  const fail = () => {
    throw new DOMException("denied", name);
  };
  return {
    getItem: on === "get" ? fail : (key) => inner.getItem(key),
    setItem: on === "set" ? fail : (key, value) => inner.setItem(key, value),
    removeItem: (key) => inner.removeItem(key),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("persistence", () => {
  it("uses localStorage by default and survives a reload", async () => {
    const local = createMemoryStorage();
    vi.stubGlobal("window", browserWindow());
    vi.stubGlobal("localStorage", local);
    const first = createNametag({ apiUrl: API_URL });
    first.mount();
    await first.identify(JANE);
    first.destroy();
    const reloaded = createNametag({ apiUrl: API_URL });
    expect(reloaded.getVisitorId()).toBe(first.getVisitorId());
    expect(reloaded.getIdentity()).toMatchObject({ status: "identified", userId: "user_jane" });
    // Jane's metadata holds a secret (authToken), so nothing derived from it is stored: the same
    // identify after a reload links once more (once per page load), and only once.
    await reloaded.identify(JANE);
    await reloaded.identify(JANE);
    expect(linkRequests()).toHaveLength(2);
    // …and the full metadata is back in memory for HTTP tools.
    expect(
      reloaded.resolveHttpTool({
        httpUrl: "https://x.test",
        httpHeaders: { a: "{{userMetadata.authToken}}" },
      }).headers.a,
    ).toBe("demo-jane-auth-token-7f3a");
  });

  it('"sessionStorage" gives session-based ids: a new session (closed window) starts fresh', () => {
    const session = createMemoryStorage();
    vi.stubGlobal("window", browserWindow());
    vi.stubGlobal("sessionStorage", session);
    vi.stubGlobal("localStorage", createMemoryStorage());
    const tab = createNametag({ apiUrl: API_URL, persistence: "sessionStorage" });
    tab.mount();
    expect(JSON.parse(session.getItem(STORAGE_KEY) as string).visitorId).toBe(tab.getVisitorId());
    expect(createNametag({ apiUrl: API_URL, persistence: "sessionStorage" }).getVisitorId()).toBe(
      tab.getVisitorId(),
    );
    vi.stubGlobal("sessionStorage", createMemoryStorage());
    expect(
      createNametag({ apiUrl: API_URL, persistence: "sessionStorage" }).getVisitorId(),
    ).not.toBe(tab.getVisitorId());
    tab.destroy();
  });

  it('"memory" keeps nothing across instances, and a custom StorageLike is used as given', async () => {
    expect(createNametag({ apiUrl: API_URL, persistence: "memory" }).getVisitorId()).not.toBe(
      createNametag({ apiUrl: API_URL, persistence: "memory" }).getVisitorId(),
    );
    const custom = sharedStorage();
    const nametag = createNametag({ apiUrl: API_URL, persistence: custom });
    await nametag.identify(JANE);
    expect(JSON.parse(custom.raw() as string)).toMatchObject({
      v: 1,
      userId: "user_jane",
      visitorId: nametag.getVisitorId(),
    });
  });

  it("never writes sensitive metadata fields", async () => {
    const custom = sharedStorage();
    const nametag = createNametag({
      apiUrl: API_URL,
      persistence: custom,
      sensitiveKeys: ["company"],
    });
    await nametag.identify(JANE);
    await nametag.updateMetadata({ apiKey: "sk-123", nested: { password: "hunter2" } });
    const raw = custom.raw() as string;
    expect(raw).not.toContain("demo-jane-auth-token-7f3a");
    expect(raw).not.toContain("sk-123");
    expect(raw).not.toContain("hunter2");
    expect(raw).not.toContain("Acme");
    expect(JSON.parse(raw).userMetadata).toEqual({
      name: "Jane Smith",
      email: "jane@example.com",
      plan: "enterprise",
      nested: {},
    });
  });

  it.each([
    ["getItem throws SecurityError", throwingStorage("SecurityError", "get")],
    ["setItem throws QuotaExceededError", throwingStorage("QuotaExceededError", "set")],
  ])("falls back to memory with one warning when %s", async (_label, storage) => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const nametag = createNametag({ apiUrl: API_URL, persistence: storage });
    nametag.mount();
    await nametag.identify(JANE);
    nametag.resetUser();
    expect(nametag.getIdentity().status).toBe("anonymous");
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/in memory/);
    nametag.destroy();
  });

  it("falls back with one warning when the localStorage getter itself throws (sandboxed iframe)", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    vi.stubGlobal("window", browserWindow());
    Object.defineProperty(globalThis, "localStorage", {
      configurable: true,
      get() {
        throw new DOMException("The operation is insecure.", "SecurityError");
      },
    });
    try {
      const nametag = createNametag({ apiUrl: API_URL });
      nametag.mount();
      expect(nametag.getVisitorId()).toMatch(/^v_/);
      expect(warn).toHaveBeenCalledTimes(1);
      nametag.destroy();
    } finally {
      delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  });

  it.each([
    ["not JSON", "{oops"],
    ["JSON null", "null"],
    ["an array", "[1]"],
    [
      "another version",
      JSON.stringify({
        v: 2,
        visitorId: VISITOR,
        userId: null,
        userMetadata: {},
        fingerprint: null,
      }),
    ],
    [
      "a bad visitor id",
      JSON.stringify({
        v: 1,
        visitorId: "nope",
        userId: null,
        userMetadata: {},
        fingerprint: null,
      }),
    ],
    [
      "a bad userId",
      JSON.stringify({
        v: 1,
        visitorId: VISITOR,
        userId: "a b",
        userMetadata: {},
        fingerprint: null,
      }),
    ],
    [
      "metadata that is not an object",
      JSON.stringify({
        v: 1,
        visitorId: VISITOR,
        userId: null,
        userMetadata: [],
        fingerprint: null,
      }),
    ],
    [
      "a bad fingerprint",
      JSON.stringify({ v: 1, visitorId: VISITOR, userId: null, userMetadata: {}, fingerprint: 3 }),
    ],
  ])("discards a stored value that is %s and starts clean", (_label, raw) => {
    const storage = createMemoryStorage();
    storage.setItem(STORAGE_KEY, raw);
    expect(parseState(raw)).toBeNull();
    const nametag = createNametag({ apiUrl: API_URL, persistence: storage });
    expect(nametag.getIdentity()).toMatchObject({
      status: "anonymous",
      userId: null,
      userMetadata: {},
    });
    expect(nametag.getVisitorId()).not.toBe(VISITOR);
  });

  it("reads a valid stored state back", () => {
    const storage = createMemoryStorage();
    const raw = writeState(storage, {
      visitorId: VISITOR,
      userId: "user_jane",
      userMetadata: { name: "Jane" },
      fingerprint: "abc",
    });
    expect(storage.getItem(STORAGE_KEY)).toBe(raw);
    expect(parseState(raw)).toEqual({
      v: 1,
      visitorId: VISITOR,
      userId: "user_jane",
      userMetadata: { name: "Jane" },
      fingerprint: "abc",
    });
    expect(parseState(null)).toBeNull();
  });

  it("resolves storage quietly on a server (no window storage)", () => {
    const warn = vi.fn();
    expect(resolveStorage("localStorage", warn).shared).toBe(false);
    expect(resolveStorage("memory", warn).shared).toBe(false);
    expect(warn).not.toHaveBeenCalled();
  });

  it("a removeItem failure also falls back to memory", () => {
    const warn = vi.fn();
    const { storage } = resolveStorage(
      {
        getItem: () => null,
        setItem: () => undefined,
        removeItem: () => {
          throw new Error("nope");
        },
      },
      warn,
    );
    storage.removeItem("x");
    storage.setItem("x", "1");
    expect(storage.getItem("x")).toBe("1");
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
