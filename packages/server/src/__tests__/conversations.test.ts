import { describe, expect, it } from "vitest";
import { useMockBackend } from "./mockBackend";

const { client, requestLines } = useMockBackend();

describe("createConversation", () => {
  it("creates an anonymous user when no userId is given, and returns it as .user", async () => {
    const conversation = await client().createConversation({ agent: "support" });
    expect(conversation).toMatchObject({
      agent: "support",
      user: { anonymous: true, externalId: null },
    });
    expect(conversation.userId).toBe(conversation.user.id);
    expect(conversation.user.token).toEqual(expect.any(String));
  });

  it("creates a conversation for a given user", async () => {
    const nametag = client();
    const jane = await nametag.createUser({ externalId: "user_jane" });
    const conversation = await nametag.createConversation({ agent: "support", userId: jane.id });
    expect(conversation).toMatchObject({
      userId: jane.id,
      user: { id: jane.id, externalId: "user_jane" },
    });
  });

  it("answers AGENT_NOT_FOUND for an unknown agent and NOT_FOUND for an unknown user", async () => {
    const nametag = client();
    await expect(nametag.createConversation({ agent: "nobody" })).rejects.toMatchObject({
      code: "AGENT_NOT_FOUND",
      status: 404,
    });
    await expect(
      nametag.createConversation({ agent: "support", userId: "usr_missing" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("getConversation", () => {
  it("reads a conversation by id", async () => {
    const nametag = client();
    const created = await nametag.createConversation({ agent: "support" });
    const conversation = await nametag.getConversation({ id: created.id });
    expect(conversation).toMatchObject({
      id: created.id,
      agent: "support",
      userId: created.userId,
    });
  });

  it("answers NOT_FOUND (404) for an unknown id", async () => {
    await expect(client().getConversation({ id: "conv_missing" })).rejects.toMatchObject({
      name: "NametagError",
      code: "NOT_FOUND",
      status: 404,
    });
  });

  it("percent-encodes ids so they cannot change the route", async () => {
    await expect(client().getConversation({ id: "a/messages" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(requestLines()).toEqual(["GET /v1/conversations/a%2Fmessages 404"]);
  });
});

describe("listConversations", () => {
  it("lists a user's conversations by Nametag id and by externalId, newest first", async () => {
    const nametag = client();
    const jane = await nametag.createUser({ externalId: "user_jane" });
    const first = await nametag.createConversation({ agent: "support", userId: jane.id });
    const second = await nametag.createConversation({ agent: "support", userId: jane.id });
    await nametag.createConversation({ agent: "support" }); // someone else's

    const { data: byId, nextCursor } = await nametag.listConversations({ userId: jane.id });
    const { data: byExternalId } = await nametag.listConversations({ externalId: "user_jane" });
    expect(nextCursor).toBeNull();
    expect(byId.map((conversation) => conversation.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
    expect(byExternalId).toEqual(byId);
    expect(Date.parse(byId[0]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(byId[1]!.createdAt));
  });

  it("reads every page with cursor and limit, and sends them as the query", async () => {
    const nametag = client();
    const jane = await nametag.createUser({ externalId: "user_jane" });
    const created: string[] = [];
    for (let index = 0; index < 5; index += 1)
      created.push((await nametag.createConversation({ agent: "support", userId: jane.id })).id);
    const seen: string[][] = [];
    let cursor: string | null = null;
    do {
      const page = await nametag.listConversations({ externalId: "user_jane", limit: 2, cursor });
      seen.push(page.data.map((conversation) => conversation.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(seen.flat()).toEqual([...created].reverse());
    const lists = requestLines().filter((line) => line.startsWith("GET "));
    expect(lists).toHaveLength(3);
    expect(lists[0]).toBe("GET /v1/users/external/user_jane/conversations?limit=2 200");
    expect(lists[1]).toMatch(
      /^GET \/v1\/users\/external\/user_jane\/conversations\?limit=2&cursor=[\w-]+ 200$/,
    );
  });

  it.each([0, 101, 1.5, Number.NaN, "10"])(
    "refuses limit %s before sending anything",
    async (limit) => {
      const nametag = client();
      const before = requestLines().length;
      await expect(
        nametag.listConversations({ userId: "usr_1", limit: limit as number }),
      ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
      expect(requestLines().length - before).toBe(0);
    },
  );

  it("answers VALIDATION_FAILED for a cursor the backend did not hand out", async () => {
    const nametag = client();
    const jane = await nametag.createUser({ externalId: "user_jane" });
    await expect(
      nametag.listConversations({ userId: jane.id, cursor: "not-a-cursor" }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED", status: 400 });
  });

  it("answers NOT_FOUND for an unknown user", async () => {
    await expect(client().listConversations({ externalId: "nobody" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("messages", () => {
  it("sends a message, gets the agent's reply, and lists both", async () => {
    const nametag = client();
    const user = await nametag.createUser({
      externalId: "user_jane",
      userMetadata: { name: "Jane Smith" },
    });
    const conversation = await nametag.createConversation({ agent: "support", userId: user.id });
    const { message, reply } = await nametag.sendMessage({
      conversationId: conversation.id,
      text: "Hello",
    });
    expect(message).toMatchObject({ conversationId: conversation.id, role: "user", text: "Hello" });
    expect(reply).toMatchObject({ conversationId: conversation.id, role: "agent" });
    expect(reply.text).toContain("Jane");

    const { data: messages, nextCursor } = await nametag.listMessages({
      conversationId: conversation.id,
    });
    expect(messages.map((item) => [item.role, item.text])).toEqual([
      ["user", "Hello"],
      ["agent", reply.text],
    ]);
    expect(nextCursor).toBeNull();
  });

  it("reads a long conversation page by page (limit, cursor), oldest first", async () => {
    const nametag = client();
    const conversation = await nametag.createConversation({ agent: "support" });
    for (const text of ["one", "two", "three"]) {
      await nametag.sendMessage({ conversationId: conversation.id, text });
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await nametag.listMessages({
        conversationId: conversation.id,
        limit: 4,
        cursor,
      });
      sizes.push(page.data.length);
      seen.push(...page.data.filter((item) => item.role === "user").map((item) => item.text));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(sizes).toEqual([4, 2]);
    expect(seen).toEqual(["one", "two", "three"]);
    await expect(
      nametag.listMessages({ conversationId: conversation.id, limit: 0 }),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("answers NOT_FOUND for an unknown conversation", async () => {
    const nametag = client();
    await expect(nametag.listMessages({ conversationId: "conv_missing" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      nametag.sendMessage({ conversationId: "conv_missing", text: "hi" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
