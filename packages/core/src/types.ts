import type { NametagError } from "./errors";
import type { Conversation, Message, SendMessageResponse, UserMetadata } from "./protocol";
import type { RetryOptions } from "./transport";

/** The part of the Web Storage API Nametag uses; pass your own to store state elsewhere. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Where the visitor id and identity are kept. `"sessionStorage"` gives session-based ids: a closed
 * window starts fresh. `"memory"` keeps nothing across page loads.
 */
export type Persistence = "localStorage" | "sessionStorage" | "memory" | StorageLike;

/** What `identify()` takes: the host app's user id plus optional attributes. */
export interface IdentifyInput {
  /** Your own stable id for the user; must match `^[a-zA-Z0-9._-]{1,128}$`. Never an email. */
  userId: string;
  /** Attributes for personalisation, forms and HTTP tools. Sensitive keys never reach the agent. */
  userMetadata?: UserMetadata;
  /** String tags stored on the user. */
  labels?: string[];
  /** The agent this user's new conversations go to. */
  assignedAgent?: string;
  /** Identity verification: hex HMAC-SHA256 of userId, signed by your server. */
  userHash?: string;
  /** Identity verification: HS256 JWT (`sub` = userId), signed by your server. */
  identityToken?: string;
}

/** `syncAuth()`'s argument: a user, `null` when signed out, `undefined` while auth is loading. */
export type AuthUser = IdentifyInput | null | undefined;

export type IdentityStatus = "anonymous" | "identifying" | "identified";

/** The current identity, sanitized. Immutable: the same reference until something changes. */
export interface Identity {
  readonly status: IdentityStatus;
  readonly visitorId: string;
  readonly userId: string | null;
  readonly userMetadata: Readonly<UserMetadata>;
}

/** What an LLM may see: the sanitized user. */
export interface AgentContext {
  readonly userId: string | null;
  readonly userMetadata: Readonly<UserMetadata>;
}

/** An HTTP tool definition with `{{...}}` placeholders (Ansa's shape). */
export interface HttpTool {
  name?: string;
  description?: string;
  httpUrl: string;
  httpMethod?: string;
  httpHeaders?: Record<string, string>;
  httpBody?: string | Record<string, unknown>;
}

/** An HTTP tool with every placeholder substituted from the full identity. */
export interface ResolvedHttpTool {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface FormFieldOption {
  label: string;
  value: string;
}

export interface FormField {
  name: string;
  label?: string;
  type?: string;
  defaultValue?: unknown;
  disabled?: boolean;
  required?: boolean;
  options?: FormFieldOption[];
  [extra: string]: unknown;
}

export interface FormSchema {
  fields: FormField[];
  [extra: string]: unknown;
}

/** The full user handed to form providers and HTTP tools (never to the agent). */
export interface FullUser {
  userId: string | null;
  userMetadata: UserMetadata;
}

/** Builds a form schema for the current user. */
export type FormProvider = (
  args: Record<string, unknown>,
  user: FullUser,
) => FormSchema | Promise<FormSchema>;

export interface NametagEvents {
  identityUpdate: Identity;
  reset: { previousUserId: string | null; visitorId: string };
  error: NametagError;
  verificationFailed: NametagError;
}

export type NametagEventName = keyof NametagEvents;

export interface NametagOptions {
  /** Backend base URL, or the host's proxy route (`"/api/nametag"`). */
  apiUrl: string;
  /** Default agent for new conversations. */
  agent?: string;
  /** Default `"localStorage"`. */
  persistence?: Persistence;
  /** Ceiling of serialised userMetadata in UTF-8 bytes (METADATA_TOO_LARGE above it). Default 32768. */
  maxMetadataBytes?: number;
  /** Extra key patterns the sanitizer removes (strings match case-insensitively as substrings). */
  sensitiveKeys?: Array<string | RegExp>;
  /**
   * Keys the default patterns would remove that the agent may see (e.g. `"authorName"`). A false
   * positive hides a field from the agent; a false negative leaks one: allow only what you checked.
   */
  allowKeys?: Array<string | RegExp>;
  fetch?: typeof fetch;
  /** Extra headers for every backend request. */
  headers?: Record<string, string>;
  /** Per-attempt timeout in ms. Default 10000. */
  timeoutMs?: number;
  /** Retry policy for network errors, 5xx and 429; `false` turns retries off. */
  retry?: RetryOptions | false;
  /** Keep tabs that share storage in step. Default true. */
  crossTab?: boolean;
  /** Called with every error the client reports asynchronously. */
  onError?: (error: NametagError) => void;
  /** The identity known before the first render (server bootstrap), applied without a request. */
  initialIdentity?: IdentifyInput | null;
  /** Returns a fresh identity token (or userHash) from your server; called again once on a 401. */
  getIdentityToken?: (
    userId: string,
  ) => Promise<string | { userHash?: string; identityToken?: string }>;
}

/** Which page of a list: `limit` 1..MAX_PAGE_LIMIT (default DEFAULT_PAGE_LIMIT), `cursor` = a page's nextCursor. */
export interface PageOptions {
  cursor?: string;
  limit?: number;
}

/** One page of a list; `nextCursor` is `null` on the last page. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface NametagConversations {
  /** The current visitor's or user's conversations, newest first, one page at a time. */
  list(options?: PageOptions): Promise<Page<Conversation>>;
  create(options?: { agent?: string }): Promise<Conversation>;
  /** A conversation's messages, oldest first, one page at a time. */
  messages(conversationId: string, options?: PageOptions): Promise<Page<Message>>;
  send(conversationId: string, text: string): Promise<SendMessageResponse>;
}

export interface NametagForms {
  register(name: string, provider: FormProvider): () => void;
  resolve(nameOrSchema: string | FormSchema, args?: Record<string, unknown>): Promise<FormSchema>;
}

/** The client `createNametag()` returns. Methods are bound: pass them around freely. */
export interface NametagClient {
  /**
   * Links the visitor to your user. Bad input throws a NametagError synchronously (state
   * untouched, nothing sent). The promise resolves once the link settled and never rejects:
   * failures go to `onError` and the "error" event. An identical identify sends nothing.
   */
  identify(input: IdentifyInput): Promise<void>;
  /** Merges into the user's metadata; `null` removes a key. Throws NOT_IDENTIFIED when anonymous. */
  updateMetadata(partial: Record<string, unknown>): Promise<void>;
  /** Logout: forgets the user and rotates the visitor id, in every tab. */
  resetUser(): void;
  /** Alias of `resetUser()`. */
  clearIdentity(): void;
  /** `undefined`: auth loading, nothing; `null`: reset if identified; a user: identify (deduplicated). */
  syncAuth(user: AuthUser): Promise<void>;
  /** `v_<epoch ms>_<random base36>`. */
  getVisitorId(): string;
  /** The sanitized identity; the same frozen object until something changes. */
  getIdentity(): Identity;
  /** Called after every identity change; returns unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** `{ userId, userMetadata }` sanitized: what an LLM may see. */
  getAgentContext(): AgentContext;
  /** Renders a message template from the sanitized identity. */
  render(template: string): string;
  /** Substitutes an HTTP tool from the full identity (URL parts encoded, header injection refused). */
  resolveHttpTool(tool: HttpTool): ResolvedHttpTool;
  readonly forms: NametagForms;
  readonly conversations: NametagConversations;
  on<E extends NametagEventName>(
    event: E,
    handler: (payload: NametagEvents[E]) => void,
  ): () => void;
  /** Reference counted: the first mount starts cross-tab sync, offline redelivery and a bootstrap link. */
  mount(): void;
  /** The last unmount stops what mount started. */
  unmount(): void;
  /** Removes every listener, channel and timer and aborts requests; later calls throw DESTROYED. */
  destroy(): void;
}
