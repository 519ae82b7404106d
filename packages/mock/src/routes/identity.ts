import { HEADERS } from "@nametag/core";
import type { LinkRequest, MetadataUpdateResponse } from "@nametag/core";
import { assertVerified } from "../caller";
import type { Route, RouteContext } from "../context";
import { MockHttpError, invalidUserId, notFound } from "../errors";
import { Issues, assertUserId, bodyObject, userFields, isPlainObject } from "../validate";
import { browserMetadata, checkSensitivePaths } from "../sensitivePaths";
import { assertAgent } from "./access";

interface CheckedLink {
  userId: string;
  input: Record<string, unknown>;
}

/**
 * Validates a link body and verifies its identity: everything that can refuse a link, run before
 * the store is touched and before an idempotent replay (a replay with a forged or missing
 * userHash is a 401, as the original would have been).
 */
async function checkLink(context: RouteContext): Promise<CheckedLink> {
  const { request, body, caller, runtime } = context;
  if (caller.kind !== "browser") throw new Error("unreachable: identity routes are browser routes");
  const input = bodyObject(body) as Partial<Record<keyof LinkRequest, unknown>>;
  const issues = new Issues();
  issues.optionalString(input, "userId");
  issues.optionalObject(input, "userMetadata");
  issues.optionalStringArray(input, "labels");
  issues.optionalString(input, "assignedAgent");
  issues.optionalString(input, "userHash");
  issues.optionalString(input, "identityToken");
  checkSensitivePaths(input, issues);
  issues.throwIfAny();

  // A host proxy may drop the body's userId and send the session's in the header instead.
  const userId = input.userId ?? caller.externalId;
  if (userId === null || userId === undefined) throw invalidUserId(undefined, "userId");
  assertUserId(userId, "userId");
  if (caller.externalId !== null && caller.externalId !== userId) {
    throw new MockHttpError(
      400,
      "INVALID_USER_ID",
      "The body's userId differs from X-Nametag-User-Id. Send one user id (or leave one of them out).",
    );
  }
  await assertVerified(runtime, caller.vouched, userId, {
    userHash: (input.userHash as string | undefined) ?? request.headers.get(HEADERS.userHash),
    identityToken:
      (input.identityToken as string | undefined) ?? request.headers.get(HEADERS.identityToken),
  });
  if (typeof input.assignedAgent === "string") assertAgent(runtime, input.assignedAgent);
  return { userId, input };
}

/** `POST /v1/identity` and `PATCH /v1/identity`: the browser's visitor → user link. */
export const identityRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/identity",
    access: "browser",
    verifyUser: false,
    async precheck(context) {
      await checkLink(context);
    },
    async handler(context) {
      const { caller, runtime } = context;
      if (caller.kind !== "browser")
        throw new Error("unreachable: identity routes are browser routes");
      const { userId, input } = await checkLink(context);
      const { response, user } = runtime.store.linkVisitor(caller.visitorId, userId, {
        ...userFields(input),
        ...(input.sensitivePaths === undefined
          ? {}
          : { sensitivePaths: input.sensitivePaths as string[] }),
      });
      return { status: 200, body: response, userId: user.id };
    },
  },
  {
    method: "PATCH",
    pattern: "/v1/identity",
    access: "browser",
    handler({ body, caller, runtime }) {
      if (caller.kind !== "browser")
        throw new Error("unreachable: identity routes are browser routes");
      if (caller.externalId === null) {
        throw new MockHttpError(
          400,
          "INVALID_USER_ID",
          "PATCH /v1/identity needs X-Nametag-User-Id: identify the visitor (POST /v1/identity) first.",
        );
      }
      const input = bodyObject(body);
      const issues = new Issues();
      if (!isPlainObject(input.userMetadata))
        issues.add("userMetadata", "is required and must be a JSON object");
      checkSensitivePaths(input, issues);
      issues.throwIfAny();
      const user = runtime.store.findUserByExternalId(caller.externalId);
      if (!user)
        throw notFound(
          `User ${JSON.stringify(caller.externalId)} (link it with POST /v1/identity first)`,
        );
      const updated = runtime.store.updateUser(user.id, {
        userMetadata: input.userMetadata as Record<string, unknown>,
        ...(input.sensitivePaths === undefined
          ? {}
          : { sensitivePaths: input.sensitivePaths as string[] }),
      });
      // The browser gets the merged metadata without the host's sensitive paths, sanitized.
      const response: MetadataUpdateResponse = {
        userId: caller.externalId,
        userMetadata: browserMetadata(
          updated.userMetadata,
          runtime.store.sensitivePathsOf(user.id),
        ),
      };
      return { status: 200, body: response, userId: user.id };
    },
  },
];
