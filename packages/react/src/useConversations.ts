import { createOwnedResource } from "@nametag/core";
import type {
  Conversation,
  Identity,
  Message,
  NametagError,
  Page,
  PageOptions,
  SendMessageResponse,
} from "@nametag/core";
import { useCallback, useMemo } from "react";
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

// Whose conversations these are: a new visitor or user means a new list.
const selectOwner = (identity: Identity) => `${identity.visitorId} ${identity.userId}`;
const firstPage: Page<Conversation> = { data: [], nextCursor: null };

/**
 * The conversations of whoever is using the page. The list empties and loads again when the
 * visitor or user changes (login, logout), so one user never sees another's list. The loading
 * rule is core's (`createOwnedResource`); this hook only binds it to React.
 */
export function useConversations(): UseConversationsResult {
  const client = useClient("useConversations");
  const { conversations } = client;
  const resource = useMemo(
    () =>
      createOwnedResource(client, {
        owner: selectOwner,
        load: () => conversations.list(),
        empty: firstPage,
      }),
    [client, conversations],
  );
  const { data, loading, error } = useResource(resource);
  const loadMore = useCallback(
    () =>
      resource.update(async (page) => {
        if (page.nextCursor === null) return page;
        const next = await conversations.list({ cursor: page.nextCursor });
        return { data: [...page.data, ...next.data], nextCursor: next.nextCursor };
      }),
    [resource, conversations],
  );
  const create = useCallback(
    async (options?: { agent?: string }) => {
      const conversation = await conversations.create(options);
      await resource.refresh(); // lists for whoever is current now, even if that changed meanwhile
      return conversation;
    },
    [conversations, resource],
  );
  return {
    conversations: data.data,
    loading,
    error,
    hasMore: data.nextCursor !== null,
    loadMore,
    refresh: resource.refresh,
    create,
    send: conversations.send,
    messages: conversations.messages,
  };
}
