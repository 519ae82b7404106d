/**
 * Wire types of the Nametag chat backend. The contract is written down in
 * `packages/mock/API.md`; these types are its single source for the browser client
 * (`@nametag/core`), the server SDK (`@nametag/server`) and the mock (`@nametag/mock`).
 */

/** Path prefix of every backend endpoint. */
export const API_PREFIX = "/v1";

/** Header names, lower-case as `Headers` normalises them. */
export const HEADERS = {
  /** The browser's anonymous visitor id (`v_<epoch ms>_<base36>`). */
  visitorId: "x-nametag-visitor-id",
  /** The host app's id of the signed-in user (the backend's `externalId`). */
  userId: "x-nametag-user-id",
  /** Identity verification: hex HMAC-SHA256 of the userId. */
  userHash: "x-nametag-user-hash",
  /** Identity verification: HS256 JWT whose `sub` is the userId. */
  identityToken: "x-nametag-identity-token",
  /** Scope narrowing: a user's secret token; the request only reaches that user's data. */
  userToken: "x-user-token",
  /** One key per logical write; a replay returns the first result and stores nothing twice. */
  idempotencyKey: "idempotency-key",
  /** Set on every response. */
  requestId: "x-request-id",
  /** Seconds to wait, on 429 and 503 responses. */
  retryAfter: "retry-after",
  /** `true` on a response replayed for a repeated `Idempotency-Key`. */
  idempotentReplayed: "idempotent-replayed",
} as const;

/**
 * The `Authorization` scheme a host's proxy uses: `Authorization: NametagProxy <apiKey>`. The
 * backend serves it with browser scope only (a visitor id is required), never with server scope,
 * which needs `Authorization: Bearer <apiKey>`. A proxy never sends `Bearer`, so nothing a browser
 * adds or leaves out can widen what it reaches.
 */
export const PROXY_AUTH_SCHEME = "NametagProxy";

/** The most `sensitivePaths` an identify or metadata update may carry. */
export const MAX_SENSITIVE_PATHS = 1000;

/** Lists return this many items when `limit` is not given. */
export const DEFAULT_PAGE_LIMIT = 50;

/** The largest `limit` a list accepts (400 `VALIDATION_FAILED` above it). */
export const MAX_PAGE_LIMIT = 100;

/** Bookbag's rule for the host app's user id, enforced by client and backend alike. */
export const USER_ID_PATTERN = /^[a-zA-Z0-9._-]{1,128}$/;

/** Ansa's visitor id format: `v_<epoch ms>_<random base36>`. */
export const VISITOR_ID_PATTERN = /^v_\d{1,16}_[a-z0-9]{6,32}$/;

/** The backend refuses a contacts upsert with more entries than this. */
export const MAX_CONTACTS_PER_UPSERT = 1000;

/** The backend refuses request bodies larger than this many bytes (413 `PAYLOAD_TOO_LARGE`). */
export const MAX_BODY_BYTES = 256 * 1024;

/** Stable error codes of the backend's error envelope. */
export type BackendErrorCode =
  | "BAD_REQUEST"
  | "VALIDATION_FAILED"
  | "INVALID_USER_ID"
  | "INVALID_VISITOR_ID"
  | "UNAUTHORIZED"
  | "SCOPE_DENIED"
  | "NOT_FOUND"
  | "AGENT_NOT_FOUND"
  | "EXTERNAL_ID_TAKEN"
  | "IDEMPOTENCY_KEY_REUSED"
  | "IDENTITY_VERIFICATION_FAILED"
  | "RATE_LIMITED"
  | "PAYLOAD_TOO_LARGE"
  | "METHOD_NOT_ALLOWED"
  | "TOO_MANY_CONTACTS"
  | "UNKNOWN_ATTRIBUTE"
  | "ATTRIBUTE_TYPE_MISMATCH"
  | "ATTRIBUTE_TYPE_IMMUTABLE"
  | "UNAVAILABLE"
  | "INTERNAL";

/** Every error response has this body. */
export interface ErrorEnvelope {
  error: {
    code: BackendErrorCode | (string & {});
    message: string;
    details?: Record<string, unknown>;
  };
}

/** Arbitrary user attributes. Sensitive keys are stored but never shown to the agent. */
export type UserMetadata = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Browser endpoints: no API key; `X-Nametag-Visitor-Id` on every request, `X-Nametag-User-Id`
// (plus a verification credential when the backend has an identity secret) once identified.
// ---------------------------------------------------------------------------------------------

/** `POST /v1/identity`: link the current visitor to a user (send an `Idempotency-Key`). */
export interface LinkRequest {
  userId: string;
  userMetadata?: UserMetadata;
  /** String tags stored on the user (Chatvisor's `labels`). */
  labels?: string[];
  /** The agent the user's new conversations go to (Chatvisor's `assignedUser`). */
  assignedAgent?: string;
  userHash?: string;
  identityToken?: string;
  /**
   * JSON Pointers (RFC 6901) of the `userMetadata` fields the client's sanitizer removed (default
   * patterns, the host's `sensitiveKeys`, secret-shaped values). The backend keeps them for HTTP
   * tools but removes them from the agent context and from every response a browser receives.
   */
  sensitivePaths?: string[];
}

/** Response of `POST /v1/identity`. */
export interface LinkResponse {
  /** The host app's id, as sent. */
  userId: string;
  visitorId: string;
  /** Conversations that moved from the visitor to the user with this link. */
  linkedConversationIds: string[];
  labels: string[];
  assignedAgent: string | null;
}

/** `PATCH /v1/identity`: merge metadata into the identified user; a key set to `null` is removed. */
export interface MetadataUpdateRequest {
  userMetadata: Record<string, unknown>;
  /** JSON Pointers of the sanitizer's removals in `userMetadata`, as in {@link LinkRequest}. */
  sensitivePaths?: string[];
}

/** Response of `PATCH /v1/identity`. */
export interface MetadataUpdateResponse {
  userId: string;
  /** The stored metadata after the merge, sanitized (no sensitive keys). */
  userMetadata: UserMetadata;
}

/** A conversation between one user (or anonymous visitor) and one agent. */
export interface Conversation {
  id: string;
  agent: string;
  /** Nametag's id of the owning user (an anonymous user for a visitor). */
  userId: string;
  createdAt: string;
  updatedAt: string;
}

export type MessageRole = "user" | "agent";

export interface Message {
  id: string;
  conversationId: string;
  role: MessageRole;
  text: string;
  createdAt: string;
}

/** `POST /v1/conversations`. `userId` (Nametag's id) is honoured for API-key requests only. */
export interface CreateConversationRequest {
  agent?: string;
  userId?: string;
}

/**
 * Query of a paginated list: `?limit=<1..MAX_PAGE_LIMIT>&cursor=<nextCursor of the previous page>`.
 */
export interface PageQuery {
  cursor?: string;
  limit?: number;
}

/**
 * `GET /v1/conversations`, `GET /v1/users/{id}/conversations`,
 * `GET /v1/users/external/{externalId}/conversations`: one page, newest first.
 */
export interface ConversationList {
  conversations: Conversation[];
  /** Pass as `?cursor=` for the next page; `null` on the last page. Opaque: never parse it. */
  nextCursor: string | null;
}

/** `GET /v1/conversations/{id}/messages`: one page, oldest first. */
export interface MessageList {
  messages: Message[];
  /** Pass as `?cursor=` for the next (newer) page; `null` on the last page. Opaque. */
  nextCursor: string | null;
}

/** `POST /v1/conversations/{id}/messages`. */
export interface SendMessageRequest {
  text: string;
}

/** Response of `POST /v1/conversations/{id}/messages`: the stored message and the agent's reply. */
export interface SendMessageResponse {
  message: Message;
  reply: Message;
}

// ---------------------------------------------------------------------------------------------
// Server endpoints: `Authorization: Bearer <apiKey>`; `X-User-Token` narrows to one user.
// ---------------------------------------------------------------------------------------------

/** A backend user. `id` is Nametag's; `externalId` is the host app's (the browser's `userId`). */
export interface User {
  id: string;
  externalId: string | null;
  /** Opaque secret; sent as `X-User-Token` to narrow a request to this user. */
  token: string;
  labels: string[];
  assignedAgent: string | null;
  userMetadata: UserMetadata;
  anonymous: boolean;
  createdAt: string;
}

/** `POST /v1/users`. */
export interface CreateUserRequest {
  externalId?: string;
  userMetadata?: UserMetadata;
  labels?: string[];
  assignedAgent?: string;
}

/** `PATCH /v1/users/{id}`. */
export interface UpdateUserRequest {
  externalId?: string | null;
  userMetadata?: UserMetadata;
  labels?: string[];
  assignedAgent?: string | null;
}

/** Response of `DELETE /v1/users/{id}` (GDPR: everything the user owns goes with them). */
export interface DeleteUserResponse {
  id: string;
  deleted: { conversations: number; messages: number; contacts: number };
}

/** Response of `POST /v1/conversations` with an API key: the conversation and its user. */
export interface ConversationWithUser extends Conversation {
  user: User;
}

/** Types a custom attribute can have; a definition's type never changes. */
export type AttributeType = "text" | "number" | "boolean" | "date";

/** `POST /v1/attributes`. */
export interface DefineAttributeRequest {
  name: string;
  type: AttributeType;
}

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  created_at: string;
}

/** `GET /v1/attributes`: every definition, in definition order. */
export interface AttributeList {
  attributes: AttributeDefinition[];
}

export type ContactAttributeValue = string | number | boolean | null;

/** One entry of `POST /v1/contacts` (Bookbag's shape), keyed by `external_id`. */
export interface ContactInput {
  external_id: string;
  email?: string | null;
  custom_attributes?: Record<string, ContactAttributeValue>;
}

export interface Contact {
  external_id: string;
  email: string | null;
  custom_attributes: Record<string, ContactAttributeValue>;
  created_at: string;
  updated_at: string;
}

/** `POST /v1/contacts`. */
export interface UpsertContactsRequest {
  users: ContactInput[];
}

export interface UpsertContactsResponse {
  created: number;
  updated: number;
  contacts: Contact[];
}

/** Claims of an identity token (HS256 JWT). */
export interface IdentityTokenClaims {
  sub: string;
  exp: number;
  iat?: number;
}
