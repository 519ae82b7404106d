import type { Conversation, Message, SendMessageResponse } from "@nametag/core";
import { getCurrentInstance, onMounted, ref, shallowRef, watch } from "vue";
import type { Ref, ShallowRef } from "vue";
import { watchIdentity } from "./useIdentity";
import { injectNametag } from "./useNametag";

export interface UseConversationsResult {
  /** The current visitor's or user's conversations, newest first. */
  conversations: Readonly<ShallowRef<Conversation[]>>;
  loading: Readonly<Ref<boolean>>;
  error: Readonly<ShallowRef<unknown>>;
  /** Fetches the list again. */
  refresh(): Promise<void>;
  /** Starts a conversation (with the default or the given agent) and refreshes the list. */
  create(options?: { agent?: string }): Promise<Conversation>;
  /** Sends a message and returns it with the agent's reply. */
  send(conversationId: string, text: string): Promise<SendMessageResponse>;
  messages(conversationId: string): Promise<Message[]>;
}

/**
 * The conversation list of whoever is signed in (or of the anonymous visitor), fetched after the
 * component mounts (never during SSR) and again whenever the visitor or user changes.
 */
export function useConversations(): UseConversationsResult {
  const client = injectNametag("useConversations");
  const identity = watchIdentity("useConversations");
  const conversations = shallowRef<Conversation[]>([]);
  const loading = ref(false);
  const error = shallowRef<unknown>();
  let latest = 0;

  async function refresh(): Promise<void> {
    const request = ++latest;
    loading.value = true;
    try {
      const list = await client.conversations.list();
      if (request === latest) [conversations.value, error.value] = [list, undefined];
    } catch (reason) {
      if (request === latest) error.value = reason;
    }
    if (request === latest) loading.value = false;
  }

  async function create(options?: { agent?: string }): Promise<Conversation> {
    const conversation = await client.conversations.create(options);
    await refresh();
    return conversation;
  }

  // A new owner (login, logout, another user) lists again; core sends it after any link in flight.
  watch(() => `${identity.value.visitorId} ${identity.value.userId}`, refresh);
  // onMounted never runs during SSR, so the server sends nothing. Outside a component, call refresh().
  if (getCurrentInstance()) onMounted(refresh);

  return {
    conversations,
    loading,
    error,
    refresh,
    create,
    send: client.conversations.send,
    messages: client.conversations.messages,
  };
}
