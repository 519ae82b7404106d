import type {
  Conversation,
  Identity,
  Message,
  NametagError,
  SendMessageResponse,
} from "@nametag/core";
import { useCallback } from "react";
import { useClient } from "./context";
import { useSelection } from "./useIdentity";
import { useResource } from "./useResource";

export interface UseConversationsResult {
  /** The current visitor's or user's conversations, newest first. */
  conversations: Conversation[];
  loading: boolean;
  error: NametagError | undefined;
  /** Lists the conversations again. */
  refresh(): Promise<void>;
  /** Starts a conversation (with the client's default agent unless `agent` is given), then lists again. */
  create(options?: { agent?: string }): Promise<Conversation>;
  /** Sends a message; resolves with the stored message and the agent's reply. */
  send(conversationId: string, text: string): Promise<SendMessageResponse>;
  /** A conversation's messages, oldest first. */
  messages(conversationId: string): Promise<Message[]>;
}

// Whose conversations these are: a new visitor or user means a new list.
const selectOwner = (identity: Identity) => `${identity.visitorId} ${identity.userId}`;
const none: Conversation[] = [];

/**
 * The conversations of whoever is using the page. The list empties and loads again when the
 * visitor or user changes (login, logout), so one user never sees another's list.
 */
export function useConversations(): UseConversationsResult {
  const client = useClient("useConversations");
  const { conversations } = client;
  const [{ data, loading, error }, refresh] = useResource(
    conversations.list,
    useSelection("useConversations", selectOwner),
    none,
  );
  const create = useCallback(
    async (options?: { agent?: string }) => {
      const conversation = await conversations.create(options);
      await refresh(); // lists for whoever is current now, even if that changed meanwhile
      return conversation;
    },
    [conversations, refresh],
  );
  return {
    conversations: data,
    loading,
    error,
    refresh,
    create,
    send: conversations.send,
    messages: conversations.messages,
  };
}
