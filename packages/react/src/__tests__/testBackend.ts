// The one MSW server (@nametag/mock's shared setupMockServer) and client factory every test file
// uses; what is React's own here is the cleanup: the DOM, every client and the web storages.
import type { IdentifyInput, NametagClient, NametagOptions } from "@nametag/core";
import { createNametag } from "@nametag/core";
import { DEMO_USERS } from "@nametag/mock";
import { setupMockServer } from "@nametag/mock/node";
import { cleanup } from "@testing-library/react";
import { afterAll, afterEach, beforeAll } from "vitest";

export const API_URL = "http://nametag.test";

export const JANE: IdentifyInput = DEMO_USERS.jane;
export const OMAR: IdentifyInput = DEMO_USERS.omar;

/** Starts the mock backend for this test file; resets it, the DOM and every client after each test. */
export function setupBackend() {
  const mock = setupMockServer({ baseUrl: API_URL });
  const clients: NametagClient[] = [];

  beforeAll(mock.listen);
  afterEach(() => {
    if (typeof document !== "undefined") cleanup();
    for (const client of clients.splice(0)) client.destroy();
    mock.reset();
    globalThis.localStorage?.clear();
    globalThis.sessionStorage?.clear();
  });
  afterAll(mock.close);

  return {
    ...mock,
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
