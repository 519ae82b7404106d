import { createConversationsResource } from "@nametag/core";
import type {
  Conversation,
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
  /** A readonly ref of one part of the state. */
  const field = <V>(read: (state: ResourceState<T>) => V) => computed(() => read(state.value));
  return { start, field };
}

/**
 * The conversation list of whoever is signed in (or of the anonymous visitor), fetched after the
 * component mounts (never during SSR) and again, from empty, whenever the visitor or user changes.
 * The loading rule is core's (`createConversationsResource`); this only binds it to Vue.
 */
export function useConversations(): UseConversationsResult {
  const client = injectNametag("useConversations");
  const resource = createConversationsResource(client);
  const { start, field } = bindResource(resource);
  const refresh = () => {
    start();
    return resource.refresh();
  };
  return {
    conversations: field((state) => state.data.data),
    loading: field((state) => state.loading),
    error: field((state) => state.error),
    hasMore: field((state) => state.data.nextCursor !== null),
    loadMore: resource.loadMore,
    refresh,
    async create(options) {
      start();
      return resource.create(options);
    },
    send: client.conversations.send,
    messages: client.conversations.messages,
  };
}
