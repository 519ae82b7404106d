import type {
  AttributeType,
  CreateUserRequest,
  RetryOptions,
  UpdateUserRequest,
  User,
} from "@nametag/core";

/** Options of `new Nametag(...)`. */
export interface NametagServerOptions {
  /** Absolute base URL of the Nametag backend, e.g. "https://api.nametag.example". */
  apiUrl: string;
  /** Secret API key. Defaults to `process.env.NAMETAG_API_KEY`. Never ship it to a browser. */
  apiKey?: string;
  /** Secret for `signIdentity()`. Defaults to `process.env.NAMETAG_IDENTITY_SECRET`. */
  identitySecret?: string;
  /** A `fetch` implementation. Defaults to the global one (Node 20+, edge runtimes). */
  fetch?: typeof fetch;
  /** Per-attempt timeout in ms. Default 10000. */
  timeoutMs?: number;
  /** Retries of idempotent calls (GET, PUT, DELETE); `false` turns them off. Default 3 retries. */
  retry?: RetryOptions | false;
  /**
   * Allow construction where `window` and `document` exist. Off by default because a browser
   * bundle would expose the API key to every visitor; only turn it on for trusted environments
   * such as Electron's main process or a test runner with a DOM.
   */
  dangerouslyAllowBrowser?: boolean;
}

/** Per-call options, the last argument of every method. */
export interface RequestOptions {
  /** Abort the call, e.g. with the incoming request's `signal`. */
  signal?: AbortSignal;
  /**
   * For writes (POST, PATCH): one key per logical write, e.g. `crypto.randomUUID()`. The backend
   * runs a write once per key and replays the first result for a repeat, so a write carrying a
   * key is retried like a GET; without one it is sent once. Reuse the key only to repeat the
   * same call.
   */
  idempotencyKey?: string;
}

/** `createUser()`: every field is optional; `externalId` is your own id for the user (unique). */
export type CreateUserInput = CreateUserRequest;

/** `getUser()`: exactly one of Nametag's `id`, your `externalId`, or the user's secret `token`. */
export type GetUserInput = { id: string } | { externalId: string } | { token: string };

/** `updateUser()`: the user's Nametag `id` plus the fields to change. */
export type UpdateUserInput = { id: string } & UpdateUserRequest;

/** `deleteUser()`. */
export interface DeleteUserInput {
  id: string;
}

/** `createConversation()`. */
export interface CreateConversationInput {
  /** The agent that answers in this conversation. */
  agent: string;
  /** Nametag's id of the owning user. Omitted: a new anonymous user is created (see `.user`). */
  userId?: string;
}

/** `getConversation()`. */
export interface GetConversationInput {
  id: string;
}

/**
 * `listConversations()`: by Nametag's `userId`, or by `externalId`, the host app's id (the
 * `userId` a browser passed to `identify()`), plus the page to read: `limit` (1 to 100, default
 * 50) and `cursor` (the previous page's `nextCursor`; leave it out for the first page).
 */
export type ListConversationsInput = ({ userId: string } | { externalId: string }) & PageInput;

/** Which page of a list to read. */
export interface PageInput {
  /** The `nextCursor` of the previous page, unchanged; omit it (or pass `null`) for the first page. */
  cursor?: string | null;
  /** How many items, 1 to `MAX_PAGE_LIMIT` (100); default `DEFAULT_PAGE_LIMIT` (50). */
  limit?: number;
}

/** One page of a list: its items, and the cursor of the next page (`null` on the last page). */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** `listMessages()`: a conversation, plus the page to read (oldest messages first). */
export interface ListMessagesInput extends PageInput {
  conversationId: string;
}

/** `sendMessage()`. */
export interface SendMessageInput {
  conversationId: string;
  text: string;
}

/** `defineAttribute()`. A definition's type never changes once created. */
export interface DefineAttributeInput {
  name: string;
  type: AttributeType;
}

/** `getContact()`. */
export interface GetContactInput {
  externalId: string;
}

/** `as()` takes a user (anything with its `token`) or the token itself. */
export type UserOrToken = Pick<User, "token"> | string;
