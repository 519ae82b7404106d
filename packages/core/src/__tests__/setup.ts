// One MSW server for the whole suite, answering with the in-memory Nametag backend of
// @nametag/mock. Tests read the backend's store and request log to assert what it observed.
import { DEMO_USERS, createMockBackend } from "@nametag/mock";
import type { MockBackend } from "@nametag/mock";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createMemoryStorage } from "../storage";
import type { StorageLike } from "../types";

export const API_URL = "http://nametag.test";
export const IDENTITY_SECRET = "test-identity-secret";

export const backend: MockBackend = createMockBackend({ baseUrl: API_URL });
/** A second backend that verifies identities (answers on its own origin). */
export const verifyingBackend: MockBackend = createMockBackend({
  baseUrl: "http://verified.nametag.test",
  identitySecret: IDENTITY_SECRET,
});
export const VERIFIED_API_URL = "http://verified.nametag.test";

export const server = setupServer(...backend.handlers, ...verifyingBackend.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.events.removeAllListeners();
  server.resetHandlers();
  backend.reset();
  verifyingBackend.reset();
});
afterAll(() => server.close());

// The demo users every package's tests and examples share (Jane's metadata holds an authToken).
export const JANE = DEMO_USERS.jane;
export const OMAR = DEMO_USERS.omar;

/** Link requests the backend answered (admin routes excluded). */
export function linkRequests(from: MockBackend = backend) {
  return from
    .requests()
    .filter((entry) => entry.method === "POST" && entry.path === "/v1/identity");
}

/** A storage shared by two clients, as two tabs share localStorage. */
export function sharedStorage(): StorageLike & { raw(): string | null } {
  const storage = createMemoryStorage();
  return Object.assign(storage, { raw: () => storage.getItem("nametag:state") });
}

/** Waits until `condition` holds (polling microtasks and macrotasks), failing after ~2 s. */
export async function until(condition: () => boolean, what = "condition"): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** One request as it left the client (before any handler answered it). */
export interface WireRequest {
  method: string;
  /** Path with the query string. */
  path: string;
  headers: Record<string, string>;
  /** The JSON body, or undefined. */
  body: unknown;
}

/**
 * Records every request the clients send, as the network sees it (MSW's request:start), so a test
 * asserts what was sent, not only what the backend stored. Read it with `await sent()`.
 */
export function recordWire(): () => Promise<WireRequest[]> {
  const entries: Promise<WireRequest>[] = [];
  server.events.on("request:start", ({ request }) => {
    const url = new URL(request.url);
    entries.push(
      request
        .clone()
        .text()
        .then((text) => ({
          method: request.method,
          path: url.pathname + url.search,
          headers: Object.fromEntries(request.headers),
          body: text ? (JSON.parse(text) as unknown) : undefined,
        })),
    );
  });
  return () => Promise.all(entries);
}

/** A promise resolved by hand, to hold a response until the test lets it go. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/** A stand-in `window` (an EventTarget with an origin), as a browser page has. */
export function browserWindow() {
  return Object.assign(new EventTarget(), {
    location: { origin: "http://app.test" },
    postMessage: () => undefined,
  });
}
