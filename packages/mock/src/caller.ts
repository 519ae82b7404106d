import { HEADERS, USER_ID_PATTERN, VISITOR_ID_PATTERN } from "@nametag/core";
import type { BackendRuntime, Caller, Route } from "./context";
import { MockHttpError, invalidUserId } from "./errors";
import { verifyCredentials } from "./verification";

/**
 * Works out who sent a request. A request with a visitor id is a browser's (a host proxy may
 * add the API key to vouch for its user id); one with only the API key is a server's.
 */
export async function resolveCaller(
  request: Request,
  route: Route,
  runtime: BackendRuntime,
): Promise<Caller> {
  const headers = request.headers;
  const authorization = headers.get("authorization");
  const hasKey = authorization !== null;
  if (hasKey && authorization !== `Bearer ${runtime.apiKey}`) {
    throw new MockHttpError(
      401,
      "UNAUTHORIZED",
      "The API key is wrong. Send Authorization: Bearer <apiKey> with the key the backend was started with.",
    );
  }
  const visitorId = headers.get(HEADERS.visitorId);
  const asBrowser =
    route.access === "browser" || (route.access === "any" && (visitorId !== null || !hasKey));

  if (!asBrowser) {
    if (!hasKey) {
      throw new MockHttpError(
        401,
        "UNAUTHORIZED",
        "This endpoint needs the API key: send Authorization: Bearer <apiKey> from your server (never from a browser).",
      );
    }
    return {
      kind: "server",
      scopeUserId: resolveUserToken(headers.get(HEADERS.userToken), runtime),
    };
  }

  if (visitorId === null || !VISITOR_ID_PATTERN.test(visitorId)) {
    throw new MockHttpError(
      400,
      "INVALID_VISITOR_ID",
      visitorId === null
        ? "Send the visitor id in X-Nametag-Visitor-Id (format v_<epoch ms>_<base36>), or an API key for server calls."
        : `X-Nametag-Visitor-Id ${JSON.stringify(visitorId.slice(0, 80))} is not a visitor id (format v_<epoch ms>_<base36>).`,
    );
  }
  const externalId = headers.get(HEADERS.userId);
  if (externalId !== null && !USER_ID_PATTERN.test(externalId))
    throw invalidUserId(externalId, "X-Nametag-User-Id");

  const caller: Caller = { kind: "browser", visitorId, externalId, vouched: hasKey };
  if (externalId !== null && route.verifyUser !== false) {
    await assertVerified(runtime, caller.vouched, externalId, {
      userHash: headers.get(HEADERS.userHash),
      identityToken: headers.get(HEADERS.identityToken),
    });
  }
  return caller;
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
