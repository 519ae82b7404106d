import { HEADERS } from "@nametag/core";
import type { ErrorEnvelope } from "@nametag/core";
import type { MockHttpError } from "./errors";

const ALLOWED_HEADERS = [
  "content-type",
  "authorization",
  HEADERS.visitorId,
  HEADERS.userId,
  HEADERS.userHash,
  HEADERS.identityToken,
  HEADERS.userToken,
  HEADERS.idempotencyKey,
  HEADERS.requestId,
].join(", ");

const EXPOSED_HEADERS = [HEADERS.requestId, HEADERS.retryAfter, HEADERS.idempotentReplayed].join(
  ", ",
);

/**
 * Whether a browser page on `origin` may read the backend's answers. `allowed` lists exact
 * origins (`https://app.example.com`); without a list, only local development pages may:
 * `http(s)://localhost`, `127.0.0.1` or `[::1]` on any port.
 */
export function isAllowedOrigin(origin: string, allowed: readonly string[] | undefined): boolean {
  if (allowed !== undefined) return allowed.includes(origin);
  return /^https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/i.test(origin);
}

/**
 * CORS headers for a response: the Origin is reflected only when it is allowed (see
 * isAllowedOrigin); any other origin, or a request without one, gets none, so a page elsewhere
 * cannot read the answer.
 */
export function corsHeaders(
  request: Request,
  allowed: readonly string[] | undefined,
): Record<string, string> {
  const origin = request.headers.get("origin");
  if (origin === null || !isAllowedOrigin(origin, allowed)) return { vary: "Origin" };
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-credentials": "true",
    "access-control-allow-methods": "GET, POST, PATCH, PUT, DELETE, OPTIONS",
    "access-control-allow-headers": ALLOWED_HEADERS,
    "access-control-expose-headers": EXPOSED_HEADERS,
    "access-control-max-age": "600",
    vary: "Origin",
  };
}

export function errorEnvelope(error: MockHttpError): ErrorEnvelope {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}

/** A JSON response; `body === undefined` gives an empty body (204). */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  if (body === undefined || status === 204) return new Response(null, { status, headers });
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}
