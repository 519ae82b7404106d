import type { NametagError } from "./errors";
import type { Conversation } from "./protocol";
import type { FormSchema, Identity, NametagClient, Page } from "./types";

/** What a resource holds for its current owner. Immutable: a new object on every change. */
export interface ResourceState<T> {
  readonly data: T;
  readonly loading: boolean;
  readonly error: NametagError | undefined;
}

/**
 * Data that belongs to whoever uses the page (a visitor, a user): "load for the current owner,
 * newest wins, empty the moment the owner changes", written once here for every adapter. A store
 * in the shape React's useSyncExternalStore and Vue's shallowRef bind to.
 */
export interface OwnedResource<T> {
  /** The state for the CURRENT owner: already empty (and loading) once the owner changed. */
  getSnapshot(): ResourceState<T>;
  /** The first subscriber starts the load (never during a server render: nobody subscribes there). */
  subscribe(listener: () => void): () => void;
  /** Loads again for the current owner; an older load still running is dropped when it answers. */
  refresh(): Promise<void>;
  /** Runs `task` on the current data (e.g. append the next page); dropped if the owner changes. */
  update(task: (data: T) => Promise<T>): Promise<void>;
}

export interface ResourceOptions<T> {
  /** Whose data this is, as a string (a new value empties the data and loads again). */
  owner: (identity: Identity) => string;
  load: () => Promise<T>;
  /** The data before the first load and after an owner change. */
  empty: T;
}

export function createOwnedResource<T>(
  client: Pick<NametagClient, "getIdentity" | "subscribe">,
  { owner, load, empty }: ResourceOptions<T>,
): OwnedResource<T> {
  const fresh = (): ResourceState<T> => ({ data: empty, loading: true, error: undefined });
  let key = owner(client.getIdentity());
  let state = fresh();
  /** Bumped by every load and owner change: only the newest load may write. */
  let ticket = 0;
  let loadedKey: string | null = null;
  const listeners = new Set<() => void>();
  let stopClient: (() => void) | null = null;

  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  /** Empties the state when the owner changed; true if it did. */
  const sync = (): boolean => {
    const next = owner(client.getIdentity());
    if (next === key) return false;
    key = next;
    ticket++;
    state = fresh();
    return true;
  };
  const update = (task: (data: T) => Promise<T>): Promise<void> => {
    const changed = sync();
    const mine = ++ticket;
    loadedKey = key;
    if (changed || !state.loading) {
      state = { ...state, loading: true };
      notify();
    }
    const settle = (data: T, error?: NametagError) => {
      if (mine !== ticket) return;
      state = { data, loading: false, error };
      notify();
    };
    return task(state.data).then(
      (data) => settle(data),
      (error: NametagError) => settle(state.data, error),
    );
  };
  const refresh = () => update(() => load());
  const onClient = () => {
    if (sync()) {
      notify();
      void refresh();
    }
  };

  return {
    getSnapshot: () => {
      sync();
      return state;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!stopClient) {
        stopClient = client.subscribe(onClient);
        sync();
        if (loadedKey !== key) void refresh();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          stopClient?.();
          stopClient = null;
        }
      };
    },
    refresh,
    update,
  };
}

/** The current visitor's or user's conversations, page by page: what `useConversations` binds to. */
export interface ConversationsResource extends OwnedResource<Page<Conversation>> {
  /** Loads the next page and appends it; does nothing on the last page. */
  loadMore(): Promise<void>;
  /** Starts a conversation, then lists again for whoever is current by then. */
  create(options?: { agent?: string }): Promise<Conversation>;
}

const firstPage: Page<Conversation> = { data: [], nextCursor: null };

export function createConversationsResource(
  client: Pick<NametagClient, "getIdentity" | "subscribe" | "conversations">,
): ConversationsResource {
  const { conversations } = client;
  const resource = createOwnedResource(client, {
    // Whose conversations these are: a new visitor or user means a new list.
    owner: (identity) => `${identity.visitorId} ${identity.userId}`,
    load: () => conversations.list(),
    empty: firstPage,
  });
  return {
    ...resource,
    loadMore: () =>
      resource.update(async (page) => {
        if (page.nextCursor === null) return page;
        const next = await conversations.list({ cursor: page.nextCursor });
        return { data: [...page.data, ...next.data], nextCursor: next.nextCursor };
      }),
    async create(options) {
      const conversation = await conversations.create(options);
      await resource.refresh();
      return conversation;
    },
  };
}

/** Which form, with its arguments: what `useForm` is asked for (it may change between loads). */
export type FormRequest = readonly [
  nameOrSchema: string | FormSchema,
  args?: Record<string, unknown>,
];

/**
 * The current user's prefilled form: what `useForm` binds to. It belongs to the user and their
 * metadata (a new user, or new metadata, means a new prefill) and to the form asked for, which
 * `form()` reads at each load (a reactive source in Vue, a fixed one in React).
 */
export function createFormResource(
  client: Pick<NametagClient, "getIdentity" | "subscribe" | "forms">,
  form: () => FormRequest,
): OwnedResource<FormSchema | undefined> {
  return createOwnedResource(client, {
    owner: (identity) => JSON.stringify([identity.userId, identity.userMetadata, form()]),
    load: () => client.forms.resolve(...form()),
    empty: undefined,
  });
}
