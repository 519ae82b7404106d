import type {
  ConversationList,
  ConversationWithUser,
  MessageList,
  SendMessageResponse,
} from "@nametag/core";
import { agentUser } from "../agent";
import type { Route, RouteContext } from "../context";
import { invalidCursor, readPageRequest } from "../pagination";
import type { PageRequest } from "../pagination";
import { MockHttpError, notFound, scopeDenied } from "../errors";
import { Issues, assertUserId, bodyObject } from "../validate";
import { assertAgent, browserOwner, ownerInScope, requireConversation } from "./access";

const MAX_MESSAGE_LENGTH = 10_000;

/** One page of a user's conversations (`ownerId`), or of every one (`undefined`), newest first. */
export function conversationListBody(
  context: RouteContext,
  ownerId: string | undefined,
  page: PageRequest,
): ConversationList {
  const { items, nextCursor } = context.runtime.store.conversationPage(ownerId, page);
  return { conversations: items, nextCursor };
}

/** Conversations and messages, for browsers (their own) and servers (any, or one user's). */
export const conversationRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/v1/conversations",
    access: "any",
    handler(context) {
      const page = readPageRequest(context.url);
      const ownerId = ownerInScope(context);
      // A browser with no data yet has no list, so no cursor can belong to it.
      if (ownerId === null) {
        if (page.cursor !== undefined) throw invalidCursor();
        return { status: 200, body: { conversations: [], nextCursor: null } };
      }
      // An unscoped API key (ownerId undefined) sees every conversation, newest first.
      return { status: 200, body: conversationListBody(context, ownerId, page) };
    },
  },
  {
    method: "POST",
    pattern: "/v1/conversations",
    access: "any",
    handler(context) {
      const { caller, runtime } = context;
      const { store } = runtime;
      const input = bodyObject(context.body);
      const issues = new Issues();
      issues.optionalString(input, "agent");
      issues.optionalString(input, "userId");
      issues.throwIfAny();
      const requestedAgent = input.agent as string | undefined;

      if (caller.kind === "browser") {
        // A browser's body userId is ignored: only its headers say who it is.
        const existing = browserOwner(context, false);
        const agent = requestedAgent ?? existing?.assignedAgent ?? runtime.defaultAgent;
        assertAgent(runtime, agent);
        const owner = existing ?? (browserOwner(context, true) as NonNullable<typeof existing>);
        return { status: 201, body: store.createConversation(owner.id, agent) };
      }

      let userId = input.userId as string | undefined;
      if (userId !== undefined) assertUserId(userId, "userId");
      if (caller.scopeUserId !== null) {
        if (userId !== undefined && userId !== caller.scopeUserId) throw scopeDenied();
        userId = caller.scopeUserId;
      }
      const existing = userId === undefined ? undefined : store.getUser(userId);
      if (userId !== undefined && !existing) throw notFound(`User ${JSON.stringify(userId)}`);
      const agent = requestedAgent ?? existing?.assignedAgent ?? runtime.defaultAgent;
      assertAgent(runtime, agent);
      // No user given: a new anonymous user owns the conversation (AgentView's createSession).
      const owner = existing ?? store.createUser();
      const conversation = store.createConversation(owner.id, agent);
      const body: ConversationWithUser = {
        ...conversation,
        user: store.getUser(owner.id) ?? owner,
      };
      return { status: 201, body, userId: owner.id };
    },
  },
  {
    method: "GET",
    pattern: "/v1/conversations/:id",
    access: "any",
    handler(context) {
      return { status: 200, body: requireConversation(context) };
    },
  },
  {
    method: "GET",
    pattern: "/v1/conversations/:id/messages",
    access: "any",
    handler(context) {
      const page = readPageRequest(context.url);
      const conversation = requireConversation(context);
      const { items, nextCursor } = context.runtime.store.messagePage(conversation.id, page);
      const body: MessageList = { messages: items, nextCursor };
      return { status: 200, body };
    },
  },
  {
    method: "POST",
    pattern: "/v1/conversations/:id/messages",
    access: "any",
    async handler(context) {
      const conversation = requireConversation(context);
      const input = bodyObject(context.body);
      const text = input.text;
      if (typeof text !== "string" || text.trim() === "" || text.length > MAX_MESSAGE_LENGTH) {
        const issues = new Issues();
        issues.add(
          "text",
          `is required: a non-empty string of at most ${MAX_MESSAGE_LENGTH} characters`,
        );
        issues.throwIfAny();
      }
      const { store, agents } = context.runtime;
      const agent = agents.get(conversation.agent);
      if (!agent) {
        assertAgent(context.runtime, conversation.agent);
        throw new Error("unreachable: assertAgent throws for a missing agent");
      }
      const message = store.addMessage(conversation.id, "user", text as string);
      let replyText: string;
      try {
        replyText = String(
          await agent({
            text: text as string,
            user: agentUser(
              store.getUser(conversation.userId),
              store.sensitivePathsOf(conversation.userId),
            ),
            conversation,
          }),
        );
      } catch (error) {
        throw new MockHttpError(
          500,
          "INTERNAL",
          `The mock agent ${JSON.stringify(conversation.agent)} threw: ${error instanceof Error ? error.message : String(error)}. Fix the reply function passed in options.agents.`,
        );
      }
      const reply = store.addMessage(conversation.id, "agent", replyText);
      const body: SendMessageResponse = { message, reply };
      return { status: 201, body, userId: conversation.userId };
    },
  },
];
