import { HEADERS } from "@nametag/core";
import { http } from "msw";
import type { HttpHandler } from "msw";
import type { MockAgent } from "./agent";
import { supportAgent } from "./agent";
import { resolveCaller } from "./caller";
import type { BackendRuntime, RouteResult } from "./context";
import { corsHeaders, errorEnvelope, isAllowedOrigin, jsonResponse } from "./envelope";
import { MockHttpError } from "./errors";
import { createFaults } from "./faults";
import type { MockFault } from "./faults";
import { createIdempotency } from "./idempotency";
import { createRateLimiter } from "./rateLimit";
import type { RateLimitOptions } from "./rateLimit";
import { readJsonBody } from "./readBody";
import type { MockRequestLogEntry } from "./requestLog";
import { createRequestLog } from "./requestLog";
import { createRouter } from "./router";
import { routes } from "./routes";
import { handleAdmin } from "./routes/admin";
import { MockStore } from "./store";

export interface MockBackendOptions {
  /**
   * Origin (and optional path) the MSW handlers answer: `${baseUrl}/*`. Default
   * `"http://nametag.test"`. A relative path ("/api/nametag") matches on any origin.
   */
  baseUrl?: string;
  /**
   * The API key: servers send `Authorization: Bearer <apiKey>`, a host proxy
   * `Authorization: NametagProxy <apiKey>` (browser scope only). Default `"sk_test_nametag"`.
   */
  apiKey?: string;
  /** Turns identity verification on: browser identities need a valid userHash or identityToken. */
  identitySecret?: string;
  /** Per-caller fixed window; over the limit answers 429 RATE_LIMITED with Retry-After. */
  rateLimit?: RateLimitOptions;
  /** Delay before every answer, in ms (admin routes excluded). */
  latencyMs?: number;
  /** Agent name → reply function. Default: one agent, `support`, that greets by name and plan. */
  agents?: Record<string, MockAgent>;
  /** The agent of a new conversation when neither the request nor the user names one. Default `"support"`. */
  defaultAgent?: string;
  /** Clock seam (ms since the epoch), for timestamps, rate-limit windows and JWT `exp`. */
  now?: () => number;
  /** Seed of the deterministic ids and tokens. Default `"nametag"`. */
  seed?: string;
  /**
   * Browser origins whose pages may read the answers (CORS), exact `scheme://host[:port]`
   * strings. Default: `http(s)://localhost`, `127.0.0.1` and `[::1]` on any port. `/__mock/*`
   * never sends CORS headers.
   */
  corsOrigins?: readonly string[];
}

/** Where a request came from, as the transport knows it (`startMockServer` fills it in). */
export interface MockRequestInfo {
  /**
   * The peer's IP address. `/__mock/*` answers only loopback peers; when absent (MSW and
   * `handle()` in-process) the request counts as loopback.
   */
  remoteAddress?: string;
  /**
   * The `Host` the client asked for. When given, `/__mock/*` answers only a loopback name
   * (`localhost`, `127.x.x.x`, `[::1]`): a DNS-rebinding page is on this machine too, but asks
   * for its own host name.
   */
  host?: string;
}

export interface MockBackend {
  /** MSW request handlers: `setupServer(...backend.handlers)` or `setupWorker(...backend.handlers)`. */
  handlers: HttpHandler[];
  /** The in-memory state, readable in tests. */
  store: MockStore;
  /** Empties the store, faults, request log, rate-limit windows. Call it after each test. */
  reset(): void;
  /** Answers one Fetch request; never throws and never answers 500 for bad input. */
  handle(request: Request, info?: MockRequestInfo): Promise<Response>;
  /** The requests answered so far (admin routes excluded), oldest first. */
  requests(): MockRequestLogEntry[];
  /** Makes the next matching requests fail (as `POST /__mock/faults`). */
  injectFault(fault: Omit<MockFault, "count"> & { count?: number }): void;
}

const BODY_METHODS = new Set(["POST", "PATCH", "PUT"]);

/** Creates an in-memory Nametag backend that implements the whole contract of API.md. */
export function createMockBackend(options: MockBackendOptions = {}): MockBackend {
  const base = parseBaseUrl(options.baseUrl ?? "http://nametag.test");
  const basePath = base.path;
  const now = options.now ?? Date.now;
  const agents = new Map(Object.entries(options.agents ?? { support: supportAgent }));
  const defaultAgent =
    options.defaultAgent ?? (agents.has("support") ? "support" : [...agents.keys()][0]);
  if (defaultAgent === undefined || !agents.has(defaultAgent)) {
    throw new TypeError(
      `createMockBackend: defaultAgent ${JSON.stringify(defaultAgent)} is not one of options.agents. Add it to agents, or leave defaultAgent out.`,
    );
  }
  const corsOrigins = options.corsOrigins && checkCorsOrigins(options.corsOrigins);
  const store = new MockStore({
    now,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  const runtime: BackendRuntime = {
    store,
    apiKey: options.apiKey ?? "sk_test_nametag",
    identitySecret: options.identitySecret,
    agents,
    defaultAgent,
    now,
  };
  const match = createRouter(routes);
  const rateLimiter = createRateLimiter(options.rateLimit, now);
  const idempotency = createIdempotency(store);
  const faults = createFaults();
  const log = createRequestLog();
  let requestCounter = 0;

  function reset(): void {
    store.reset();
    faults.clear();
    log.clear();
    rateLimiter.reset();
    idempotency.clear();
  }

  function relativePath(pathname: string): string {
    if (basePath !== "" && (pathname === basePath || pathname.startsWith(`${basePath}/`))) {
      return pathname.slice(basePath.length) || "/";
    }
    return pathname;
  }

  async function answer(
    request: Request,
    path: string,
  ): Promise<{ result: RouteResult; replayed: boolean }> {
    const fault = faults.take(request.method, path);
    if (fault) throw fault;
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    rateLimiter.hit(callerKey(request));
    const { route, params } = match(request.method, path);
    const body = BODY_METHODS.has(request.method) ? await readJsonBody(request) : undefined;
    const caller = await resolveCaller(request, route, runtime);
    const context = { request, url: new URL(request.url), path, params, body, caller, runtime };
    // Before the idempotency lookup: a replay must pass the same identity checks as the original.
    await route.precheck?.(context);
    return idempotency.run(request, path, body, caller, async () => route.handler(context));
  }

  async function handle(request: Request, info: MockRequestInfo = {}): Promise<Response> {
    requestCounter += 1;
    const requestId = `req_${now().toString(36)}_${requestCounter.toString(36)}`;
    let path = "/";
    let search = "";
    try {
      const url = new URL(request.url);
      path = relativePath(url.pathname);
      search = url.search;
    } catch {
      // A Request always has an absolute URL; nothing to do if it somehow does not.
    }

    if (path === "/__mock" || path.startsWith("/__mock/")) {
      // Dev-only routes: never CORS headers, and only for this machine (see assertAdminCaller).
      const headers = { [HEADERS.requestId]: requestId };
      try {
        assertAdminCaller(request, info, corsOrigins);
        const result = await handleAdmin(request, path, {
          reset,
          addFault: (fault) => faults.add(fault),
          listFaults: () => faults.list(),
          clearFaults: () => faults.clear(),
          requests: () => log.list(),
          snapshot: () => store.toJSON(),
        });
        return jsonResponse(result.status, result.body, headers);
      } catch (error) {
        return errorResponse(error, headers);
      }
    }

    const headers: Record<string, string> = {
      ...corsHeaders(request, corsOrigins),
      [HEADERS.requestId]: requestId,
    };
    if (request.method === "OPTIONS") return jsonResponse(204, undefined, headers);

    let response: Response;
    let replayed = false;
    try {
      const outcome = await answer(request, path);
      replayed = outcome.replayed;
      response = jsonResponse(outcome.result.status, outcome.result.body, {
        ...headers,
        ...outcome.result.headers,
        ...(replayed ? { [HEADERS.idempotentReplayed]: "true" } : {}),
      });
    } catch (error) {
      response = errorResponse(error, headers);
    }
    log.add({
      method: request.method,
      path: path + search,
      status: response.status,
      idempotencyKey: request.headers.get(HEADERS.idempotencyKey),
      replayed,
      requestId,
    });
    return response;
  }

  return {
    // A predicate, not the path pattern `${baseUrl}/*`: MSW's pattern matcher throws on malformed
    // percent-encoding, and this backend must answer every request itself (400, never a crash).
    handlers: [
      http.all(
        ({ request }) => base.matches(request.url),
        ({ request }) => handle(request),
      ),
    ],
    store,
    reset,
    handle,
    requests: () => log.list(),
    injectFault: (fault) => faults.add({ count: 1, ...fault }),
  };
}

/** `corsOrigins` as given, or a TypeError naming the entry that is not an origin. */
function checkCorsOrigins(origins: readonly string[]): readonly string[] {
  for (const origin of origins) {
    let parsed: string | undefined;
    try {
      parsed = new URL(origin).origin;
    } catch {
      parsed = undefined;
    }
    if (parsed !== origin) {
      throw new TypeError(
        `createMockBackend: corsOrigins entry ${JSON.stringify(origin)} is not an origin. Use scheme://host[:port] without a path or trailing slash, e.g. "https://app.example.com".`,
      );
    }
  }
  return [...origins];
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopbackAddress(address: string): boolean {
  const plain = address.replace(/^::ffff:/i, "");
  return plain === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

/** True for a Host header naming this machine: `localhost`, `127.x.x.x` or `[::1]`, any port. */
function isLoopbackHost(host: string): boolean {
  const name = (
    host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0]
  )?.toLowerCase();
  return (
    name === "localhost" || name === "[::1]" || (name !== undefined && isLoopbackAddress(name))
  );
}

/**
 * `/__mock/*` resets the store and dumps user tokens, so it answers only a peer on this machine
 * (loopback; in-process callers count as one) and no page from a foreign origin (a browser on the
 * same machine is loopback too, but sends its page's Origin).
 */
function assertAdminCaller(
  request: Request,
  info: MockRequestInfo,
  corsOrigins: readonly string[] | undefined,
): void {
  if (info.remoteAddress !== undefined && !isLoopbackAddress(info.remoteAddress)) {
    throw new MockHttpError(
      403,
      "SCOPE_DENIED",
      "The /__mock/ routes are for local development only and answer only requests from this machine (loopback).",
    );
  }
  if (info.host !== undefined && !isLoopbackHost(info.host)) {
    throw new MockHttpError(
      403,
      "SCOPE_DENIED",
      "The /__mock/ routes answer only requests for localhost, 127.0.0.1 or [::1]. Call them by one of those names.",
    );
  }
  const origin = request.headers.get("origin");
  if (origin !== null && !isAllowedOrigin(origin, corsOrigins)) {
    throw new MockHttpError(
      403,
      "SCOPE_DENIED",
      "The /__mock/ routes do not answer pages from other origins. Call them from your test runner, or add the origin with --cors-origin.",
    );
  }
}

/**
 * The base URL's path and a matcher for `${baseUrl}/*`. A relative base ("/api/nametag", for
 * setupWorker in a page) matches that path on any origin.
 */
function parseBaseUrl(baseUrl: string): { path: string; matches(url: string): boolean } {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(baseUrl);
  const parsed = new URL(baseUrl, "http://relative.invalid");
  const path = parsed.pathname.replace(/\/+$/, "");
  return {
    path,
    matches(url) {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return false;
      }
      if (absolute && target.origin !== parsed.origin) return false;
      return path === "" || target.pathname === path || target.pathname.startsWith(`${path}/`);
    },
  };
}

function errorResponse(error: unknown, headers: Record<string, string>): Response {
  const known =
    error instanceof MockHttpError
      ? error
      : new MockHttpError(
          500,
          "INTERNAL",
          `The mock backend failed unexpectedly (${error instanceof Error ? error.message : String(error)}). Please report it with the request that caused it.`,
        );
  return jsonResponse(known.status, errorEnvelope(known), { ...headers, ...known.headers });
}

/** Who a rate-limit window belongs to: a server's key (and user token), else the visitor. */
function callerKey(request: Request): string {
  const authorization = request.headers.get("authorization");
  // A host proxy's key is shared by all its browsers: they are counted per visitor.
  if (authorization && /^bearer\b/i.test(authorization.trim()))
    return `key:${authorization}:${request.headers.get(HEADERS.userToken) ?? ""}`;
  return `visitor:${request.headers.get(HEADERS.visitorId) ?? "none"}`;
}
