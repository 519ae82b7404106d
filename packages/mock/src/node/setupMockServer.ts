// One MSW server over one mock backend, with a log of what reached it: the helper every package's
// tests used to copy. No test runner is imported, so it works under vitest, jest and node:test.
import { HEADERS } from "@nametag/core";
import { setupServer } from "msw/node";
import type { SetupServer } from "msw/node";
import { createMockBackend } from "../createMockBackend";
import type { MockBackend, MockBackendOptions } from "../createMockBackend";

/** One request as the backend received it (from MSW's `request:start`, so faults count too). */
export interface MockServerRequest {
  method: string;
  /** The URL's pathname, e.g. `/v1/identity`. */
  path: string;
  /** `X-Nametag-Visitor-Id`, or null when the request had none (server calls). */
  visitorId: string | null;
  /** `X-Nametag-User-Id`, or null while anonymous. */
  userId: string | null;
}

export interface MockServerSetup {
  backend: MockBackend;
  /** MSW's `setupServer(...backend.handlers)`: `server.use(...)` overrides a handler for one test. */
  server: SetupServer;
  /** Every request since the last `reset()`, oldest first. */
  requests: MockServerRequest[];
  /** The link requests (`POST /v1/identity`) since the last `reset()`. */
  linkRequests(): MockServerRequest[];
  /** Starts intercepting; a request no handler answers fails the test (`onUnhandledRequest: "error"`). */
  listen(): void;
  /** Drops handler overrides, empties the backend and the request log. Call it after each test. */
  reset(): void;
  /** Stops intercepting. */
  close(): void;
}

/**
 * The mock backend behind MSW's Node server. Wire it to your runner in three lines:
 * `beforeAll(mock.listen)`, `afterEach(mock.reset)`, `afterAll(mock.close)`.
 */
export function setupMockServer(options: MockBackendOptions = {}): MockServerSetup {
  const backend = createMockBackend(options);
  const server = setupServer(...backend.handlers);
  const requests: MockServerRequest[] = [];

  server.events.on("request:start", ({ request }) => {
    requests.push({
      method: request.method,
      path: new URL(request.url).pathname,
      visitorId: request.headers.get(HEADERS.visitorId),
      userId: request.headers.get(HEADERS.userId),
    });
  });

  // Arrow properties, so `beforeAll(mock.listen)` works unbound.
  return {
    backend,
    server,
    requests,
    linkRequests: () => requests.filter((r) => r.method === "POST" && r.path === "/v1/identity"),
    listen: () => server.listen({ onUnhandledRequest: "error" }),
    reset: () => {
      server.resetHandlers();
      backend.reset();
      requests.length = 0;
    },
    close: () => server.close(),
  };
}
