// This package's test backend: @nametag/mock's shared MSW server (reset after each test, so every
// test starts from an empty store), plus what only the server SDK's tests need: a `Nametag`
// client factory, the backend's log with statuses, and `browserCall` for browser-side requests.
import { DEMO_USERS } from "@nametag/mock";
import type { MockBackendOptions } from "@nametag/mock";
import { setupMockServer } from "@nametag/mock/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { NametagServerOptions } from "../index";
import { Nametag } from "../index";

export const API_KEY = "sk_test_server_sdk";
export const API_URL = "http://nametag.test";

export const JANE = DEMO_USERS.jane;

export function useMockBackend(options: MockBackendOptions = {}) {
  const apiUrl = options.baseUrl ?? API_URL;
  const mock = setupMockServer({ apiKey: API_KEY, ...options, baseUrl: apiUrl });
  beforeAll(mock.listen);
  afterEach(mock.reset);
  afterAll(mock.close);
  const { backend, server } = mock;

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
