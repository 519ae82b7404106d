import { HEADERS, PROXY_AUTH_SCHEME, USER_ID_PATTERN, VISITOR_ID_PATTERN } from "@nametag/core";
import type { BackendRuntime, Caller, Route } from "./context";
import { MockHttpError, invalidUserId } from "./errors";
import { verifyCredentials } from "./verification";

/** How a request authenticated: no key, the server's `Bearer` key, or a host proxy's key. */
export type CallerAuth = "none" | "server" | "proxy";

/**
 * Reads `Authorization`: `Bearer <apiKey>` is a server, `NametagProxy <apiKey>` a host proxy,
 * nothing a plain browser. A wrong key or an unknown scheme is 401 UNAUTHORIZED.
 */
export function authenticate(authorization: string | null, apiKey: string): CallerAuth {
  if (authorization === null) return "none";
  // Auth schemes are case-insensitive (RFC 9110); the key is compared exactly.
  const match = /^(\S+)(?: +(.*))?$/.exec(authorization.trim());
  const scheme = match?.[1]?.toLowerCase();
  const auth =
    scheme === "bearer"
      ? "server"
      : scheme === PROXY_AUTH_SCHEME.toLowerCase()
        ? "proxy"
        : undefined;
  if (auth === undefined) {
    throw new MockHttpError(
      401,
      "UNAUTHORIZED",
      `Unknown Authorization scheme. Servers send Authorization: Bearer <apiKey>; a host proxy sends Authorization: ${PROXY_AUTH_SCHEME} <apiKey>.`,
    );
  }
  if (match?.[2]?.trim() !== apiKey) {
    throw new MockHttpError(
      401,
      "UNAUTHORIZED",
      `The API key is wrong. Send Authorization: ${auth === "server" ? "Bearer" : PROXY_AUTH_SCHEME} <apiKey> with the key the backend was started with.`,
    );
  }
  return auth;
}

/**
 * Works out who sent a request, failing closed. `Bearer <apiKey>` alone is a server;
 * `NametagProxy <apiKey>` is a host proxy, served with browser scope only (its key vouches for
 * the user id); no key is a browser. `Bearer` next to a visitor id is refused (400 BAD_REQUEST):
 * a server never sends a visitor id, so the two signals cannot both be meant.
 */
export async function resolveCaller(
  request: Request,
  route: Route,
  runtime: BackendRuntime,
): Promise<Caller> {
  const headers = request.headers;
  const auth = authenticate(headers.get("authorization"), runtime.apiKey);
  const visitorId = headers.get(HEADERS.visitorId);

  if (auth === "server") {
    if (visitorId !== null) {
      throw new MockHttpError(
        400,
        "BAD_REQUEST",
        `Authorization: Bearer is a server call and must not carry X-Nametag-Visitor-Id. A host proxy sends Authorization: ${PROXY_AUTH_SCHEME} <apiKey> with the visitor id; a server sends Bearer without it.`,
        { reason: "BEARER_WITH_VISITOR_ID" },
      );
    }
    if (route.access !== "browser") {
      return {
        kind: "server",
        scopeUserId: resolveUserToken(headers.get(HEADERS.userToken), runtime),
      };
    }
  } else if (route.access === "server") {
    if (auth === "proxy") {
      assertVisitorId(visitorId);
      throw new MockHttpError(
        403,
        "SCOPE_DENIED",
        `Authorization: ${PROXY_AUTH_SCHEME} is browser scope and never reaches server endpoints. Call this endpoint from your server with Authorization: Bearer <apiKey>.`,
      );
    }
    throw new MockHttpError(
      401,
      "UNAUTHORIZED",
      "This endpoint needs the API key: send Authorization: Bearer <apiKey> from your server (never from a browser).",
    );
  }

  assertVisitorId(visitorId);
  const externalId = headers.get(HEADERS.userId);
  if (externalId !== null && !USER_ID_PATTERN.test(externalId))
    throw invalidUserId(externalId, "X-Nametag-User-Id");

  const caller: Caller = { kind: "browser", visitorId, externalId, vouched: auth === "proxy" };
  if (externalId !== null && route.verifyUser !== false) {
    await assertVerified(runtime, caller.vouched, externalId, {
      userHash: headers.get(HEADERS.userHash),
      identityToken: headers.get(HEADERS.identityToken),
    });
  }
  return caller;
}

function assertVisitorId(visitorId: string | null): asserts visitorId is string {
  if (visitorId !== null && VISITOR_ID_PATTERN.test(visitorId)) return;
  throw new MockHttpError(
    400,
    "INVALID_VISITOR_ID",
    visitorId === null
      ? "Send the visitor id in X-Nametag-Visitor-Id (format v_<epoch ms>_<base36>), or Authorization: Bearer <apiKey> for server calls."
      : `X-Nametag-Visitor-Id ${JSON.stringify(visitorId.slice(0, 80))} is not a visitor id (format v_<epoch ms>_<base36>).`,
  );
}

/** 401 IDENTITY_VERIFICATION_FAILED unless verification is off, vouched for, or passes. */
export async function assertVerified(
  runtime: BackendRuntime,
  vouched: boolean,
  userId: string,
  credentials: { userHash?: string | null; identityToken?: string | null },
): Promise<void> {
  if (runtime.identitySecret === undefined) return;
  // A host proxy holding the API key has already authenticated its user; a credential it still
  // sends must be valid, though.
  if (vouched && !credentials.userHash && !credentials.identityToken) return;
  if (await verifyCredentials(runtime.identitySecret, userId, credentials, runtime.now())) return;
  throw new MockHttpError(
    401,
    "IDENTITY_VERIFICATION_FAILED",
    `The identity of ${JSON.stringify(userId)} could not be verified. Sign a userHash (HMAC-SHA256 of the userId) or an identityToken (HS256 JWT with sub and exp) on your server with the identity secret.`,
  );
}

function resolveUserToken(token: string | null, runtime: BackendRuntime): string | null {
  if (token === null) return null;
  const user = runtime.store.findUserByToken(token);
  if (!user) {
    throw new MockHttpError(
      401,
      "UNAUTHORIZED",
      "X-User-Token matches no user. Use the token of an existing user (user.token).",
    );
  }
  return user.id;
}
