import { createConversationsResource } from "@nametag/core";
import type {
  Conversation,
  Message,
  NametagError,
  Page,
  PageOptions,
  SendMessageResponse,
} from "@nametag/core";
import { useMemo } from "react";
import { useClient } from "./context";
import { useResource } from "./useResource";

export interface UseConversationsResult {
  /** The current visitor's or user's conversations loaded so far, newest first. */
  conversations: Conversation[];
  loading: boolean;
  error: NametagError | undefined;
  /** Whether the backend has more conversations than those loaded (see `loadMore()`). */
  hasMore: boolean;
  /** Loads the next page and appends it; does nothing on the last page. */
  loadMore(): Promise<void>;
  /** Lists the conversations again (the first page). */
  refresh(): Promise<void>;
  /** Starts a conversation (with the client's default agent unless `agent` is given), then lists again. */
  create(options?: { agent?: string }): Promise<Conversation>;
  /** Sends a message; resolves with the stored message and the agent's reply. */
  send(conversationId: string, text: string): Promise<SendMessageResponse>;
  /** A page of a conversation's messages, oldest first. */
  messages(conversationId: string, options?: PageOptions): Promise<Page<Message>>;
}

/**
 * The conversations of whoever is using the page. The list empties and loads again when the
 * visitor or user changes (login, logout), so one user never sees another's list. The loading
 * rule is core's (`createConversationsResource`); this hook only binds it to React.
 */
export function useConversations(): UseConversationsResult {
  const client = useClient("useConversations");
  const resource = useMemo(() => createConversationsResource(client), [client]);
  const { data, loading, error } = useResource(resource);
  return {
    conversations: data.data,
    loading,
    error,
    hasMore: data.nextCursor !== null,
    loadMore: resource.loadMore,
    refresh: resource.refresh,
    create: resource.create,
    send: client.conversations.send,
    messages: client.conversations.messages,
  };
}
