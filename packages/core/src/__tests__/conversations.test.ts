import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { createConversations } from "../conversations";
import { createNametag } from "../createNametag";
import type { TransportRequest } from "../transport";
import { DEFAULT_PAGE_LIMIT } from "../protocol";
import { API_URL, JANE, OMAR, backend, server } from "./setup";

describe("conversations", () => {
  it("after identify, list() shows the visitor's earlier conversations (the backend moved them)", async () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory", agent: "support" });
    const before = await nametag.conversations.create();
    const listing = nametag.identify(JANE).then(() => undefined);
    // Called without awaiting the identify: it waits for the link.
    const { data: afterLink } = await nametag.conversations.list();
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
    const { data: messages } = await nametag.conversations.messages(conversation.id);
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
    const answer = { conversations: ["c"], messages: ["m"], nextCursor: "next" };
    // Writes are answered with the contract's shape (a conversation, a message and its reply).
    const written = { id: "c_1", message: { id: "m_1" }, reply: { id: "m_2" } };
    const send = <T>(request: TransportRequest) => {
      sent.push(request);
      return Promise.resolve((request.method === "GET" ? answer : written) as T);
    };
    let keys = 0;
    const writeHeaders = () => ({ "idempotency-key": `key-${++keys}` });
    const withAgent = createConversations(send, "support", writeHeaders);
    const withoutAgent = createConversations(send, undefined, writeHeaders);
    expect(await withAgent.list()).toEqual({ data: ["c"], nextCursor: "next" });
    await withAgent.list({ limit: 10, cursor: "abc" });
    await withAgent.create();
    await withAgent.create({ agent: "sales" });
    await withoutAgent.create();
    expect(await withAgent.messages("c/1 ?", { limit: 2 })).toEqual({
      data: ["m"],
      nextCursor: "next",
    });
    await withAgent.send("c_1", "Hi");
    expect(sent).toEqual([
      { method: "GET", path: "/v1/conversations", query: { limit: undefined, cursor: undefined } },
      { method: "GET", path: "/v1/conversations", query: { limit: "10", cursor: "abc" } },
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
      {
        method: "GET",
        path: "/v1/conversations/c%2F1%20%3F/messages",
        query: { limit: "2", cursor: undefined },
      },
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

describe("pagination", () => {
  it("list({ cursor, limit }) walks every page with the backend's nextCursor, null on the last", async () => {
    // The backend paginates: 5 conversations, pages of `limit`, the cursor is an offset.
    const all = Array.from({ length: 5 }, (_, index) => ({
      id: `c_${index}`,
      agent: "support",
      userId: "u_1",
      createdAt: "2024-01-01T00:00:00.000Z",
      updatedAt: "2024-01-01T00:00:00.000Z",
    }));
    const queries: string[] = [];
    server.use(
      http.get(`${API_URL}/v1/conversations`, ({ request }) => {
        const url = new URL(request.url);
        queries.push(url.search);
        const limit = Number(url.searchParams.get("limit") ?? DEFAULT_PAGE_LIMIT);
        const start = Number(url.searchParams.get("cursor") ?? 0);
        const end = start + limit;
        return HttpResponse.json({
          conversations: all.slice(start, end),
          nextCursor: end < all.length ? String(end) : null,
        });
      }),
    );
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory", retry: false });
    const seen: string[] = [];
    let page = await nametag.conversations.list({ limit: 2 });
    seen.push(...page.data.map((entry) => entry.id));
    while (page.nextCursor !== null) {
      page = await nametag.conversations.list({ limit: 2, cursor: page.nextCursor });
      seen.push(...page.data.map((entry) => entry.id));
    }
    expect(seen).toEqual(["c_0", "c_1", "c_2", "c_3", "c_4"]);
    expect(queries).toEqual(["?limit=2", "?limit=2&cursor=2", "?limit=2&cursor=4"]);
  });

  it("an old backend without nextCursor gives one page (nextCursor null)", async () => {
    server.use(
      http.get(`${API_URL}/v1/conversations/c_1/messages`, () =>
        HttpResponse.json({ messages: [] }),
      ),
    );
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory", retry: false });
    await expect(nametag.conversations.messages("c_1")).resolves.toEqual({
      data: [],
      nextCursor: null,
    });
  });

  it.each([0, 101, 1.5, "10"])("refuses limit %j before sending anything", async (limit) => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    await expect(nametag.conversations.list({ limit: limit as number })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    expect(backend.requests()).toEqual([]);
  });

  it("a list answer without its items is INVALID_RESPONSE", async () => {
    server.use(http.get(`${API_URL}/v1/conversations`, () => HttpResponse.json({ items: [] })));
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory", retry: false });
    await expect(nametag.conversations.list()).rejects.toMatchObject({ code: "INVALID_RESPONSE" });
  });
});
