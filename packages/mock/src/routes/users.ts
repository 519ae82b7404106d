import type { User } from "@nametag/core";
import type { Caller, Route, RouteContext } from "../context";
import { MockHttpError, notFound, scopeDenied } from "../errors";
import { Issues, assertUserId, bodyObject, userFields } from "../validate";
import { readPageRequest } from "../pagination";
import { assertAgent, assertServerScope } from "./access";
import { conversationListBody } from "./conversations";

/** A user by path id or externalId, within the caller's scope (403, not 404, when scoped). */
function requireUser(context: RouteContext, by: "id" | "externalId"): User {
  const { params, caller, runtime } = context;
  const value = params[by] ?? "";
  assertUserId(value, by === "id" ? "The user id" : "The externalId");
  const user =
    by === "id" ? runtime.store.getUser(value) : runtime.store.findUserByExternalId(value);
  assertServerScope(caller, user?.id);
  if (!user)
    throw notFound(
      by === "id"
        ? `User ${JSON.stringify(value)}`
        : `User with externalId ${JSON.stringify(value)}`,
    );
  return user;
}

function assertUnscoped(caller: Caller): void {
  if (caller.kind === "server" && caller.scopeUserId !== null) throw scopeDenied();
}

function checkUserFields(
  input: Record<string, unknown>,
  context: RouteContext,
  forUpdate: boolean,
): void {
  const issues = new Issues();
  issues.optionalString(input, "externalId", { nullable: forUpdate });
  issues.optionalObject(input, "userMetadata");
  issues.optionalStringArray(input, "labels");
  issues.optionalString(input, "assignedAgent", { nullable: forUpdate });
  issues.throwIfAny();
  if (typeof input.externalId === "string") assertUserId(input.externalId, "externalId");
  if (typeof input.assignedAgent === "string") assertAgent(context.runtime, input.assignedAgent);
}

/** Server-side users (API key): AgentView's create / get by id, externalId or token / update / delete. */
export const userRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/users",
    access: "server",
    handler(context) {
      assertUnscoped(context.caller);
      const input = bodyObject(context.body);
      checkUserFields(input, context, false);
      const user = context.runtime.store.createUser({
        externalId: (input.externalId as string | undefined) ?? null,
        ...userFields(input),
      });
      return { status: 201, body: user, userId: user.id };
    },
  },
  {
    method: "GET",
    pattern: "/v1/users/me",
    access: "server",
    handler({ caller, runtime }) {
      if (caller.kind !== "server" || caller.scopeUserId === null) {
        throw new MockHttpError(
          400,
          "BAD_REQUEST",
          "GET /v1/users/me needs X-User-Token: the token of the user to fetch.",
        );
      }
      const user = runtime.store.getUser(caller.scopeUserId);
      if (!user) throw scopeDenied();
      return { status: 200, body: user };
    },
  },
  {
    method: "GET",
    pattern: "/v1/users/external/:externalId",
    access: "server",
    handler(context) {
      return { status: 200, body: requireUser(context, "externalId") };
    },
  },
  {
    method: "GET",
    pattern: "/v1/users/external/:externalId/conversations",
    access: "server",
    handler(context) {
      const page = readPageRequest(context.url);
      const user = requireUser(context, "externalId");
      return { status: 200, body: conversationListBody(context, user.id, page) };
    },
  },
  {
    method: "GET",
    pattern: "/v1/users/:id",
    access: "server",
    handler(context) {
      return { status: 200, body: requireUser(context, "id") };
    },
  },
  {
    method: "PATCH",
    pattern: "/v1/users/:id",
    access: "server",
    handler(context) {
      const user = requireUser(context, "id");
      const input = bodyObject(context.body);
      checkUserFields(input, context, true);
      const updated = context.runtime.store.updateUser(user.id, {
        ...(input.externalId === undefined
          ? {}
          : { externalId: input.externalId as string | null }),
        ...(input.userMetadata === undefined
          ? {}
          : { userMetadata: input.userMetadata as Record<string, unknown> }),
        ...(input.labels === undefined ? {} : { labels: input.labels as string[] }),
        ...(input.assignedAgent === undefined
          ? {}
          : { assignedAgent: input.assignedAgent as string | null }),
      });
      return { status: 200, body: updated, userId: user.id };
    },
  },
  {
    method: "DELETE",
    pattern: "/v1/users/:id",
    access: "server",
    handler(context) {
      const user = requireUser(context, "id");
      return { status: 200, body: context.runtime.store.deleteUser(user.id) };
    },
  },
  {
    method: "GET",
    pattern: "/v1/users/:id/conversations",
    access: "server",
    handler(context) {
      const page = readPageRequest(context.url);
      const user = requireUser(context, "id");
      return { status: 200, body: conversationListBody(context, user.id, page) };
    },
  },
];
