import type { IdentifyInput } from "@nametag/core";
import {
  HEADERS,
  MAX_BODY_BYTES,
  NametagError,
  PROXY_AUTH_SCHEME,
  VISITOR_ID_PATTERN,
  isNametagError,
} from "@nametag/core";
import type { BrowserRoute } from "./browserRoutes";
import { matchBrowserRoute } from "./browserRoutes";
import { readBodyWithLimit } from "./readBodyWithLimit";
import { shapeBrowserResponse, shapeErrorEnvelope } from "./shapeBrowserResponse";
import { signIdentity } from "./signIdentity";
import { assertUserId } from "./validate";

/** The signed-in user as the host's server knows it: `identify()`'s argument, minus credentials. */
export type NametagProxyUser = Pick<
  IdentifyInput,
  "userId" | "userMetadata" | "labels" | "assignedAgent"
>;

/** What `createNametagProxy()` takes. */
export interface NametagProxyOptions {
  /** The Nametag backend's base URL, e.g. `https://api.nametag.dev` (or `nametag-mock`'s URL). */
  apiUrl: string;
  /** Your secret API key. Sent to the backend as `Authorization: NametagProxy <apiKey>` only. */
  apiKey: string;
  /**
   * Identity verification secret. When set, every request for a signed-in user carries
   * `X-Nametag-User-Hash` (HMAC-SHA256 of the userId), signed here on the server.
   */
  identitySecret?: string;
  /**
   * The signed-in user of this request, from YOUR session (cookie, JWT, ...), or `null` when
   * nobody is signed in. The only source of identity: whatever the browser claims is dropped.
   */
  getUser: (
    request: Request,
  ) => NametagProxyUser | null | undefined | Promise<NametagProxyUser | null | undefined>;
  /** The URL path the proxy is mounted at. Default `"/api/nametag"`. */
  basePath?: string;
  /**
   * How long reading the browser's body, and the backend's answer, may each take.
   * Default 15 000 ms ({@link DEFAULT_PROXY_TIMEOUT_MS}).
   */
  timeoutMs?: number;
  /** The largest request body accepted, counted while reading. Default `MAX_BODY_BYTES` (256 KiB). */
  maxBodyBytes?: number;
  /** The `fetch` used to reach the backend. Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/** A Fetch-API handler: mount it in Next, Hono, Remix, SvelteKit, Nuxt, Bun, Deno (or Express via `toNodeHandler`). */
export type NametagProxyHandler = (request: Request) => Promise<Response>;

export const DEFAULT_PROXY_BASE_PATH = "/api/nametag";
export const DEFAULT_PROXY_TIMEOUT_MS = 15_000;

/** The largest backend answer the proxy reads (a full page of 100 conversations is ~20 KiB). */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,255}$/;
const JSON_CONTENT_TYPE = /^application\/json\s*(?:;\s*charset="?utf-8"?\s*)?$/i;
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
/** Response headers the contract defines, each with the only values passed on. */
const PASSED_RESPONSE_HEADERS: ReadonlyArray<[string, RegExp]> = [
  [HEADERS.retryAfter, /^\d{1,6}$/],
  [HEADERS.idempotentReplayed, /^(?:true|false)$/],
  ["ratelimit-limit", /^\d{1,12}$/],
  ["ratelimit-remaining", /^\d{1,12}$/],
  ["ratelimit-reset", /^\d{1,12}$/],
  ["x-ratelimit-limit", /^\d{1,12}$/],
  ["x-ratelimit-remaining", /^\d{1,12}$/],
  ["x-ratelimit-reset", /^\d{1,12}$/],
];

/**
 * The host's proxy from the browser to the Nametag backend, and the one place the trust
 * boundary is written. It serves the browser routes only, forwards an allowlist of headers,
 * takes the user from `getUser(request)` (never from the browser), refuses a missing or
 * malformed visitor id, limits the body while reading it, times out a stalled body or backend,
 * and rebuilds each answer from the fields the contract defines, so no secret reaches the page.
 *
 * ```ts
 * const proxy = createNametagProxy({ apiUrl, apiKey, getUser: async (request) => ... });
 * app.all("/api/nametag/*", (c) => proxy(c.req.raw)); // Hono
 * ```
 */
export function createNametagProxy(options: NametagProxyOptions): NametagProxyHandler {
  const config = readOptions(options);
  return async (request) => {
    try {
      return await handle(config, request);
    } catch {
      // The error's own text is never sent: it could quote a header or the key.
      return errorResponse(
        500,
        "INTERNAL",
        "The Nametag proxy failed before answering. Check your server logs and the proxy's getUser.",
      );
    }
  };
}

interface ProxyConfig {
  apiUrl: string;
  apiKey: string;
  identitySecret: string | undefined;
  getUser: NametagProxyOptions["getUser"];
  basePath: string;
  timeoutMs: number;
  maxBodyBytes: number;
  fetch: typeof fetch | undefined;
}

function readOptions(options: NametagProxyOptions): ProxyConfig {
  const invalid = (message: string) => new NametagError("INVALID_OPTIONS", message);
  if (typeof options?.apiUrl !== "string" || !/^https?:\/\//.test(options.apiUrl))
    throw invalid("createNametagProxy() needs apiUrl, the backend's http(s) base URL.");
  if (typeof options.apiKey !== "string" || options.apiKey.trim() === "")
    throw invalid("createNametagProxy() needs apiKey, your secret Nametag API key.");
  if (typeof options.getUser !== "function")
    throw invalid(
      "createNametagProxy() needs getUser(request), which returns your signed-in user ({ userId }) or null.",
    );
  const basePath = (options.basePath ?? DEFAULT_PROXY_BASE_PATH).replace(/\/+$/, "");
  if (basePath !== "" && !/^\/[A-Za-z0-9._~/-]*$/.test(basePath))
    throw invalid(`basePath must be a URL path such as "/api/nametag".`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROXY_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw invalid("timeoutMs must be a positive number of milliseconds.");
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0)
    throw invalid("maxBodyBytes must be a positive whole number of bytes.");
  return {
    apiUrl: options.apiUrl.replace(/\/+$/, ""),
    apiKey: options.apiKey,
    identitySecret: options.identitySecret === "" ? undefined : options.identitySecret,
    getUser: options.getUser,
    basePath,
    timeoutMs,
    maxBodyBytes,
    fetch: options.fetch,
  };
}

async function handle(config: ProxyConfig, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const method = request.method.toUpperCase();
  if (!url.pathname.startsWith(config.basePath + "/")) {
    return errorResponse(
      404,
      "NOT_FOUND",
      "This route is not available through the Nametag proxy.",
    );
  }
  const route = matchBrowserRoute(method, url.pathname.slice(config.basePath.length), url.search);
  if ("status" in route) {
    const response = errorResponse(
      route.status,
      route.code,
      route.message,
      "details" in route ? route.details : undefined,
    );
    if ("allow" in route) response.headers.set("allow", route.allow.join(", "));
    return response;
  }

  // Headers: an allowlist, each value checked. Two copies of one header arrive joined by ", ",
  // which no accepted value contains, so a duplicate is refused rather than forwarded.
  const visitorId = request.headers.get(HEADERS.visitorId);
  if (visitorId === null || !VISITOR_ID_PATTERN.test(visitorId)) {
    return errorResponse(
      400,
      "INVALID_VISITOR_ID",
      visitorId === null
        ? "Send the browser's visitor id in X-Nametag-Visitor-Id (@nametag/core's client does this)."
        : "X-Nametag-Visitor-Id is not one visitor id (format v_<epoch ms>_<base36>); send exactly one.",
    );
  }
  const forwarded = new Headers();
  forwarded.set("authorization", `${PROXY_AUTH_SCHEME} ${config.apiKey}`);
  forwarded.set(HEADERS.visitorId, visitorId);
  const idempotencyKey = request.headers.get(HEADERS.idempotencyKey);
  if (idempotencyKey !== null) {
    if (!IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      return errorResponse(
        400,
        "VALIDATION_FAILED",
        "Idempotency-Key must be one key of 1-255 letters, digits, '.', '_', ':' or '-' (a UUID is a good choice).",
        { header: HEADERS.idempotencyKey },
      );
    }
    forwarded.set(HEADERS.idempotencyKey, idempotencyKey);
  }
  const accept = request.headers.get("accept");
  if (accept !== null && /^[\x20-\x7e]{1,256}$/.test(accept)) forwarded.set("accept", accept);

  let payload: Record<string, unknown> | undefined;
  if (method === "POST" || method === "PATCH") {
    const read = await readJsonObject(config, request);
    if (read instanceof Response) return read;
    payload = read;
  }

  const user = await config.getUser(request);
  if (user !== null && user !== undefined) {
    try {
      assertUserId(user.userId, "getUser(request).userId");
    } catch (error) {
      return errorResponse(
        500,
        "INVALID_USER_ID",
        isNametagError(error) ? error.message : "getUser(request) returned an invalid userId.",
      );
    }
    forwarded.set(HEADERS.userId, user.userId);
    if (config.identitySecret !== undefined) {
      const { userHash } = await signIdentity({ userId: user.userId }, config.identitySecret);
      forwarded.set(HEADERS.userHash, userHash);
    }
  }

  let body: string | undefined;
  if (payload !== undefined) {
    const built = browserBody(route, payload, user ?? null);
    if (built instanceof Response) return built;
    body = JSON.stringify(built);
    forwarded.set("content-type", "application/json");
  }
  return forward(config, route, forwarded, body, request.signal);
}

/** The body as a JSON object (`{}` when empty), read under the size and time limits. */
async function readJsonObject(
  config: ProxyConfig,
  request: Request,
): Promise<Record<string, unknown> | Response> {
  const contentType = request.headers.get("content-type");
  if (contentType !== null && !JSON_CONTENT_TYPE.test(contentType)) {
    return errorResponse(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      "Send the body as JSON with one Content-Type: application/json.",
    );
  }
  const tooLarge = () =>
    errorResponse(
      413,
      "PAYLOAD_TOO_LARGE",
      `The request body is larger than ${config.maxBodyBytes} bytes. Send less metadata or a shorter message.`,
    );
  const declared = request.headers.get("content-length");
  if (declared !== null) {
    if (!/^\d{1,16}$/.test(declared)) {
      return errorResponse(400, "BAD_REQUEST", "Content-Length must be one whole number.");
    }
    if (Number(declared) > config.maxBodyBytes) return tooLarge();
  }
  const bytes = await readBodyWithLimit(request.body, config.maxBodyBytes, config.timeoutMs);
  if (bytes === "too-large") return tooLarge();
  if (bytes === "timeout") {
    return errorResponse(
      408,
      "REQUEST_TIMEOUT",
      `The request body did not arrive within ${config.timeoutMs} ms. Check the connection and send it again.`,
    );
  }
  if (bytes === "aborted") {
    return errorResponse(400, "BAD_REQUEST", "The request body could not be read to its end.");
  }
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return errorResponse(400, "BAD_REQUEST", "The request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return errorResponse(400, "VALIDATION_FAILED", "The request body must be a JSON object.");
  }
  return parsed as Record<string, unknown>;
}

/**
 * The body sent to the backend: per route, only the fields a browser may set. Identity comes
 * from `user` alone; the page's `userHash` / `identityToken` (and any field not listed) are dropped.
 */
function browserBody(
  route: BrowserRoute,
  sent: Record<string, unknown>,
  user: NametagProxyUser | null,
): Record<string, unknown> | Response {
  const out: Record<string, unknown> = {};
  const copy = (name: string) => {
    if (Object.prototype.hasOwnProperty.call(sent, name) && sent[name] !== undefined)
      out[name] = sent[name];
  };
  switch (route.name) {
    case "link":
    case "updateMetadata": {
      if (user === null) {
        return errorResponse(
          401,
          "IDENTITY_VERIFICATION_FAILED",
          "Nobody is signed in on the server, so this browser cannot be identified. Sign in first: the proxy takes the user from your server session (getUser), never from the page.",
        );
      }
      copy("userMetadata");
      copy("sensitivePaths");
      if (route.name === "updateMetadata") return out;
      if (sent.userId !== undefined && sent.userId !== user.userId) {
        return errorResponse(
          403,
          "IDENTITY_MISMATCH",
          "The page identified a different user than the one signed in on the server. Reload the page so both agree, then identify again.",
        );
      }
      out.userId = user.userId;
      if (user.userMetadata !== undefined) {
        // The server's fields win; metadata only the server knows (an API token for HTTP tools)
        // can be added in getUser without ever reaching the page.
        const base = out.userMetadata;
        out.userMetadata =
          typeof base === "object" && base !== null && !Array.isArray(base)
            ? { ...base, ...user.userMetadata }
            : { ...user.userMetadata };
      }
      if (user.labels !== undefined) out.labels = user.labels;
      else copy("labels");
      if (user.assignedAgent !== undefined) out.assignedAgent = user.assignedAgent;
      else copy("assignedAgent");
      return out;
    }
    case "createConversation":
      copy("agent");
      return out;
    case "sendMessage":
      copy("text");
      return out;
    default:
      return out;
  }
}

async function forward(
  config: ProxyConfig,
  route: BrowserRoute,
  headers: Headers,
  body: string | undefined,
  clientSignal: AbortSignal | undefined,
): Promise<Response> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, config.timeoutMs);
  const onClientAbort = () => controller.abort();
  clientSignal?.addEventListener("abort", onClientAbort, { once: true });
  const query = route.query.toString();
  const target = `${config.apiUrl}${route.path}${query === "" ? "" : `?${query}`}`;
  const upstreamTimeout = () =>
    errorResponse(
      504,
      "UPSTREAM_TIMEOUT",
      `The Nametag backend did not answer within ${config.timeoutMs} ms. Try again shortly.`,
    );
  try {
    let upstream: Response;
    try {
      upstream = await (config.fetch ?? fetch)(target, {
        method: route.method,
        headers,
        body,
        redirect: "manual",
        signal: controller.signal,
      });
    } catch {
      if (timedOut) return upstreamTimeout();
      return errorResponse(
        502,
        "UNAVAILABLE",
        "The Nametag proxy could not reach the backend. Check apiUrl and that the backend is running.",
      );
    }
    const bytes = await readBodyWithLimit(upstream.body, MAX_RESPONSE_BYTES, config.timeoutMs);
    if (timedOut) return upstreamTimeout();
    if (typeof bytes === "string") return invalidResponse();
    return shapeResponse(route, upstream, bytes);
  } finally {
    clearTimeout(timer);
    clientSignal?.removeEventListener("abort", onClientAbort);
  }
}

/** A new response holding only what the contract defines for `route`: see shapeBrowserResponse. */
function shapeResponse(route: BrowserRoute, upstream: Response, bytes: Uint8Array): Response {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    parsed = undefined;
  }
  let shaped: unknown;
  if (upstream.status >= 200 && upstream.status < 300) {
    shaped = shapeBrowserResponse(route.name, parsed);
  } else if (upstream.status >= 400 && upstream.status < 600) {
    shaped = shapeErrorEnvelope(parsed) ?? {
      error: { code: "UPSTREAM_ERROR", message: "The Nametag backend refused the request." },
    };
  }
  if (shaped === null || shaped === undefined) return invalidResponse();

  const headers = baseHeaders();
  const requestId = upstream.headers.get(HEADERS.requestId);
  if (requestId !== null && REQUEST_ID_PATTERN.test(requestId))
    headers.set(HEADERS.requestId, requestId);
  for (const [name, pattern] of PASSED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null && pattern.test(value)) headers.set(name, value);
  }
  return new Response(JSON.stringify(shaped), { status: upstream.status, headers });
}

function invalidResponse(): Response {
  return errorResponse(
    502,
    "INVALID_RESPONSE",
    "The Nametag backend answered something the contract does not define, so the proxy did not pass it on.",
  );
}

function baseHeaders(): Headers {
  return new Headers({
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    [HEADERS.requestId]: `req_proxy_${crypto.randomUUID()}`,
  });
}

function errorResponse(
  status: number,
  code: string,
  message: string,
  details?: Record<string, unknown>,
): Response {
  const error: { code: string; message: string; details?: Record<string, unknown> } = {
    code,
    message,
  };
  if (details !== undefined) error.details = details;
  return new Response(JSON.stringify({ error }), { status, headers: baseHeaders() });
}
