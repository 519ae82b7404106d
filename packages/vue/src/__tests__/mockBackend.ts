// The one MSW server of the suite, over @nametag/mock's in-memory backend, plus what tests need
// to talk to it: a client factory, the two demo users and a log of the requests the backend saw.
import { createNametag as createNametagClient } from "@nametag/core";
import type { IdentifyInput, NametagClient, NametagOptions } from "@nametag/core";
import { createMockBackend } from "@nametag/mock";
import { setupServer } from "msw/node";

export const API_URL = "http://nametag.test";

export const backend = createMockBackend({ baseUrl: API_URL });
export const server = setupServer(...backend.handlers);

export interface LoggedRequest {
  method: string;
  path: string;
  visitorId: string | null;
  userId: string | null;
}

/** Every request that reached the backend since the last reset, in order. */
export const requests: LoggedRequest[] = [];
server.events.on("request:start", ({ request }) => {
  requests.push({
    method: request.method,
    path: new URL(request.url).pathname,
    visitorId: request.headers.get("x-nametag-visitor-id"),
    userId: request.headers.get("x-nametag-user-id"),
  });
});

/** The link requests (`POST /v1/identity`) the backend received. */
export const links = (): LoggedRequest[] =>
  requests.filter((r) => r.method === "POST" && r.path === "/v1/identity");

export function createTestClient(options: Partial<NametagOptions> = {}): NametagClient {
  return createNametagClient({
    apiUrl: API_URL,
    persistence: "memory",
    crossTab: false,
    retry: false,
    ...options,
  });
}

export const jane: IdentifyInput = {
  userId: "user_jane",
  userMetadata: {
    name: "Jane Smith",
    email: "jane@example.com",
    plan: "enterprise",
    company: "Acme Inc",
    authToken: "demo-jane-auth-token-7f3a",
  },
};

export const omar: IdentifyInput = {
  userId: "user_omar",
  userMetadata: { name: "Omar Haddad", email: "omar@example.com", plan: "pro", company: "Globex" },
};
