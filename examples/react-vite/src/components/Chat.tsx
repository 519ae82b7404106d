import type { Conversation, Message } from "@nametag/react";
import { isNametagError, useConversations, useIdentity, useTemplate } from "@nametag/react";
import type { FormEvent } from "react";
import { useCallback, useEffect, useRef, useState } from "react";

// Rendered from the sanitized identity: "Hello Jane Smith! How can I help you today?". A visitor
// has no name (it would render "Hello !"), so they get a template without one.
const GREETING = "Hello {{userMetadata.name}}! How can I help you today?";
const VISITOR_GREETING = "Hello! How can I help you today?";

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

// The backend refuses longer messages (400); say so before sending rather than after.
const MAX_MESSAGE_LENGTH = 10_000;
const tooLong = (text: string) =>
  `The message is too long: ${text.length.toLocaleString("en")} characters, the limit is ` +
  `${MAX_MESSAGE_LENGTH.toLocaleString("en")}. Shorten it and send again.`;

/** Why a send failed, in words a person can act on. */
const sendProblem = (cause: unknown) =>
  `The message was not sent: ${isNametagError(cause) ? cause.message : String(cause)}`;

/**
 * The chat: the conversation history of whoever is using the page, and the open conversation.
 * App gives it a new `key` per visitor / user, so logging out leaves nothing of it on screen.
 */
export function Chat() {
  const { conversations, loading, error, create, send, messages } = useConversations();
  const named = useIdentity((identity) => typeof identity.userMetadata.name === "string");
  const greeting = useTemplate(named ? GREETING : VISITOR_GREETING);
  const [openId, setOpenId] = useState<string | null>(null);
  const [history, setHistory] = useState<Message[]>([]);
  // What each conversation is about: its first message, once this page has seen it.
  const [previews, setPreviews] = useState<Record<string, string>>({});
  const [draft, setDraft] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [autoOpen, setAutoOpen] = useState(true);
  // The conversation on screen; a late answer for another one is dropped.
  const shown = useRef<string | null>(null);

  const remember = (conversationId: string, messageList: Message[]) => {
    const first = messageList[0]?.text;
    if (first) {
      setPreviews((known) =>
        known[conversationId] ? known : { ...known, [conversationId]: first },
      );
    }
  };

  const show = useCallback((conversationId: string, messageList: Message[]) => {
    shown.current = conversationId;
    setOpenId(conversationId);
    setHistory(messageList);
  }, []);

  const open = useCallback(
    async (conversationId: string) => {
      show(conversationId, []);
      try {
        const { data: messageList } = await messages(conversationId);
        remember(conversationId, messageList);
        if (shown.current === conversationId) setHistory(messageList);
      } catch (cause) {
        setProblem(`Could not load the messages: ${(cause as Error).message}`);
      }
    },
    [messages, show],
  );

  // Once the first list arrives, open the newest conversation: after login that is the chat the
  // visitor started before signing in, which now belongs to the account.
  const newest = conversations[0]?.id;
  useEffect(() => {
    if (!autoOpen || loading) return;
    setAutoOpen(false);
    if (newest) void open(newest);
  }, [autoOpen, loading, newest, open]);

  const startConversation = async () => {
    setProblem(null);
    try {
      show((await create()).id, []);
    } catch (cause) {
      setProblem(`Could not start a conversation: ${(cause as Error).message}`);
    }
  };

  const onSend = async (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text || busy) return;
    if (text.length > MAX_MESSAGE_LENGTH) {
      setProblem(tooLong(text));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      let conversationId = openId;
      if (conversationId === null) {
        conversationId = (await create()).id;
        show(conversationId, []);
      }
      const { message, reply } = await send(conversationId, text);
      setDraft("");
      remember(conversationId, [message]);
      if (shown.current === conversationId) setHistory((previous) => [...previous, message, reply]);
    } catch (cause) {
      setProblem(sendProblem(cause));
    } finally {
      setBusy(false);
    }
  };

  const label = (conversation: Conversation, index: number) =>
    previews[conversation.id] ?? `Conversation ${conversations.length - index}`;

  return (
    <section className="panel chat">
      <div className="conversations">
        <div className="conversations-head">
          <h2>Conversations</h2>
          <button type="button" data-testid="new-conversation" onClick={startConversation}>
            New
          </button>
        </div>
        {error && <p className="problem">Could not list conversations: {error.message}</p>}
        <ul data-testid="conversation-list">
          {conversations.map((conversation, index) => (
            <li key={conversation.id}>
              <button
                type="button"
                data-testid="conversation-item"
                className={conversation.id === openId ? "active" : undefined}
                onClick={() => void open(conversation.id)}
              >
                <span className="preview">{label(conversation, index)}</span>
                <small>{time(conversation.updatedAt)}</small>
              </button>
            </li>
          ))}
        </ul>
        {!loading && conversations.length === 0 && <p className="hint">No conversations yet.</p>}
      </div>

      <div className="thread">
        <p className="bubble bubble-agent greeting" data-testid="initial-message">
          {greeting}
        </p>
        <ol className="messages" data-testid="message-list">
          {history.map((message) => (
            <li
              key={message.id}
              className={`bubble bubble-${message.role}`}
              data-testid="message"
              data-role={message.role}
            >
              {message.text}
            </li>
          ))}
        </ol>
        {problem && (
          <p className="problem" role="alert" data-testid="chat-error">
            {problem}
          </p>
        )}
        <form className="composer" onSubmit={onSend}>
          <input
            data-testid="chat-input"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            placeholder="Ask about your plan, an order, anything…"
            aria-label="Message"
          />
          <button type="submit" data-testid="chat-send" disabled={busy || draft.trim() === ""}>
            Send
          </button>
        </form>
      </div>
    </section>
  );
}
