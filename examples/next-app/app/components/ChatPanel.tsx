"use client";
import type { Message } from "@nametag/core";
import { useConversations, useIdentity } from "@nametag/next";
import type { FormEvent } from "react";
import { useState } from "react";

const selectVisitorId = (identity: { visitorId: string }) => identity.visitorId;

/**
 * The chat, remounted whenever the visitor id changes. Logging in keeps the visitor id (the open
 * conversation simply continues under the account); logging out or switching user rotates it,
 * so one person never sees another's chat.
 */
export function ChatPanel() {
  const visitorId = useIdentity(selectVisitorId);
  return <Chat key={visitorId} />;
}

function Chat() {
  const { conversations, loading, error, create, send, messages } = useConversations();
  const [openId, setOpenId] = useState<string | null>(null);
  const [shown, setShown] = useState<Message[]>([]);
  const [draft, setDraft] = useState("");
  const [busy, setBusy] = useState(false);

  async function open(conversationId: string) {
    setOpenId(conversationId);
    setShown((await messages(conversationId)).data);
  }

  async function startConversation() {
    const conversation = await create();
    setOpenId(conversation.id);
    setShown([]);
    return conversation.id;
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if (!text || busy) return;
    setBusy(true);
    try {
      const conversationId = openId ?? (await startConversation());
      const { message, reply } = await send(conversationId, text);
      setShown((previous) => [...previous, message, reply]);
      setDraft("");
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="chat panel">
      <div className="conversations">
        <h2>Conversations</h2>
        <button
          type="button"
          data-testid="new-conversation"
          onClick={() => void startConversation()}
        >
          New conversation
        </button>
        <ul data-testid="conversation-list">
          {conversations.map((conversation) => (
            <li key={conversation.id}>
              <button
                type="button"
                data-testid="conversation-item"
                aria-current={conversation.id === openId}
                onClick={() => void open(conversation.id)}
              >
                {conversation.agent} · {new Date(conversation.createdAt).toLocaleTimeString()}
              </button>
            </li>
          ))}
        </ul>
        {loading ? <p className="muted">Loading…</p> : null}
        {error ? <p className="error">{error.message}</p> : null}
      </div>
      <div className="messages">
        <ol data-testid="message-list">
          {shown.map((message) => (
            <li
              key={message.id}
              data-testid="message"
              data-role={message.role}
              className={message.role}
            >
              {message.text}
            </li>
          ))}
        </ol>
        <form className="composer" onSubmit={(event) => void onSubmit(event)}>
          <input
            data-testid="chat-input"
            value={draft}
            placeholder="Ask the agent…"
            onChange={(event) => setDraft(event.target.value)}
          />
          <button type="submit" data-testid="chat-send" disabled={busy}>
            Send
          </button>
        </form>
      </div>
    </section>
  );
}
