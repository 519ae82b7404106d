import type {
  AttributeDefinition,
  Contact,
  ContactInput,
  Conversation,
  ConversationList,
  ConversationWithUser,
  DeleteUserResponse,
  Message,
  MessageList,
  SendMessageResponse,
  Transport,
  TransportRequest,
  UpsertContactsResponse,
  User,
} from "@nametag/core";
import {
  DEFAULT_PAGE_LIMIT,
  HEADERS,
  MAX_PAGE_LIMIT,
  NametagError,
  createTransport,
} from "@nametag/core";
import { batchContacts, mergeUpsertResults } from "./batchContacts";
import { readEnv } from "./env";
import type { SignIdentityInput, SignedIdentity } from "./signIdentity";
import { signIdentity } from "./signIdentity";
import type {
  CreateConversationInput,
  CreateUserInput,
  DefineAttributeInput,
  DeleteUserInput,
  GetContactInput,
  GetConversationInput,
  GetUserInput,
  ListConversationsInput,
  ListMessagesInput,
  NametagServerOptions,
  Page,
  RequestOptions,
  SendMessageInput,
  UpdateUserInput,
  UserOrToken,
} from "./types";
import {
  assertIdempotencyKey,
  assertObject,
  assertPathId,
  assertText,
  assertUserId,
} from "./validate";

const ATTRIBUTE_TYPES = new Set(["text", "number", "boolean", "date"]);

type Method = TransportRequest["method"];

interface CallOptions extends RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

function isBrowser(): boolean {
  const scope = globalThis as { window?: unknown; document?: unknown };
  return typeof scope.window !== "undefined" && typeof scope.document !== "undefined";
}

function resolveApiUrl(apiUrl: unknown): string {
  if (typeof apiUrl === "string" && /^https?:\/\/[^/]/i.test(apiUrl)) return apiUrl;
  throw new NametagError(
    "INVALID_OPTIONS",
    `apiUrl must be an absolute http(s) URL such as "https://api.nametag.example", got ${JSON.stringify(apiUrl)}.`,
    { details: { option: "apiUrl" } },
  );
}

function resolveApiKey(apiKey: unknown): string {
  const key = apiKey ?? readEnv("NAMETAG_API_KEY");
  if (key === undefined || key === "") {
    throw new NametagError(
      "MISSING_API_KEY",
      "No Nametag API key: pass new Nametag({ apiUrl, apiKey }) or set the NAMETAG_API_KEY environment variable on your server.",
    );
  }
  if (typeof key !== "string" || !/^[\x21-\x7e]+$/.test(key)) {
    throw new NametagError(
      "INVALID_OPTIONS",
      "apiKey must be a string of visible ASCII characters; check for stray quotes, spaces or newlines around NAMETAG_API_KEY.",
      { details: { option: "apiKey" } },
    );
  }
  return key;
}

function resolveUserToken(userOrToken: unknown, usage: string): string {
  const token =
    typeof userOrToken === "object" && userOrToken !== null
      ? (userOrToken as { token?: unknown }).token
      : userOrToken;
  if (typeof token !== "string" || !/^[\x21-\x7e]+$/.test(token)) {
    throw new NametagError(
      "INVALID_ARGUMENT",
      `${usage}: pass the user's token string as createUser() and getUser() return it (user.token); it has no spaces or line breaks.`,
    );
  }
  return token;
}

const segment = encodeURIComponent;

/**
 * Wraps fetch so an error response arrives with its (small, JSON) body already read. The retry
 * loop discards a failed attempt's body before backing off, and some fetch stacks never settle
 * that discard (MSW's Node interceptor, which our users' tests run on), which would hang a retry.
 */
function bufferErrorBodies(custom: typeof fetch | undefined): typeof fetch {
  return async (input, init) => {
    const response = await (custom ?? globalThis.fetch)(input, init);
    if (response.ok) return response;
    const body = await response.arrayBuffer();
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/**
 * The server-side Nametag client. It holds your API key, so create it on your server only: it
 * refuses to start in a browser. `as(user)` returns a copy narrowed to one user.
 */
export class Nametag {
  /** The backend base URL this client talks to. */
  readonly apiUrl: string;
  readonly #options: NametagServerOptions;
  readonly #apiKey: string;
  readonly #transport: Transport;
  // Set only on clients made by as(): every request then reaches that user's data alone.
  #userToken: string | undefined;

  constructor(options: NametagServerOptions) {
    assertObject(options, "new Nametag()");
    if (isBrowser() && options.dangerouslyAllowBrowser !== true) {
      throw new NametagError(
        "INVALID_OPTIONS",
        "new Nametag() holds your secret API key and must run on your server, not in a browser. Use createNametag() from @nametag/core in the browser.",
      );
    }
    this.apiUrl = resolveApiUrl(options.apiUrl);
    this.#apiKey = resolveApiKey(options.apiKey);
    this.#options = options;
    this.#transport = createTransport({
      baseUrl: this.apiUrl,
      fetch: bufferErrorBodies(options.fetch),
      timeoutMs: options.timeoutMs,
      retry: options.retry,
    });
  }

  /**
   * A client narrowed to one user: every request carries `X-User-Token`, and the backend answers
   * 403 `SCOPE_DENIED` for anything that is not that user's. Use it where a request acts for a
   * user (an agent endpoint), so a wrong id cannot reach someone else's data.
   */
  as(userOrToken: UserOrToken): Nametag {
    const scoped = new Nametag(this.#options);
    scoped.#userToken = resolveUserToken(userOrToken, "as() takes a user object or its token");
    return scoped;
  }

  /** Creates a user; `externalId` is your own id for them (unique: 409 `EXTERNAL_ID_TAKEN`). */
  async createUser(input: CreateUserInput = {}, options?: RequestOptions): Promise<User> {
    assertObject(input, "createUser()");
    if (input.externalId !== undefined) assertUserId(input.externalId, "externalId");
    return this.#call<User>("POST", "/v1/users", { ...options, body: input });
  }

  /** Finds a user by Nametag's `id`, your `externalId`, or the user's `token`. */
  async getUser(input: GetUserInput, options?: RequestOptions): Promise<User> {
    assertObject(input, "getUser()");
    const keys = (["id", "externalId", "token"] as const).filter(
      (key) => (input as Record<string, unknown>)[key] !== undefined,
    );
    if (keys.length !== 1) {
      throw new NametagError(
        "INVALID_ARGUMENT",
        `getUser() takes exactly one of { id }, { externalId } or { token }, got ${keys.length === 0 ? "none" : keys.join(" and ")}.`,
      );
    }
    if ("token" in input && input.token !== undefined) {
      const token = resolveUserToken(input.token, "getUser({ token }) needs a token");
      return this.#call<User>("GET", "/v1/users/me", {
        ...options,
        headers: { [HEADERS.userToken]: token },
      });
    }
    if ("externalId" in input && input.externalId !== undefined) {
      assertUserId(input.externalId, "externalId");
      return this.#call<User>("GET", `/v1/users/external/${segment(input.externalId)}`, options);
    }
    const { id } = input as { id: unknown };
    assertUserId(id, "id");
    return this.#call<User>("GET", `/v1/users/${segment(id)}`, options);
  }

  /** Changes a user's `externalId` (null clears it), `userMetadata`, `labels` or `assignedAgent`. */
  async updateUser(input: UpdateUserInput, options?: RequestOptions): Promise<User> {
    assertObject(input, "updateUser()");
    const { id, ...changes } = input;
    assertUserId(id, "id");
    if (changes.externalId !== undefined && changes.externalId !== null)
      assertUserId(changes.externalId, "externalId");
    return this.#call<User>("PATCH", `/v1/users/${segment(id)}`, { ...options, body: changes });
  }

  /** Deletes a user with their conversations, messages and contacts (GDPR erasure). */
  async deleteUser(input: DeleteUserInput, options?: RequestOptions): Promise<DeleteUserResponse> {
    assertObject(input, "deleteUser()");
    assertUserId(input.id, "id");
    return this.#call<DeleteUserResponse>("DELETE", `/v1/users/${segment(input.id)}`, options);
  }

  /**
   * Starts a conversation with `agent`. Without `userId` a new anonymous user is created; either
   * way the result carries its `.user`. On a client from `as(user)` it belongs to that user.
   */
  async createConversation(
    input: CreateConversationInput,
    options?: RequestOptions,
  ): Promise<ConversationWithUser> {
    assertObject(input, "createConversation()");
    assertText(input.agent, "agent");
    if (input.userId !== undefined) assertUserId(input.userId, "userId");
    const body =
      input.userId === undefined
        ? { agent: input.agent }
        : { agent: input.agent, userId: input.userId };
    return this.#call<ConversationWithUser>("POST", "/v1/conversations", { ...options, body });
  }

  /** Reads one conversation (404 `NOT_FOUND`; on a scoped client, 403 `SCOPE_DENIED` if not the user's). */
  async getConversation(
    input: GetConversationInput,
    options?: RequestOptions,
  ): Promise<Conversation> {
    assertObject(input, "getConversation()");
    assertPathId(input.id, "id");
    return this.#call<Conversation>("GET", `/v1/conversations/${segment(input.id)}`, options);
  }

  /**
   * One page of a user's conversations, newest first: by Nametag's `userId`, or by `externalId`
   * (the id your browser code passed to `identify()`). `limit` is 1 to `MAX_PAGE_LIMIT` (100),
   * default `DEFAULT_PAGE_LIMIT` (50); pass the page's `nextCursor` as `cursor` for the next one
   * (`null` on the last page).
   */
  async listConversations(
    input: ListConversationsInput,
    options?: RequestOptions,
  ): Promise<Page<Conversation>> {
    assertObject(input, "listConversations()");
    let path: string;
    if ("externalId" in input && input.externalId !== undefined) {
      assertUserId(input.externalId, "externalId");
      path = `/v1/users/external/${segment(input.externalId)}/conversations`;
    } else {
      const { userId } = input as { userId: unknown };
      assertUserId(userId, "userId");
      path = `/v1/users/${segment(userId)}/conversations`;
    }
    const list = await this.#call<ConversationList>("GET", path + pageQuery(input), options);
    return { data: list.conversations, nextCursor: list.nextCursor ?? null };
  }

  /** One page of a conversation's messages, oldest first: `{ data, nextCursor }`. */
  async listMessages(input: ListMessagesInput, options?: RequestOptions): Promise<Page<Message>> {
    assertObject(input, "listMessages()");
    assertPathId(input.conversationId, "conversationId");
    const list = await this.#call<MessageList>(
      "GET",
      `/v1/conversations/${segment(input.conversationId)}/messages` + pageQuery(input),
      options,
    );
    return { data: list.messages, nextCursor: list.nextCursor ?? null };
  }

  /** Sends a user message and returns it with the agent's reply. Sent once: never retried. */
  async sendMessage(
    input: SendMessageInput,
    options?: RequestOptions,
  ): Promise<SendMessageResponse> {
    assertObject(input, "sendMessage()");
    assertPathId(input.conversationId, "conversationId");
    assertText(input.text, "text");
    return this.#call<SendMessageResponse>(
      "POST",
      `/v1/conversations/${segment(input.conversationId)}/messages`,
      {
        ...options,
        body: { text: input.text },
      },
    );
  }

  /**
   * Creates or updates contacts keyed by `external_id` (your user id). Any number of contacts:
   * more than the backend takes at once are sent in batches and the results merged. Every entry
   * is validated before the first request.
   */
  async upsertContacts(
    contacts: readonly ContactInput[],
    options?: RequestOptions,
  ): Promise<UpsertContactsResponse> {
    const batches = batchContacts(contacts);
    // Checks the longest per-batch key now, so a bad key cannot fail after a batch was saved.
    if (options?.idempotencyKey !== undefined) {
      assertIdempotencyKey(`${options.idempotencyKey}:${batches.length}`);
    }
    const results: UpsertContactsResponse[] = [];
    for (const [index, users] of batches.entries()) {
      try {
        results.push(
          await this.#call<UpsertContactsResponse>("POST", "/v1/contacts", {
            ...options,
            // One key per batch, so repeating the whole call replays the batches already saved.
            ...(options?.idempotencyKey === undefined || batches.length === 1
              ? {}
              : { idempotencyKey: `${options.idempotencyKey}:${index + 1}` }),
            body: { users },
          }),
        );
      } catch (error) {
        if (batches.length === 1 || !(error instanceof NametagError)) throw error;
        // Say how far it got: upserts are keyed by external_id, so calling again is safe.
        throw new NametagError(
          error.code,
          `${error.message} (batch ${index + 1} of ${batches.length} failed; the ${index} before it were saved. Upserts are keyed by external_id, so you can retry the whole call.)`,
          {
            status: error.status,
            requestId: error.requestId,
            details: {
              ...error.details,
              failedBatch: index,
              batches: batches.length,
              saved: mergeUpsertResults(results),
            },
            cause: error,
          },
        );
      }
    }
    return mergeUpsertResults(results);
  }

  /** Reads one contact by its `external_id`. */
  async getContact(input: GetContactInput, options?: RequestOptions): Promise<Contact> {
    assertObject(input, "getContact()");
    assertUserId(input.externalId, "externalId");
    return this.#call<Contact>("GET", `/v1/contacts/${segment(input.externalId)}`, options);
  }

  /**
   * Defines a custom contact attribute. Defining the same name and type again is a no-op; a
   * different type for an existing name is refused (409 `ATTRIBUTE_TYPE_IMMUTABLE`).
   */
  async defineAttribute(
    input: DefineAttributeInput,
    options?: RequestOptions,
  ): Promise<AttributeDefinition> {
    assertObject(input, "defineAttribute()");
    assertText(input.name, "name");
    if (!ATTRIBUTE_TYPES.has(input.type)) {
      throw new NametagError(
        "INVALID_ARGUMENT",
        `type must be one of "text", "number", "boolean" or "date", got ${JSON.stringify(input.type)}.`,
        { details: { field: "type" } },
      );
    }
    return this.#call<AttributeDefinition>("POST", "/v1/attributes", {
      ...options,
      body: { name: input.name, type: input.type },
    });
  }

  /** Every custom attribute definition. */
  async listAttributes(options?: RequestOptions): Promise<AttributeDefinition[]> {
    const list = await this.#call<{ attributes: AttributeDefinition[] }>(
      "GET",
      "/v1/attributes",
      options,
    );
    return list.attributes;
  }

  /**
   * Signs `userId` with the `identitySecret` option (or NAMETAG_IDENTITY_SECRET) for a browser
   * identify: `{ userHash, identityToken }`. Sign only the id of the user your server has
   * authenticated. No request is sent.
   */
  async signIdentity(input: SignIdentityInput): Promise<SignedIdentity> {
    const secret = this.#options.identitySecret ?? readEnv("NAMETAG_IDENTITY_SECRET");
    if (secret === undefined || secret === "") {
      throw new NametagError(
        "MISSING_IDENTITY_SECRET",
        "signIdentity() needs your identity secret: pass new Nametag({ identitySecret }) or set the NAMETAG_IDENTITY_SECRET environment variable on your server.",
      );
    }
    return signIdentity(input, secret);
  }

  /** Only GET, PUT and DELETE (and writes with an Idempotency-Key) may be sent more than once. */
  async #call<T>(method: Method, path: string, options: CallOptions = {}): Promise<T> {
    if (options.idempotencyKey !== undefined) assertIdempotencyKey(options.idempotencyKey);
    // The transport listens for "abort" events, which a signal aborted before the call never fires.
    if (options.signal?.aborted) {
      throw new NametagError("ABORTED", "The request was aborted before it was sent.", {
        cause: options.signal.reason,
      });
    }
    const headers: Record<string, string> = { authorization: `Bearer ${this.#apiKey}` };
    if (this.#userToken !== undefined) headers[HEADERS.userToken] = this.#userToken;
    if (options.idempotencyKey !== undefined && method !== "GET") {
      headers[HEADERS.idempotencyKey] = options.idempotencyKey;
    }
    Object.assign(headers, options.headers);
    const retryable =
      method === "GET" ||
      method === "PUT" ||
      method === "DELETE" ||
      HEADERS.idempotencyKey in headers;
    const response = await this.#transport.request<T>({
      method,
      path,
      body: options.body,
      headers,
      retryable,
      signal: options.signal,
    });
    return response.data;
  }
}

/** `?limit=…&cursor=…` for a page request, checked before anything is sent ("" for neither). */
function pageQuery(input: object): string {
  const query = new URLSearchParams();
  const { limit, cursor } = input as { limit?: unknown; cursor?: unknown };
  if (limit !== undefined) {
    if (
      typeof limit !== "number" ||
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > MAX_PAGE_LIMIT
    ) {
      throw new NametagError(
        "INVALID_ARGUMENT",
        `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}, got ${JSON.stringify(limit) ?? typeof limit}. Leave it out for ${DEFAULT_PAGE_LIMIT}.`,
        { details: { field: "limit" } },
      );
    }
    query.set("limit", String(limit));
  }
  if (cursor !== undefined && cursor !== null) {
    if (typeof cursor !== "string" || cursor === "") {
      throw new NametagError(
        "INVALID_ARGUMENT",
        "cursor must be the nextCursor string of the previous page, unchanged (or left out for the first page).",
        { details: { field: "cursor" } },
      );
    }
    query.set("cursor", cursor);
  }
  return query.size > 0 ? `?${query}` : "";
}
