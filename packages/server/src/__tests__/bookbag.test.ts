// Bookbag's recommended flow (seed 003_bcc54d87e9bb8ed4) with Nametag: sync the contact keyed by
// your user id, chat from a browser identified with that id, read the history by externalId.
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { useMockBackend } from "./mockBackend";

const { client, browserCall, requestLines } = useMockBackend();

const VISITOR = "v_1700000000000_bookbag1";

it("syncs a contact, chats from the browser with the same id, and reads that user's history", async () => {
  const nametag = client();

  // 1. Authenticated on the host's side as user_8821. 2. Sync the contact.
  await nametag.defineAttribute({ name: "plan", type: "text" });
  await nametag.upsertContacts([
    { external_id: "user_8821", email: "sam@acme.com", custom_attributes: { plan: "pro" } },
  ]);

  // 3. The browser chats as a visitor, then identifies with the same id.
  const visitor = { "x-nametag-visitor-id": VISITOR };
  const early = await browserCall("POST", "/v1/conversations", visitor, {});
  expect(early.status).toBe(201);
  const link = await browserCall(
    "POST",
    "/v1/identity",
    { ...visitor, "idempotency-key": randomUUID() },
    { userId: "user_8821", userMetadata: { name: "Sam", plan: "pro" } },
  );
  expect(link).toMatchObject({
    status: 200,
    body: { userId: "user_8821", linkedConversationIds: [early.body.id] },
  });
  const identified = { ...visitor, "x-nametag-user-id": "user_8821" };
  const conversation = await browserCall("POST", "/v1/conversations", identified, {});
  const sent = await browserCall(
    "POST",
    `/v1/conversations/${conversation.body.id}/messages`,
    identified,
    {
      text: "Where is my last order?",
    },
  );
  expect(sent.status).toBe(201);

  // 4. Read the history on the server by the host's id.
  const user = await nametag.getUser({ externalId: "user_8821" });
  const { data: history, nextCursor } = await nametag.listConversations({
    externalId: "user_8821",
  });
  expect(nextCursor).toBeNull();
  expect(history.map((item) => item.id).sort()).toEqual(
    [early.body.id, conversation.body.id].sort(),
  );
  expect(history.every((item) => item.userId === user.id)).toBe(true);
  const { data: messages } = await nametag.listMessages({ conversationId: conversation.body.id });
  expect(messages.map((message) => message.role)).toEqual(["user", "agent"]);
  expect(messages[0]!.text).toBe("Where is my last order?");
  await expect(nametag.getContact({ externalId: "user_8821" })).resolves.toMatchObject({
    email: "sam@acme.com",
    custom_attributes: { plan: "pro" },
  });
});

it("refuses a userId outside ^[a-zA-Z0-9._-]{1,128}$ before any request", async () => {
  const nametag = client();
  for (const bad of ["sam@acme.com", "user 8821", "x".repeat(129)]) {
    await expect(nametag.upsertContacts([{ external_id: bad }])).rejects.toMatchObject({
      code: "INVALID_USER_ID",
    });
    await expect(nametag.listConversations({ externalId: bad })).rejects.toMatchObject({
      code: "INVALID_USER_ID",
    });
    await expect(nametag.getUser({ externalId: bad })).rejects.toMatchObject({
      code: "INVALID_USER_ID",
    });
  }
  expect(requestLines()).toEqual([]);
});
