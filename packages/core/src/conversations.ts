import { DEV, fail } from "./errors";
import { MAX_PAGE_LIMIT } from "./protocol";
import type {
  Conversation,
  CreateConversationRequest,
  Message,
  SendMessageResponse,
} from "./protocol";
import type { TransportRequest } from "./transport";
import type { NametagConversations, Page, PageOptions } from "./types";

/** Sends one browser request with the current visitor / user / credential headers. */
export type BrowserRequest = <T>(request: TransportRequest) => Promise<T>;

const CONVERSATIONS = "/v1/conversations";

/** The messages path of one conversation; its id is checked before anything is sent. */
function messagesPath(conversationId: unknown): string {
  if (typeof conversationId !== "string" || !conversationId) {
    throw fail(
      "INVALID_ARGUMENT",
      DEV &&
        "Pass the conversation's id (a non-empty string), as returned by conversations.create() or list().",
    );
  }
  return `${CONVERSATIONS}/${encodeURIComponent(conversationId)}/messages`;
}

/** `?limit=&cursor=` of a list; a limit outside 1..MAX_PAGE_LIMIT is refused before sending. */
function pageQuery(options: PageOptions | undefined): Record<string, string | undefined> {
  const { cursor, limit } = options ?? {};
  if (
    (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE_LIMIT)) ||
    (cursor !== undefined && (typeof cursor !== "string" || !cursor))
  ) {
    throw fail(
      "INVALID_ARGUMENT",
      DEV &&
        `Pass { limit } as an integer from 1 to ${MAX_PAGE_LIMIT}, and { cursor } as the nextCursor of the previous page.`,
    );
  }
  return { limit: limit?.toString(), cursor };
}

type Paged<T> = T & { nextCursor?: string | null };

/** `nametag.conversations`: what the current visitor or user can reach on the backend. */
export function createConversations(
  send: BrowserRequest,
  defaultAgent: string | undefined,
  /** A fresh Idempotency-Key header per logical write: its retries reuse it, nothing is doubled. */
  writeHeaders: () => Record<string, string> = () => ({}),
): NametagConversations {
  /** One page of a list: its options checked before sending, its items under `items`. */
  const list = async <T, K extends string>(
    path: string,
    options: PageOptions | undefined,
    items: K,
  ): Promise<Page<T>> => {
    const query = pageQuery(options);
    const answer = await send<Paged<Record<K, T[] | undefined>>>({ method: "GET", path, query });
    const data = answer?.[items];
    if (!Array.isArray(data)) {
      throw fail(
        "INVALID_RESPONSE",
        DEV &&
          "The backend answered a list without its items. Check that apiUrl points at a Nametag backend.",
      );
    }
    // A backend that does not paginate yet (no nextCursor) has one page.
    return { data, nextCursor: answer.nextCursor ?? null };
  };
  /** A write's 2xx counts only with the contract's body: a junk 200 stored nothing we can see. */
  const write = async <T>(path: string, body: unknown, id: (answer: T) => unknown): Promise<T> => {
    const answer = await send<T>({ method: "POST", path, body, headers: writeHeaders() });
    if (typeof id(answer ?? ({} as T)) !== "string") {
      throw fail(
        "INVALID_RESPONSE",
        DEV &&
          "The backend answered a write with a body that is not the contract's. Check that apiUrl points at a Nametag backend.",
      );
    }
    return answer;
  };
  return {
    list: async (options) =>
      list<Conversation, "conversations">(CONVERSATIONS, options, "conversations"),
    async create(options = {}) {
      const agent = options.agent ?? defaultAgent;
      const body: CreateConversationRequest = agent === undefined ? {} : { agent };
      return write<Conversation>(CONVERSATIONS, body, (answer) => answer.id);
    },
    messages: async (conversationId, options) =>
      list<Message, "messages">(messagesPath(conversationId), options, "messages"),
    async send(conversationId, text) {
      const path = messagesPath(conversationId);
      if (typeof text !== "string" || !text.trim()) {
        throw fail(
          "INVALID_ARGUMENT",
          DEV && "conversations.send() needs the message text (a non-empty string).",
        );
      }
      return write<SendMessageResponse>(path, { text }, (answer) => answer.message?.id);
    },
  };
}
