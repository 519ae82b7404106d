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

/** CORS headers for every response: the Origin is reflected so a browser app on any port works. */
export function corsHeaders(request: Request): Record<string, string> {
  const origin = request.headers.get("origin");
  return {
    "access-control-allow-origin": origin ?? "*",
    ...(origin ? { "access-control-allow-credentials": "true" } : {}),
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
