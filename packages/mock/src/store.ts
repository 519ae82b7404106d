import { MAX_CONTACTS_PER_UPSERT, USER_ID_PATTERN } from "@nametag/core";
import type {
  AttributeDefinition,
  AttributeType,
  Contact,
  ContactAttributeValue,
  ContactInput,
  Conversation,
  DeleteUserResponse,
  LinkResponse,
  Message,
  MessageRole,
  UpsertContactsResponse,
  User,
  UserMetadata,
} from "@nametag/core";
import { MockHttpError, notFound } from "./errors";
import { hashToBase36, hashToHex } from "./ids";
import { decodeCursor, encodeCursor, invalidCursor } from "./pagination";
import type { Page, PageRequest } from "./pagination";
import { mergeSensitivePaths } from "./sensitivePaths";
import { cloneJson, mergeMetadata } from "./validate";

/** A stored result of a write sent with an `Idempotency-Key`. */
export interface IdempotencyRecord {
  /** Who sent it: `visitor:<id>` or `server:<user token or *>`; keys never collide across callers. */
  scope: string;
  key: string;
  /** Caller, method, path and body (credentials left out): a different request under the key is a 422. */
  fingerprint: string;
  status: number;
  body: unknown;
  /** The user the result belongs to, so a GDPR delete also forgets the replayable copy. */
  userId?: string;
}

/** Everything the store holds, as plain JSON (`store.toJSON()` / `store.load()`, `--persist`). */
export interface MockStoreSnapshot {
  version: 1;
  /** How many ids were handed out; ids are derived from (seed, counter). */
  counter: number;
  users: User[];
  conversations: Conversation[];
  messages: Message[];
  contacts: Contact[];
  attributes: AttributeDefinition[];
  /** Which anonymous user holds a visitor's conversations until it is linked. */
  visitors: { visitorId: string; userId: string }[];
  idempotency: IdempotencyRecord[];
  /** The host's `sensitivePaths` per user (absent in snapshots written before they existed). */
  sensitivePaths?: { userId: string; paths: string[] }[];
}

/** The collections a journal entry can name (`--persist` journal). */
export type JournalCollection =
  | "users"
  | "conversations"
  | "contacts"
  | "attributes"
  | "visitors"
  | "idempotency"
  | "sensitivePaths";

/**
 * One change of the store, as the `--persist` journal records it. `counter` is the id counter
 * after the change, so a replay hands out the same ids next.
 */
export type StoreJournalEntry =
  | { op: "put"; collection: JournalCollection; key: string; value: unknown; counter: number }
  | { op: "delete"; collection: JournalCollection; key: string; counter: number }
  | { op: "message"; value: Message; counter: number }
  | { op: "reset"; counter: number }
  | { op: "snapshot"; value: MockStoreSnapshot; counter: number };

export interface CreateUserInput {
  externalId?: string | null;
  userMetadata?: UserMetadata;
  labels?: string[];
  assignedAgent?: string | null;
}

export interface UpdateUserInput {
  externalId?: string | null;
  userMetadata?: UserMetadata;
  labels?: string[];
  assignedAgent?: string | null;
  /** JSON Pointers into userMetadata to keep from browsers and the agent (merged with the old). */
  sensitivePaths?: string[];
}

export interface MockStoreOptions {
  /** Seed of the deterministic ids and tokens. Default `"nametag"`. */
  seed?: string;
  /** Clock seam, ms since the epoch. */
  now?: () => number;
}

const ATTRIBUTE_TYPES: readonly AttributeType[] = ["text", "number", "boolean", "date"];
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The in-memory backend state. Every rule of the contract that is about data (unique
 * externalId, linking, GDPR delete, contacts and attribute types) is enforced here, so the
 * routes stay thin. Reads return copies: a test cannot change the store by accident.
 */
export class MockStore {
  private readonly seed: string;
  private readonly now: () => number;
  private counter = 0;
  private readonly userMap = new Map<string, User>();
  private readonly conversationMap = new Map<string, Conversation>();
  private readonly messageMap = new Map<string, Message[]>();
  private readonly contactMap = new Map<string, Contact>();
  private readonly attributeMap = new Map<string, AttributeDefinition>();
  private readonly visitorMap = new Map<string, string>();
  private readonly idempotencyMap = new Map<string, IdempotencyRecord>();
  private readonly sensitivePathMap = new Map<string, string[]>();
  private readonly listeners = new Set<() => void>();
  /** Insertion order of conversations: the tie-break of "newest first" within one millisecond. */
  private readonly conversationOrder = new Map<string, number>();
  private conversationSequence = 0;
  /** Receives every change (the `--persist` journal); see `setJournal`. */
  private journal: ((entry: StoreJournalEntry) => void) | undefined;

  constructor(options: MockStoreOptions = {}) {
    this.seed = options.seed ?? "nametag";
    this.now = options.now ?? Date.now;
  }

  // ----- read access ---------------------------------------------------------------------------

  get users(): User[] {
    return cloneJson([...this.userMap.values()]);
  }

  get conversations(): Conversation[] {
    return cloneJson([...this.conversationMap.values()]);
  }

  get messages(): Message[] {
    return cloneJson([...this.messageMap.values()].flat());
  }

  get contacts(): Contact[] {
    return cloneJson([...this.contactMap.values()]);
  }

  get attributes(): AttributeDefinition[] {
    return cloneJson([...this.attributeMap.values()]);
  }

  getUser(id: string): User | undefined {
    const user = this.userMap.get(id);
    return user && cloneJson(user);
  }

  findUserByExternalId(externalId: string): User | undefined {
    const user = this.internalUserByExternalId(externalId);
    return user && cloneJson(user);
  }

  findUserByToken(token: string): User | undefined {
    for (const user of this.userMap.values()) if (user.token === token) return cloneJson(user);
    return undefined;
  }

  /** The anonymous user holding a visitor's conversations, if the visitor made any. */
  findVisitorUser(visitorId: string): User | undefined {
    const id = this.visitorMap.get(visitorId);
    return id === undefined ? undefined : this.getUser(id);
  }

  getConversation(id: string): Conversation | undefined {
    const conversation = this.conversationMap.get(id);
    return conversation && cloneJson(conversation);
  }

  /** A user's conversations, newest first. */
  conversationsOf(userId: string): Conversation[] {
    const owned = [...this.conversationMap.values()].filter((item) => item.userId === userId);
    // Reverse insertion order first, so conversations created in the same millisecond stay newest first.
    owned.reverse();
    owned.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return cloneJson(owned);
  }

  messagesOf(conversationId: string): Message[] {
    return cloneJson(this.messageMap.get(conversationId) ?? []);
  }

  /**
   * One page of a conversation's messages, oldest first. The cursor carries the position the
   * previous page ended at (and that message's id, to refuse a foreign cursor), so a page costs
   * O(limit) however long the conversation is; only the page is copied.
   */
  messagePage(conversationId: string, request: PageRequest): Page<Message> {
    const list = this.messageMap.get(conversationId) ?? [];
    const name = `m:${conversationId}`;
    let start = 0;
    if (request.cursor !== undefined) {
      const position = decodeCursor(request.cursor, name);
      if (position.position < 1 || list[position.position - 1]?.id !== position.id)
        throw invalidCursor();
      start = position.position;
    }
    const items = list.slice(start, start + request.limit);
    const end = start + items.length;
    const last = items[items.length - 1];
    const nextCursor =
      last !== undefined && end < list.length
        ? encodeCursor({ list: name, position: end, id: last.id, createdAt: last.createdAt })
        : null;
    // A message's fields are all strings, so a spread is a full copy (cheaper than cloneJson).
    return { items: items.map((message) => ({ ...message })), nextCursor };
  }

  /**
   * One page of conversations, newest first: a user's (`ownerId`), or every one (`undefined`).
   * The cursor carries the last conversation's `createdAt` and insertion order, so a page stays
   * right when conversations are created or deleted between two pages.
   */
  conversationPage(ownerId: string | undefined, request: PageRequest): Page<Conversation> {
    const name = `c:${ownerId ?? "*"}`;
    const order = (conversation: Conversation) => this.conversationOrder.get(conversation.id) ?? 0;
    const owned: Conversation[] = [];
    for (const conversation of this.conversationMap.values())
      if (ownerId === undefined || conversation.userId === ownerId) owned.push(conversation);
    // Newest first; within one millisecond, the later created first.
    const before = (a: { createdAt: string; order: number }, b: typeof a) =>
      a.createdAt === b.createdAt ? b.order - a.order : b.createdAt.localeCompare(a.createdAt);
    owned.sort((a, b) =>
      before(
        { createdAt: a.createdAt, order: order(a) },
        { createdAt: b.createdAt, order: order(b) },
      ),
    );
    let start = 0;
    if (request.cursor !== undefined) {
      const position = decodeCursor(request.cursor, name);
      const key = { createdAt: position.createdAt, order: position.position };
      start = owned.findIndex(
        (item) => before(key, { createdAt: item.createdAt, order: order(item) }) < 0,
      );
      if (start === -1) start = owned.length;
    }
    const items = owned.slice(start, start + request.limit);
    const last = items[items.length - 1];
    const nextCursor =
      last !== undefined && start + items.length < owned.length
        ? encodeCursor({
            list: name,
            position: order(last),
            id: last.id,
            createdAt: last.createdAt,
          })
        : null;
    return { items: cloneJson(items), nextCursor };
  }

  /** The JSON Pointers of a user's metadata that browsers and the agent never see. */
  sensitivePathsOf(userId: string): string[] {
    return [...(this.sensitivePathMap.get(userId) ?? [])];
  }

  getContact(externalId: string): Contact | undefined {
    const contact = this.contactMap.get(externalId);
    return contact && cloneJson(contact);
  }

  getAttribute(name: string): AttributeDefinition | undefined {
    const definition = this.attributeMap.get(name);
    return definition && cloneJson(definition);
  }

  // ----- users ---------------------------------------------------------------------------------

  createUser(input: CreateUserInput = {}): User {
    const externalId = input.externalId ?? null;
    if (externalId !== null) this.assertExternalIdFree(externalId);
    const user: User = {
      id: this.nextId("usr"),
      externalId,
      token: `utk_${hashToHex(this.seed, this.counter++, 32)}`,
      labels: [...(input.labels ?? [])],
      assignedAgent: input.assignedAgent ?? null,
      userMetadata: cloneJson(input.userMetadata ?? {}),
      anonymous: externalId === null,
      createdAt: this.timestamp(),
    };
    this.userMap.set(user.id, user);
    this.put("users", user.id, user);
    this.changed();
    return cloneJson(user);
  }

  updateUser(id: string, patch: UpdateUserInput): User {
    const user = this.requireUser(id);
    if (patch.externalId !== undefined && patch.externalId !== user.externalId) {
      if (patch.externalId !== null) this.assertExternalIdFree(patch.externalId);
    }
    // Everything that can throw runs before the first change, so a failed update changes nothing.
    const userMetadata =
      patch.userMetadata === undefined
        ? undefined
        : mergeMetadata(user.userMetadata, patch.userMetadata);
    if (patch.externalId !== undefined && patch.externalId !== user.externalId) {
      user.externalId = patch.externalId;
      user.anonymous = patch.externalId === null;
    }
    if (userMetadata !== undefined) user.userMetadata = userMetadata;
    if (userMetadata !== undefined || patch.sensitivePaths !== undefined)
      this.setSensitivePaths(user, patch.sensitivePaths ?? []);
    if (patch.labels !== undefined) user.labels = [...patch.labels];
    if (patch.assignedAgent !== undefined) user.assignedAgent = patch.assignedAgent;
    this.put("users", user.id, user);
    this.changed();
    return cloneJson(user);
  }

  /** GDPR delete: the user, their conversations and messages, and their contact all go. */
  deleteUser(id: string): DeleteUserResponse {
    const user = this.requireUser(id);
    let conversations = 0;
    let messages = 0;
    for (const conversation of [...this.conversationMap.values()]) {
      if (conversation.userId !== id) continue;
      messages += this.messageMap.get(conversation.id)?.length ?? 0;
      this.messageMap.delete(conversation.id);
      this.conversationMap.delete(conversation.id);
      this.conversationOrder.delete(conversation.id);
      this.remove("conversations", conversation.id);
      conversations += 1;
    }
    let contacts = 0;
    if (user.externalId !== null && this.contactMap.delete(user.externalId)) {
      contacts = 1;
      this.remove("contacts", user.externalId);
    }
    for (const [visitorId, userId] of this.visitorMap)
      if (userId === id) {
        this.visitorMap.delete(visitorId);
        this.remove("visitors", visitorId);
      }
    for (const [key, record] of this.idempotencyMap)
      if (record.userId === id) {
        this.idempotencyMap.delete(key);
        this.remove("idempotency", key);
      }
    this.userMap.delete(id);
    this.remove("users", id);
    if (this.sensitivePathMap.delete(id)) this.remove("sensitivePaths", id);
    this.changed();
    return { id, deleted: { conversations, messages, contacts } };
  }

  /** The anonymous user of a visitor, created on the visitor's first write. */
  visitorUser(visitorId: string): User {
    const existing = this.findVisitorUser(visitorId);
    if (existing) return existing;
    const user = this.createUser();
    this.visitorMap.set(visitorId, user.id);
    this.put("visitors", visitorId, user.id);
    this.changed();
    return user;
  }

  /**
   * Links a visitor to the user with `externalId` (created if new): the visitor's conversations
   * move to the user, and metadata, labels and assignedAgent are stored when given. Atomic:
   * the inputs are copied before anything changes, so a link that throws stores nothing.
   */
  linkVisitor(
    visitorId: string,
    externalId: string,
    input: {
      userMetadata?: UserMetadata;
      labels?: string[];
      assignedAgent?: string;
      sensitivePaths?: string[];
    } = {},
  ): { response: LinkResponse; user: User } {
    const userMetadata =
      input.userMetadata === undefined ? undefined : cloneJson(input.userMetadata);
    const labels = input.labels === undefined ? undefined : [...input.labels];
    const sensitivePaths = [...(input.sensitivePaths ?? [])];
    let user = this.internalUserByExternalId(externalId);
    if (!user) {
      const created = this.createUser({ externalId });
      user = this.userMap.get(created.id) as User;
    }
    // identify() states the whole current identity, so the metadata it carries replaces the old.
    if (userMetadata !== undefined) user.userMetadata = userMetadata;
    if (labels !== undefined) user.labels = labels;
    if (input.assignedAgent !== undefined) user.assignedAgent = input.assignedAgent;
    if (userMetadata !== undefined || sensitivePaths.length > 0)
      this.setSensitivePaths(user, sensitivePaths);

    const linkedConversationIds: string[] = [];
    const anonymousId = this.visitorMap.get(visitorId);
    if (anonymousId !== undefined && anonymousId !== user.id) {
      for (const conversation of this.conversationMap.values()) {
        if (conversation.userId !== anonymousId) continue;
        conversation.userId = user.id;
        linkedConversationIds.push(conversation.id);
        this.put("conversations", conversation.id, conversation);
      }
      // The visitor's anonymous user is now empty; a later anonymous write starts a new one.
      this.userMap.delete(anonymousId);
      this.visitorMap.delete(visitorId);
      this.remove("users", anonymousId);
      this.remove("visitors", visitorId);
    }
    this.put("users", user.id, user);
    this.changed();
    return {
      user: cloneJson(user),
      response: {
        userId: externalId,
        visitorId,
        linkedConversationIds,
        labels: [...user.labels],
        assignedAgent: user.assignedAgent,
      },
    };
  }

  // ----- conversations and messages ------------------------------------------------------------

  createConversation(userId: string, agent: string): Conversation {
    this.requireUser(userId);
    const createdAt = this.timestamp();
    const conversation: Conversation = {
      id: this.nextId("conv"),
      agent,
      userId,
      createdAt,
      updatedAt: createdAt,
    };
    this.conversationMap.set(conversation.id, conversation);
    this.conversationOrder.set(conversation.id, (this.conversationSequence += 1));
    this.messageMap.set(conversation.id, []);
    this.put("conversations", conversation.id, conversation);
    this.changed();
    return cloneJson(conversation);
  }

  addMessage(conversationId: string, role: MessageRole, text: string): Message {
    const conversation = this.conversationMap.get(conversationId);
    if (!conversation) throw notFound(`Conversation ${JSON.stringify(conversationId)}`);
    const message: Message = {
      id: this.nextId("msg"),
      conversationId,
      role,
      text,
      createdAt: this.timestamp(),
    };
    const list = this.messageMap.get(conversationId) ?? [];
    list.push(message);
    this.messageMap.set(conversationId, list);
    conversation.updatedAt = message.createdAt;
    this.journal?.({ op: "message", value: message, counter: this.counter });
    this.put("conversations", conversation.id, conversation);
    this.changed();
    return cloneJson(message);
  }

  // ----- contacts and attributes ---------------------------------------------------------------

  /** Defines a custom attribute; `created` is false when the same definition already exists. */
  defineAttribute(
    name: string,
    type: AttributeType,
  ): { definition: AttributeDefinition; created: boolean } {
    const existing = this.attributeMap.get(name);
    if (existing) {
      if (existing.type !== type) {
        throw new MockHttpError(
          409,
          "ATTRIBUTE_TYPE_IMMUTABLE",
          `Attribute "${name}" is already defined as ${existing.type}; a definition's type never changes. Define a new attribute with another name.`,
          { name, type: existing.type, requestedType: type },
        );
      }
      return { definition: cloneJson(existing), created: false };
    }
    if (!ATTRIBUTE_TYPES.includes(type)) throw new Error(`Unknown attribute type ${String(type)}`);
    const definition: AttributeDefinition = { name, type, created_at: this.timestamp() };
    this.attributeMap.set(name, definition);
    this.put("attributes", name, definition);
    this.changed();
    return { definition: cloneJson(definition), created: true };
  }

  /**
   * Upserts contacts keyed by `external_id`, all or nothing: every entry is checked (id, defined
   * attributes, value types) before anything is stored.
   */
  upsertContacts(inputs: ContactInput[]): UpsertContactsResponse {
    assertContactCount(inputs.length);
    inputs.forEach((input, index) => this.checkContact(input, index));

    let created = 0;
    let updated = 0;
    const touched = new Map<string, Contact>();
    const timestamp = this.timestamp();
    for (const input of inputs) {
      const existing = this.contactMap.get(input.external_id);
      const attributes = mergeMetadata(
        existing?.custom_attributes ?? {},
        input.custom_attributes ?? {},
      );
      const contact: Contact = {
        external_id: input.external_id,
        email: input.email === undefined ? (existing?.email ?? null) : input.email,
        custom_attributes: attributes as Record<string, ContactAttributeValue>,
        created_at: existing?.created_at ?? timestamp,
        updated_at: timestamp,
      };
      if (!existing) created += 1;
      else if (!touched.has(input.external_id)) updated += 1;
      this.contactMap.set(contact.external_id, contact);
      touched.set(contact.external_id, contact);
      this.put("contacts", contact.external_id, contact);
    }
    this.changed();
    return { created, updated, contacts: cloneJson([...touched.values()]) };
  }

  // ----- idempotency ---------------------------------------------------------------------------

  getIdempotency(scope: string, key: string): IdempotencyRecord | undefined {
    const record = this.idempotencyMap.get(`${scope}\n${key}`);
    return record && cloneJson(record);
  }

  putIdempotency(record: IdempotencyRecord): void {
    this.idempotencyMap.set(`${record.scope}\n${record.key}`, cloneJson(record));
    this.put("idempotency", `${record.scope}\n${record.key}`, record);
    this.changed();
  }

  // ----- lifecycle -----------------------------------------------------------------------------

  /** Empties the store and restarts the id sequence. */
  reset(): void {
    this.clear();
    this.journal?.({ op: "reset", counter: this.counter });
    this.changed();
  }

  toJSON(): MockStoreSnapshot {
    return cloneJson({
      version: 1 as const,
      counter: this.counter,
      users: [...this.userMap.values()],
      conversations: [...this.conversationMap.values()],
      messages: [...this.messageMap.values()].flat(),
      contacts: [...this.contactMap.values()],
      attributes: [...this.attributeMap.values()],
      visitors: [...this.visitorMap].map(([visitorId, userId]) => ({ visitorId, userId })),
      idempotency: [...this.idempotencyMap.values()],
      sensitivePaths: [...this.sensitivePathMap].map(([userId, paths]) => ({ userId, paths })),
    });
  }

  /** Replaces the whole state with a snapshot from `toJSON()`; throws if it is not one. */
  load(snapshot: unknown): void {
    const data = snapshot as Partial<MockStoreSnapshot> | null;
    const lists = [
      "users",
      "conversations",
      "messages",
      "contacts",
      "attributes",
      "visitors",
      "idempotency",
    ] as const;
    if (
      typeof data !== "object" ||
      data === null ||
      data.version !== 1 ||
      typeof data.counter !== "number" ||
      lists.some((name) => !Array.isArray(data[name]))
    ) {
      throw new Error(
        "This is not a nametag-mock store snapshot (version 1). Delete the file or pass one written by store.toJSON().",
      );
    }
    const copy = cloneJson(data as MockStoreSnapshot);
    this.clear();
    this.counter = copy.counter;
    for (const user of copy.users) this.userMap.set(user.id, user);
    for (const conversation of copy.conversations) {
      this.conversationMap.set(conversation.id, conversation);
      this.conversationOrder.set(conversation.id, (this.conversationSequence += 1));
      this.messageMap.set(conversation.id, []);
    }
    for (const message of copy.messages) this.messageMap.get(message.conversationId)?.push(message);
    for (const contact of copy.contacts) this.contactMap.set(contact.external_id, contact);
    for (const definition of copy.attributes) this.attributeMap.set(definition.name, definition);
    for (const { visitorId, userId } of copy.visitors) this.visitorMap.set(visitorId, userId);
    for (const record of copy.idempotency)
      this.idempotencyMap.set(`${record.scope}\n${record.key}`, record);
    for (const { userId, paths } of Array.isArray(copy.sensitivePaths) ? copy.sensitivePaths : [])
      this.sensitivePathMap.set(userId, paths);
    this.journal?.({ op: "snapshot", value: data as MockStoreSnapshot, counter: this.counter });
    this.changed();
  }

  /**
   * Sends every later change to `sink` as a journal entry, synchronously (the `--persist` journal
   * serializes it at once); `undefined` stops it. Values are the store's own objects: copy or
   * serialize them before the next change.
   */
  setJournal(sink: ((entry: StoreJournalEntry) => void) | undefined): void {
    this.journal = sink;
  }

  /** Called after every change (the bin writes `--persist` from here). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ----- internals -----------------------------------------------------------------------------

  private clear(): void {
    this.counter = 0;
    this.userMap.clear();
    this.conversationMap.clear();
    this.messageMap.clear();
    this.contactMap.clear();
    this.attributeMap.clear();
    this.visitorMap.clear();
    this.idempotencyMap.clear();
    this.conversationOrder.clear();
    this.conversationSequence = 0;
    this.sensitivePathMap.clear();
  }

  /** Merges `added` into the user's sensitive paths, dropping those whose value is gone. */
  private setSensitivePaths(user: User, added: readonly string[]): void {
    const paths = mergeSensitivePaths(
      this.sensitivePathMap.get(user.id) ?? [],
      added,
      user.userMetadata,
    );
    if (paths.length > 0) {
      this.sensitivePathMap.set(user.id, paths);
      this.put("sensitivePaths", user.id, paths);
    } else if (this.sensitivePathMap.delete(user.id)) this.remove("sensitivePaths", user.id);
  }

  private put(collection: JournalCollection, key: string, value: unknown): void {
    this.journal?.({ op: "put", collection, key, value, counter: this.counter });
  }

  private remove(collection: JournalCollection, key: string): void {
    this.journal?.({ op: "delete", collection, key, counter: this.counter });
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private nextId(prefix: string): string {
    return `${prefix}_${hashToBase36(this.seed, this.counter++, 16)}`;
  }

  private timestamp(): string {
    return new Date(this.now()).toISOString();
  }

  private requireUser(id: string): User {
    const user = this.userMap.get(id);
    if (!user) throw notFound(`User ${JSON.stringify(id)}`);
    return user;
  }

  private internalUserByExternalId(externalId: string): User | undefined {
    for (const user of this.userMap.values()) if (user.externalId === externalId) return user;
    return undefined;
  }

  private assertExternalIdFree(externalId: string): void {
    if (this.internalUserByExternalId(externalId)) {
      throw new MockHttpError(
        409,
        "EXTERNAL_ID_TAKEN",
        `Another user already has externalId ${JSON.stringify(externalId)}. Fetch it with GET /v1/users/external/{externalId} instead of creating it again.`,
        { externalId },
      );
    }
  }

  private checkContact(input: ContactInput, index: number): void {
    if (typeof input.external_id !== "string" || !USER_ID_PATTERN.test(input.external_id)) {
      throw new MockHttpError(
        400,
        "INVALID_USER_ID",
        `users[${index}].external_id is not a valid id: use 1-128 characters from a-z, A-Z, 0-9, ".", "_" and "-".`,
        { index, field: "external_id" },
      );
    }
    for (const [name, value] of Object.entries(input.custom_attributes ?? {})) {
      const definition = this.attributeMap.get(name);
      if (!definition) {
        throw new MockHttpError(
          422,
          "UNKNOWN_ATTRIBUTE",
          `users[${index}].custom_attributes.${name} is not defined. Define it first with POST /v1/attributes.`,
          { index, attribute: name },
        );
      }
      if (value !== null && !matchesType(value, definition.type)) {
        throw new MockHttpError(
          422,
          "ATTRIBUTE_TYPE_MISMATCH",
          `users[${index}].custom_attributes.${name} must be a ${definition.type}${definition.type === "date" ? " (ISO 8601, e.g. 2024-05-01)" : ""}.`,
          { index, attribute: name, type: definition.type },
        );
      }
    }
  }
}

/** 422 TOO_MANY_CONTACTS above MAX_CONTACTS_PER_UPSERT entries (checked before anything else). */
export function assertContactCount(count: number): void {
  if (count > MAX_CONTACTS_PER_UPSERT) {
    throw new MockHttpError(
      422,
      "TOO_MANY_CONTACTS",
      `A contacts upsert takes at most ${MAX_CONTACTS_PER_UPSERT} entries; this one has ${count}. Split it into batches of ${MAX_CONTACTS_PER_UPSERT}.`,
      { max: MAX_CONTACTS_PER_UPSERT, received: count },
    );
  }
}

function matchesType(value: unknown, type: AttributeType): boolean {
  switch (type) {
    case "text":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "date":
      return (
        typeof value === "string" && DATE_PATTERN.test(value) && !Number.isNaN(Date.parse(value))
      );
  }
}
