import type { ErrorEnvelope, IdentifyInput } from "@nametag/core";
import { HEADERS, MAX_BODY_BYTES, isNametagError } from "@nametag/core";
import { matchBrowserRoute, toBackendPath } from "./browserRoutes";
import type { NametagSession } from "./mapSession";
import type { NametagServerAuthOptions } from "./serverAuth";
import { readEnv, readSessionUser, resolveIdentitySecret, signCredentials } from "./serverAuth";

export interface NametagRouteHandlerOptions<
  S extends NametagSession = NametagSession,
> extends NametagServerAuthOptions<S> {
  /** The Nametag backend's base URL. Default: `process.env.NAMETAG_API_URL`. */
  apiUrl?: string;
  /** Your secret API key. Default: `process.env.NAMETAG_API_KEY`. Never sent to the browser. */
  apiKey?: string;
  /** Test seam; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/**
 * Next 15/16 pass `params` as a promise (a plain object is still awaited safely). Typed as the
 * promise only: Next 15's route type check rejects a union in a handler's second argument.
 */
export interface NametagRouteContext {
  params: Promise<{ path: string[] }>;
}

export type NametagRouteHandlerFunction = (
  request: Request,
  context: NametagRouteContext,
) => Promise<Response>;

export interface NametagRouteHandlers {
  GET: NametagRouteHandlerFunction;
  POST: NametagRouteHandlerFunction;
  PATCH: NametagRouteHandlerFunction;
  DELETE: NametagRouteHandlerFunction;
}

/** The only browser headers forwarded; cookies, `authorization` and identity claims never are. */
const FORWARDED_REQUEST_HEADERS = [
  "accept",
  "accept-language",
  "content-type",
  HEADERS.idempotencyKey,
  HEADERS.visitorId,
];

/** Response headers that describe the upstream connection or must never reach the browser. */
const DROPPED_RESPONSE_HEADERS = new Set([
  "authorization",
  "connection",
  "content-encoding",
  "content-length",
  "keep-alive",
  "set-cookie",
  "transfer-encoding",
  "www-authenticate",
]);

/** Body fields a browser might use to claim an identity; the session decides them instead. */
const CLAIMED_IDENTITY_FIELDS = ["userId", "userHash", "identityToken"];

const REDACTED = "[redacted]";

/**
 * The handlers of `app/api/nametag/[...path]/route.ts`: a proxy from the browser's
 * `/api/nametag/<path>` to `${apiUrl}/<path>` that attaches the API key and the user of the
 * server session, and drops whatever identity the browser claimed. Signed out, a request goes
 * through as the anonymous visitor only.
 *
 * ```ts
 * export const { GET, POST, PATCH, DELETE } = createNametagRouteHandler({ auth });
 * ```
 */
export function createNametagRouteHandler<S extends NametagSession = NametagSession>(
  options: NametagRouteHandlerOptions<S>,
): NametagRouteHandlers {
  const handle: NametagRouteHandlerFunction = async (request, context) => {
    try {
      return await forward(options, request, context);
    } catch (error) {
      if (isNametagError(error) && error.status === undefined && error.code === "INVALID_USER_ID") {
        return errorResponse(400, "INVALID_USER_ID", error.message);
      }
      return errorResponse(
        500,
        "INTERNAL",
        "The Nametag proxy route failed before reaching the backend. Check the server logs.",
      );
    }
  };
  return { GET: handle, POST: handle, PATCH: handle, DELETE: handle };
}

async function forward<S extends NametagSession>(
  options: NametagRouteHandlerOptions<S>,
  request: Request,
  context: NametagRouteContext,
): Promise<Response> {
  const apiUrl = options.apiUrl ?? readEnv("NAMETAG_API_URL");
  const apiKey = options.apiKey ?? readEnv("NAMETAG_API_KEY");
  if (!apiUrl || !apiKey) {
    return errorResponse(
      500,
      "INVALID_OPTIONS",
      "The Nametag proxy route has no backend configured: pass apiUrl and apiKey to createNametagRouteHandler() or set NAMETAG_API_URL and NAMETAG_API_KEY.",
    );
  }
  const secrets = [apiKey, resolveIdentitySecret(options.identitySecret)].filter(
    (value): value is string => typeof value === "string" && value.length > 0,
  );

  const { path: segments } = await context.params;
  const path = toBackendPath(Array.isArray(segments) ? segments : []);
  const method = request.method.toUpperCase();
  const route = path === null ? "unknown" : matchBrowserRoute(method, path);
  if (route === "unknown") {
    return errorResponse(
      404,
      "NOT_FOUND",
      "This route is not available through the Nametag proxy.",
    );
  }
  if (route === "method") {
    return errorResponse(405, "METHOD_NOT_ALLOWED", `${method} is not allowed on this route.`);
  }

  const user = await readSessionUser(options);
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  headers.set("authorization", `Bearer ${apiKey}`);
  const credentials = user
    ? await signCredentials(user.userId, resolveIdentitySecret(options.identitySecret))
    : null;
  if (user) {
    headers.set(HEADERS.userId, user.userId);
    if (credentials) {
      headers.set(HEADERS.userHash, credentials.userHash);
      headers.set(HEADERS.identityToken, credentials.identityToken);
    }
  }

  let body: string | undefined;
  if (method === "POST" || method === "PATCH") {
    const read = await readJsonBody(request);
    if (read instanceof Response) return read;
    let payload = read;
    if (path === "/v1/identity" && method === "POST") {
      if (!user) {
        return errorResponse(
          401,
          "IDENTITY_VERIFICATION_FAILED",
          "Nobody is signed in on the server, so this browser cannot be linked to a user. Sign in first; the proxy takes the user from the server session.",
        );
      }
      payload = linkBody(payload, user, credentials);
    }
    if (payload !== undefined) {
      body = JSON.stringify(payload);
      headers.set("content-type", "application/json");
    }
  }

  let upstream: Response;
  try {
    upstream = await (options.fetch ?? fetch)(joinPath(apiUrl, path as string, request.url), {
      method,
      headers,
      body,
      redirect: "manual",
      signal: request.signal,
    });
  } catch {
    return errorResponse(
      502,
      "UNAVAILABLE",
      "The Nametag proxy route could not reach the backend. Check NAMETAG_API_URL and that the backend is running.",
    );
  }
  return scrubResponse(upstream, secrets);
}

/** The parsed JSON body with identity claims removed, `undefined` when empty, or an error. */
async function readJsonBody(
  request: Request,
): Promise<Record<string, unknown> | undefined | Response> {
  const text = await request.text();
  if (new TextEncoder().encode(text).byteLength > MAX_BODY_BYTES) {
    return errorResponse(
      413,
      "PAYLOAD_TOO_LARGE",
      `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
    );
  }
  if (text.trim() === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return errorResponse(400, "BAD_REQUEST", "The request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return errorResponse(400, "VALIDATION_FAILED", "The request body must be a JSON object.");
  }
  const payload = { ...(parsed as Record<string, unknown>) };
  for (const field of CLAIMED_IDENTITY_FIELDS) delete payload[field];
  return payload;
}

/**
 * The link request as the server knows it: the session's userId and credential, and the
 * session's metadata over what the page sent (metadata only the server knows, such as an API
 * token for HTTP tools, can be added in `mapSession` without ever reaching the browser).
 */
function linkBody(
  payload: Record<string, unknown> | undefined,
  user: IdentifyInput,
  credentials: { userHash: string; identityToken: string } | null,
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...payload, userId: user.userId };
  const sent = payload?.userMetadata;
  if (user.userMetadata !== undefined) {
    const base = typeof sent === "object" && sent !== null && !Array.isArray(sent) ? sent : {};
    body.userMetadata = { ...base, ...user.userMetadata };
  }
  if (user.labels !== undefined) body.labels = user.labels;
  if (user.assignedAgent !== undefined) body.assignedAgent = user.assignedAgent;
  if (credentials) {
    body.userHash = credentials.userHash;
    body.identityToken = credentials.identityToken;
  }
  return body;
}

function joinPath(apiUrl: string, path: string, requestUrl: string): string {
  const { search } = new URL(requestUrl);
  return apiUrl.replace(/\/+$/, "") + path + search;
}

/** A copy of the backend's response without connection headers, cookies or any secret. */
async function scrubResponse(upstream: Response, secrets: string[]): Promise<Response> {
  const headers = new Headers();
  upstream.headers.forEach((value, name) => {
    if (DROPPED_RESPONSE_HEADERS.has(name)) return;
    if (secrets.some((secret) => value.includes(secret))) return;
    headers.set(name, value);
  });
  if (upstream.status === 204 || upstream.status === 304) {
    return new Response(null, { status: upstream.status, headers });
  }
  let text = await upstream.text();
  for (const secret of secrets) text = text.split(secret).join(REDACTED);
  return new Response(text, { status: upstream.status, statusText: upstream.statusText, headers });
}

function errorResponse(status: number, code: string, message: string): Response {
  const envelope: ErrorEnvelope = { error: { code, message } };
  return Response.json(envelope, {
    status,
    headers: { [HEADERS.requestId]: `req_proxy_${crypto.randomUUID()}` },
  });
}
