// The one MSW server (with @nametag/mock's backend) and client factory every test file uses.
import type { IdentifyInput, NametagClient, NametagOptions } from "@nametag/core";
import { createNametag } from "@nametag/core";
import { createMockBackend } from "@nametag/mock";
import { cleanup } from "@testing-library/react";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

export const API_URL = "http://nametag.test";

export const JANE: IdentifyInput = {
  userId: "user_jane",
  userMetadata: {
    name: "Jane Smith",
    email: "jane@example.com",
    plan: "enterprise",
    company: "Acme Inc",
    authToken: "demo-jane-auth-token-7f3a",
  },
};

export const OMAR: IdentifyInput = {
  userId: "user_omar",
  userMetadata: { name: "Omar Haddad", email: "omar@example.com", plan: "pro", company: "Globex" },
};

export interface SeenRequest {
  method: string;
  path: string;
}

/** Starts the mock backend for this test file; resets it, the DOM and every client after each test. */
export function setupBackend() {
  const backend = createMockBackend({ baseUrl: API_URL });
  const server = setupServer(...backend.handlers);
  const requests: SeenRequest[] = [];
  const clients: NametagClient[] = [];
  server.events.on("request:start", ({ request }) => {
    requests.push({ method: request.method, path: new URL(request.url).pathname });
  });

  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    if (typeof document !== "undefined") cleanup();
    for (const client of clients.splice(0)) client.destroy();
    requests.length = 0;
    backend.reset();
    server.resetHandlers();
    globalThis.localStorage?.clear();
    globalThis.sessionStorage?.clear();
  });
  afterAll(() => server.close());

  return {
    backend,
    server,
    /** Every request the page sent, in order. */
    requests,
    /** How many `POST /v1/identity` (link) requests were sent. */
    linkCount: () =>
      requests.filter((r) => r.method === "POST" && r.path === "/v1/identity").length,
    /** A client against the mock; destroyed after the test. */
    createClient(options: Partial<NametagOptions> = {}): NametagClient {
      const client = createNametag({
        apiUrl: API_URL,
        persistence: "memory",
        crossTab: false,
        ...options,
      });
      clients.push(client);
      return client;
    },
  };
}
