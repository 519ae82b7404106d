import { HEADERS, sanitizeMetadata } from "@nametag/core";
import type { LinkRequest, MetadataUpdateResponse } from "@nametag/core";
import { assertVerified } from "../caller";
import type { Route } from "../context";
import { MockHttpError, invalidUserId, notFound } from "../errors";
import { Issues, assertUserId, bodyObject, userFields, isPlainObject } from "../validate";
import { assertAgent } from "./access";

/** `POST /v1/identity` and `PATCH /v1/identity`: the browser's visitor → user link. */
export const identityRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/identity",
    access: "browser",
    verifyUser: false,
    async handler({ request, body, caller, runtime }) {
      if (caller.kind !== "browser")
        throw new Error("unreachable: identity routes are browser routes");
      const input = bodyObject(body) as Partial<Record<keyof LinkRequest, unknown>>;
      const issues = new Issues();
      issues.optionalString(input, "userId");
      issues.optionalObject(input, "userMetadata");
      issues.optionalStringArray(input, "labels");
      issues.optionalString(input, "assignedAgent");
      issues.optionalString(input, "userHash");
      issues.optionalString(input, "identityToken");
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

      const { response, user } = runtime.store.linkVisitor(caller.visitorId, userId, {
        ...userFields(input),
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
      if (!isPlainObject(input.userMetadata)) {
        const issues = new Issues();
        issues.add("userMetadata", "is required and must be a JSON object");
        issues.throwIfAny();
      }
      const user = runtime.store.findUserByExternalId(caller.externalId);
      if (!user)
        throw notFound(
          `User ${JSON.stringify(caller.externalId)} (link it with POST /v1/identity first)`,
        );
      const updated = runtime.store.updateUser(user.id, {
        userMetadata: input.userMetadata as Record<string, unknown>,
      });
      const response: MetadataUpdateResponse = {
        userId: caller.externalId,
        userMetadata: sanitizeMetadata(updated.userMetadata).value,
      };
      return { status: 200, body: response, userId: user.id };
    },
  },
];
