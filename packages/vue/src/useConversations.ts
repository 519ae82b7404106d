import { createOwnedResource } from "@nametag/core";
import type {
  Conversation,
  Identity,
  Message,
  NametagError,
  OwnedResource,
  Page,
  PageOptions,
  ResourceState,
  SendMessageResponse,
} from "@nametag/core";
import {
  computed,
  getCurrentInstance,
  getCurrentScope,
  onMounted,
  onScopeDispose,
  shallowRef,
} from "vue";
import type { Ref, ShallowRef } from "vue";
import { injectNametag } from "./useNametag";

export interface UseConversationsResult {
  /** The current visitor's or user's conversations loaded so far, newest first. */
  conversations: Readonly<Ref<Conversation[]>>;
  loading: Readonly<Ref<boolean>>;
  error: Readonly<Ref<NametagError | undefined>>;
  /** Whether the backend has more conversations than those loaded (see `loadMore()`). */
  hasMore: Readonly<Ref<boolean>>;
  /** Loads the next page and appends it; does nothing on the last page. */
  loadMore(): Promise<void>;
  /** Fetches the list again (the first page). */
  refresh(): Promise<void>;
  /** Starts a conversation (with the default or the given agent) and refreshes the list. */
  create(options?: { agent?: string }): Promise<Conversation>;
  /** Sends a message and returns it with the agent's reply. */
  send(conversationId: string, text: string): Promise<SendMessageResponse>;
  /** A page of a conversation's messages, oldest first. */
  messages(conversationId: string, options?: PageOptions): Promise<Page<Message>>;
}

/**
 * Internal: binds one of core's owned resources ("load for the current owner, newest wins, empty
 * the moment the owner changes") to a shallowRef. The rule is core's; this only subscribes, after
 * the component mounts (never during SSR), or at once outside a component in a browser.
 */
export function bindResource<T>(resource: OwnedResource<T>) {
  const state: ShallowRef<ResourceState<T>> = shallowRef(resource.getSnapshot());
  let stop: (() => void) | undefined;
  const start = () => {
    stop ??= resource.subscribe(() => (state.value = resource.getSnapshot()));
    state.value = resource.getSnapshot();
  };
  if (getCurrentInstance()) onMounted(start);
  else if (typeof window !== "undefined") start();
  if (getCurrentScope()) onScopeDispose(() => stop?.());
  const end = () => {
    stop?.();
    stop = undefined;
  };
  return { state, start, stop: end };
}

const selectOwner = (identity: Identity) => `${identity.visitorId} ${identity.userId}`;
const firstPage: Page<Conversation> = { data: [], nextCursor: null };

/**
 * The conversation list of whoever is signed in (or of the anonymous visitor), fetched after the
 * component mounts (never during SSR) and again, from empty, whenever the visitor or user changes.
 */
export function useConversations(): UseConversationsResult {
  const client = injectNametag("useConversations");
  const { conversations } = client;
  const resource = createOwnedResource(client, {
    owner: selectOwner,
    load: () => conversations.list(),
    empty: firstPage,
  });
  const { state, start } = bindResource(resource);
  const refresh = () => {
    start();
    return resource.refresh();
  };
  return {
    conversations: computed(() => state.value.data.data),
    loading: computed(() => state.value.loading),
    error: computed(() => state.value.error),
    hasMore: computed(() => state.value.data.nextCursor !== null),
    loadMore: () =>
      resource.update(async (page) => {
        if (page.nextCursor === null) return page;
        const next = await conversations.list({ cursor: page.nextCursor });
        return { data: [...page.data, ...next.data], nextCursor: next.nextCursor };
      }),
    refresh,
    async create(options) {
      const conversation = await conversations.create(options);
      await refresh();
      return conversation;
    },
    send: conversations.send,
    messages: conversations.messages,
  };
}
