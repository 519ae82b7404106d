// One MSW server per test file (@nametag/mock's shared setupMockServer), plus what only this
// package needs: the proxy tests assert on the exact headers and body that were forwarded, so
// each request is logged here with both (the shared log keeps method, path, visitor and user).
import type { MockBackendOptions } from "@nametag/mock";
import { setupMockServer } from "@nametag/mock/node";
import { afterAll, afterEach, beforeAll } from "vitest";

export const API_URL = "http://nametag.test";
export const API_KEY = "sk_test_nametag_suite_key";
export const IDENTITY_SECRET = "suite-identity-secret";

export interface ObservedRequest {
  method: string;
  /** Path after the backend's origin, e.g. `/v1/identity`. */
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

/** Starts the mock backend for this test file; reset after each test. */
export function startMockBackend(options: Partial<MockBackendOptions> = {}) {
  const mock = setupMockServer({ baseUrl: API_URL, apiKey: API_KEY, ...options });
  const requests: ObservedRequest[] = [];

  mock.server.events.on("request:start", ({ request }) => {
    const url = new URL(request.url);
    if (url.origin !== API_URL) return;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const entry: ObservedRequest = {
      method: request.method,
      path: url.pathname,
      headers,
      body: undefined,
    };
    requests.push(entry);
    void request
      .clone()
      .text()
      .then((text) => {
        entry.body = text === "" ? undefined : (JSON.parse(text) as unknown);
      })
      .catch(() => undefined);
  });

  beforeAll(mock.listen);
  afterEach(() => {
    mock.reset();
    requests.length = 0;
  });
  afterAll(mock.close);

  return {
    backend: mock.backend,
    server: mock.server,
    requests,
    /** The link requests (`POST /v1/identity`) the backend received, with their bodies. */
    linkRequests: () => requests.filter((r) => r.method === "POST" && r.path === "/v1/identity"),
  };
}
