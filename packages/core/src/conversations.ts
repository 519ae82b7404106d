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

const CONVERSATIONS = "/v1/conversations";

/** The messages path of one conversation; its id is checked before anything is sent. */
function messagesPath(conversationId: unknown): string {
  if (typeof conversationId !== "string" || conversationId.length === 0) {
    throw fail(
      "INVALID_ARGUMENT",
      DEV &&
        "Pass the conversation's id (a non-empty string), as returned by conversations.create() or list().",
    );
  }
  return `${CONVERSATIONS}/${encodeURIComponent(conversationId)}/messages`;
}

/** `nametag.conversations`: what the current visitor or user can reach on the backend. */
export function createConversations(
  send: BrowserRequest,
  defaultAgent: string | undefined,
  /** A fresh Idempotency-Key header per logical write: its retries reuse it, nothing is doubled. */
  writeHeaders: () => Record<string, string> = () => ({}),
): NametagConversations {
  return {
    async list() {
      return (await send<ConversationList>({ method: "GET", path: CONVERSATIONS })).conversations;
    },
    async create(options = {}) {
      const agent = options.agent ?? defaultAgent;
      const body: CreateConversationRequest = agent === undefined ? {} : { agent };
      return send<Conversation>({
        method: "POST",
        path: CONVERSATIONS,
        body,
        headers: writeHeaders(),
      });
    },
    async messages(conversationId) {
      return (await send<MessageList>({ method: "GET", path: messagesPath(conversationId) }))
        .messages;
    },
    async send(conversationId, text) {
      const path = messagesPath(conversationId);
      if (typeof text !== "string" || text.trim().length === 0) {
        throw fail(
          "INVALID_ARGUMENT",
          DEV && "conversations.send() needs the message text (a non-empty string).",
        );
      }
      return send<SendMessageResponse>({
        method: "POST",
        path,
        body: { text },
        headers: writeHeaders(),
      });
    },
  };
}
