import type { Conversation, User } from "@nametag/core";
import type { BackendRuntime, Caller, RouteContext } from "../context";
import { MockHttpError, notFound, scopeDenied } from "../errors";

/**
 * The Nametag user whose data a browser reaches: its identified user, else its visitor's
 * anonymous user. With `create`, a missing one is made (a first write creates it).
 */
export function browserOwner(context: RouteContext, create: boolean): User | undefined {
  const { caller, runtime } = context;
  if (caller.kind !== "browser") return undefined;
  const { store } = runtime;
  if (caller.externalId !== null) {
    const user = store.findUserByExternalId(caller.externalId);
    if (user || !create) return user;
    return store.createUser({ externalId: caller.externalId });
  }
  return create ? store.visitorUser(caller.visitorId) : store.findVisitorUser(caller.visitorId);
}

/**
 * A conversation the caller may see. Browsers and scoped servers get 403 SCOPE_DENIED both for
 * someone else's conversation and for one that does not exist, so existence never leaks.
 */
export function requireConversation(context: RouteContext): Conversation {
  const { runtime, params } = context;
  const conversation = runtime.store.getConversation(params.id ?? "");
  const ownerId = ownerInScope(context);
  if (ownerId === undefined) {
    if (!conversation) throw notFound(`Conversation ${JSON.stringify(params.id)}`);
    return conversation;
  }
  if (!conversation || ownerId === null || conversation.userId !== ownerId) throw scopeDenied();
  return conversation;
}

/**
 * The only user id a caller may reach: `undefined` for an unscoped API key (everything),
 * `null` for a browser with no data yet (nothing), else that user's id.
 */
export function ownerInScope(context: RouteContext): string | null | undefined {
  const { caller } = context;
  if (caller.kind === "server") return caller.scopeUserId ?? undefined;
  return browserOwner(context, false)?.id ?? null;
}

/** Throws 403 when a scoped server caller asks for another user (or one that does not exist). */
export function assertServerScope(caller: Caller, userId: string | undefined): void {
  if (caller.kind === "server" && caller.scopeUserId !== null && caller.scopeUserId !== userId)
    throw scopeDenied();
}

/** Throws 404 AGENT_NOT_FOUND for an agent the backend does not run. */
export function assertAgent(runtime: BackendRuntime, agent: string): void {
  if (!runtime.agents.has(agent)) {
    throw new MockHttpError(
      404,
      "AGENT_NOT_FOUND",
      `There is no agent ${JSON.stringify(agent)}. Known agents: ${[...runtime.agents.keys()].join(", ")}.`,
      { agent, agents: [...runtime.agents.keys()] },
    );
  }
}
