// The one MSW server of the suite (@nametag/mock's shared setupMockServer, wired in setup.ts),
// plus what tests need to talk to it: a client factory and the two demo users.
import { createNametag as createNametagClient } from "@nametag/core";
import type { IdentifyInput, NametagClient, NametagOptions } from "@nametag/core";
import { DEMO_USERS } from "@nametag/mock";
import { setupMockServer } from "@nametag/mock/node";

export const API_URL = "http://nametag.test";

export const mock = setupMockServer({ baseUrl: API_URL });
/** `requests`: every request that reached the backend since the last reset, in order. */
export const { backend, server, requests } = mock;

/** The link requests (`POST /v1/identity`) the backend received. */
export const links = mock.linkRequests;

export function createTestClient(options: Partial<NametagOptions> = {}): NametagClient {
  return createNametagClient({
    apiUrl: API_URL,
    persistence: "memory",
    crossTab: false,
    retry: false,
    ...options,
  });
}

export const jane: IdentifyInput = DEMO_USERS.jane;
export const omar: IdentifyInput = DEMO_USERS.omar;
