import { DEV, fail } from "./errors";
import type {
  Conversation,
  ConversationList,
  CreateConversationRequest,
  MessageList,
  SendMessageResponse,
} from "./protocol";
import type { TransportRequest } from "./transport";
import type { NametagConversations } from "./types";

/** Sends one browser request with the current visitor / user / credential headers. */
export type BrowserRequest = <T>(request: TransportRequest) => Promise<T>;

function conversationPath(conversationId: unknown): string {
  if (typeof conversationId !== "string" || conversationId.length === 0) {
    throw fail(
      "INVALID_ARGUMENT",
      DEV &&
        "Pass the conversation's id (a non-empty string), as returned by conversations.create() or list().",
    );
  }
  return `/v1/conversations/${encodeURIComponent(conversationId)}`;
}

/** `nametag.conversations`: what the current visitor or user can reach on the backend. */
export function createConversations(
  send: BrowserRequest,
  defaultAgent: string | undefined,
): NametagConversations {
  return {
    async list() {
      return (await send<ConversationList>({ method: "GET", path: "/v1/conversations" }))
        .conversations;
    },
    async create(options = {}) {
      const agent = options.agent ?? defaultAgent;
      const body: CreateConversationRequest = agent === undefined ? {} : { agent };
      return send<Conversation>({ method: "POST", path: "/v1/conversations", body });
    },
    async messages(conversationId) {
      return (
        await send<MessageList>({
          method: "GET",
          path: `${conversationPath(conversationId)}/messages`,
        })
      ).messages;
    },
    async send(conversationId, text) {
      const path = `${conversationPath(conversationId)}/messages`;
      if (typeof text !== "string" || text.trim().length === 0) {
        throw fail(
          "INVALID_ARGUMENT",
          DEV && "conversations.send() needs the message text (a non-empty string).",
        );
      }
      return send<SendMessageResponse>({ method: "POST", path, body: { text } });
    },
  };
}
