// The one test backend of this package: @nametag/mock's handlers behind MSW's setupServer, reset
// after each test, so every test starts from an empty store and sees exactly its own requests.
import { createMockBackend } from "@nametag/mock";
import type { MockBackendOptions } from "@nametag/mock";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { NametagServerOptions } from "../index";
import { Nametag } from "../index";

export const API_KEY = "sk_test_server_sdk";
export const API_URL = "http://nametag.test";

export const JANE = {
  userId: "user_jane",
  userMetadata: {
    name: "Jane Smith",
    email: "jane@example.com",
    plan: "enterprise",
    company: "Acme Inc",
    authToken: "demo-jane-auth-token-7f3a",
  },
};

export function useMockBackend(options: MockBackendOptions = {}) {
  const apiUrl = options.baseUrl ?? API_URL;
  const backend = createMockBackend({ apiKey: API_KEY, ...options, baseUrl: apiUrl });
  const server = setupServer(...backend.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    server.resetHandlers();
    backend.reset();
  });
  afterAll(() => server.close());

  /** A client of this backend; backoff waits are shortened so retry tests stay fast. */
  function client(extra: Partial<NametagServerOptions> = {}): Nametag {
    return new Nametag({
      apiUrl,
      apiKey: API_KEY,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      ...extra,
    });
  }

  /** The backend's request log as "METHOD path status" lines. */
  function requestLines(): string[] {
    return backend.requests().map((entry) => `${entry.method} ${entry.path} ${entry.status}`);
  }

  /**
   * A browser call (no API key): the visitor header plus, once identified, the user id and any
   * credential, as `@nametag/core`'s client sends them.
   */
  async function browserCall<T = { id: string }>(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  return { backend, server, apiUrl, client, requestLines, browserCall };
}
