import { describe, expect, it } from "vitest";
import { createConversations } from "../conversations";
import { createNametag } from "../createNametag";
import type { TransportRequest } from "../transport";
import { API_URL, JANE, OMAR, backend } from "./setup";

describe("conversations", () => {
  it("after identify, list() shows the visitor's earlier conversations (the backend moved them)", async () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory", agent: "support" });
    const before = await nametag.conversations.create();
    const listing = nametag.identify(JANE).then(() => undefined);
    // Called without awaiting the identify: it waits for the link.
    const afterLink = await nametag.conversations.list();
    await listing;
    expect(afterLink.map((conversation) => conversation.id)).toEqual([before.id]);
    const jane = backend.store.findUserByExternalId("user_jane");
    expect(afterLink[0]?.userId).toBe(jane?.id);
  });

  it("sends a message and gets a reply personalised from the SANITIZED identity", async () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    await nametag.identify(JANE);
    const conversation = await nametag.conversations.create();
    const { message, reply } = await nametag.conversations.send(
      conversation.id,
      "What plan am I on?",
    );
    expect(message).toMatchObject({ role: "user", text: "What plan am I on?" });
    expect(reply.role).toBe("agent");
    expect(reply.text).toContain("Jane");
    expect(reply.text).toContain("enterprise");
    expect(reply.text).not.toContain("demo-jane-auth-token");
    const messages = await nametag.conversations.messages(conversation.id);
    expect(messages.map((entry) => entry.role)).toEqual(["user", "agent"]);
  });

  it("uses assignedAgent for new conversations and refuses an unknown agent", async () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory", retry: false });
    await nametag.identify({ ...OMAR, assignedAgent: "support" });
    expect((await nametag.conversations.create()).agent).toBe("support");
    await expect(nametag.conversations.create({ agent: "nobody" })).rejects.toMatchObject({
      code: "AGENT_NOT_FOUND",
      status: 404,
    });
  });

  it("another user's conversation answers SCOPE_DENIED", async () => {
    const jane = createNametag({ apiUrl: API_URL, persistence: "memory", retry: false });
    await jane.identify(JANE);
    const mine = await jane.conversations.create();
    const omar = createNametag({ apiUrl: API_URL, persistence: "memory", retry: false });
    await omar.identify(OMAR);
    await expect(omar.conversations.messages(mine.id)).rejects.toMatchObject({
      code: "SCOPE_DENIED",
      status: 403,
    });
  });

  it("validates arguments before sending", async () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    await expect(nametag.conversations.messages("")).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(nametag.conversations.send("c_1", "  ")).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    expect(backend.requests()).toEqual([]);
  });
});

describe("createConversations", () => {
  it("sends exactly these requests", async () => {
    const sent: TransportRequest[] = [];
    const answer = { conversations: ["c"], messages: ["m"] };
    const send = <T>(request: TransportRequest) => {
      sent.push(request);
      return Promise.resolve(answer as T);
    };
    let keys = 0;
    const writeHeaders = () => ({ "idempotency-key": `key-${++keys}` });
    const withAgent = createConversations(send, "support", writeHeaders);
    const withoutAgent = createConversations(send, undefined, writeHeaders);
    expect(await withAgent.list()).toEqual(["c"]);
    await withAgent.create();
    await withAgent.create({ agent: "sales" });
    await withoutAgent.create();
    expect(await withAgent.messages("c/1 ?")).toEqual(["m"]);
    await withAgent.send("c_1", "Hi");
    expect(sent).toEqual([
      { method: "GET", path: "/v1/conversations" },
      {
        method: "POST",
        path: "/v1/conversations",
        body: { agent: "support" },
        headers: { "idempotency-key": "key-1" },
      },
      {
        method: "POST",
        path: "/v1/conversations",
        body: { agent: "sales" },
        headers: { "idempotency-key": "key-2" },
      },
      {
        method: "POST",
        path: "/v1/conversations",
        body: {},
        headers: { "idempotency-key": "key-3" },
      },
      { method: "GET", path: "/v1/conversations/c%2F1%20%3F/messages" },
      {
        method: "POST",
        path: "/v1/conversations/c_1/messages",
        body: { text: "Hi" },
        headers: { "idempotency-key": "key-4" },
      },
    ]);
  });

  it("checks the conversation id before the text", async () => {
    const conversations = createConversations(() => Promise.reject(new Error("sent")), undefined);
    await expect(conversations.send("", "")).rejects.toThrow(/conversation's id/);
    await expect(conversations.send(42 as never, "Hi")).rejects.toThrow(/conversation's id/);
    await expect(conversations.send("c_1", 42 as never)).rejects.toThrow(/message text/);
  });
});
