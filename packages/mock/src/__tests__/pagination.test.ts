import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "@nametag/core";
import { describe, expect, it } from "vitest";
import type { Target } from "./harness";
import { JANE, TRANSPORTS, VISITOR, browser, link, server, useTarget } from "./harness";

/** Follows nextCursor from the first page to the last; returns every page's ids. */
async function allPages(
  target: Target,
  path: string,
  key: string,
  limit?: number,
  headers: Record<string, string> = server(),
) {
  const pages: string[][] = [];
  let cursor: string | null | undefined;
  do {
    const query = new URLSearchParams();
    if (limit !== undefined) query.set("limit", String(limit));
    if (cursor) query.set("cursor", cursor);
    const reply = await target.call("GET", `${path}?${query}`, { headers });
    expect(reply.status).toBe(200);
    pages.push(reply.body[key].map((item: { id: string }) => item.id));
    cursor = reply.body.nextCursor;
    if (pages.length > 1000) throw new Error("nextCursor never ended");
  } while (cursor !== null);
  return pages;
}

function seedMessages(target: Target, count: number) {
  const { store } = target.backend;
  const user = store.createUser({ externalId: "user_pages" });
  const conversation = store.createConversation(user.id, "support");
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1)
    ids.push(store.addMessage(conversation.id, index % 2 ? "agent" : "user", `m${index}`).id);
  return { user, conversation, ids };
}

describe.each(TRANSPORTS)("pagination over %s", (transport) => {
  const target = useTarget(transport);

  it(`pages messages oldest first, ${DEFAULT_PAGE_LIMIT} by default, nextCursor null on the last page`, async () => {
    const { conversation, ids } = seedMessages(target, 120);
    const pages = await allPages(
      target,
      `/v1/conversations/${conversation.id}/messages`,
      "messages",
    );
    expect(pages.map((page) => page.length)).toEqual([50, 50, 20]);
    expect(pages.flat()).toEqual(ids);
  });

  it("ends with nextCursor null when the last page is exactly full, and pages an empty list as one page", async () => {
    const { conversation, ids } = seedMessages(target, 6);
    const pages = await allPages(
      target,
      `/v1/conversations/${conversation.id}/messages`,
      "messages",
      3,
    );
    expect(pages).toEqual([ids.slice(0, 3), ids.slice(3)]);
    const empty = target.backend.store.createConversation(conversation.userId, "support");
    expect(await allPages(target, `/v1/conversations/${empty.id}/messages`, "messages")).toEqual([
      [],
    ]);
  });

  it("pages a browser's messages and keeps the scope check before the cursor", async () => {
    await link(target, JANE);
    const jane = target.backend.store.findUserByExternalId("user_jane");
    const conversation = target.backend.store.createConversation(jane!.id, "support");
    for (let index = 0; index < 5; index += 1)
      target.backend.store.addMessage(conversation.id, "user", `hello ${index}`);
    const pages = await allPages(
      target,
      `/v1/conversations/${conversation.id}/messages`,
      "messages",
      2,
      browser(VISITOR, "user_jane"),
    );
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    const other = await target.call(
      "GET",
      `/v1/conversations/${conversation.id}/messages?limit=2`,
      {
        headers: browser("v_1700000000000_stranger"),
      },
    );
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe("SCOPE_DENIED");
  });

  it("pages conversations newest first without skipping or repeating when one is created between pages", async () => {
    const { store } = target.backend;
    const user = store.createUser({ externalId: "user_many" });
    const created = Array.from(
      { length: 7 },
      () => store.createConversation(user.id, "support").id,
    );
    const newestFirst = [...created].reverse();
    const first = await target.call("GET", `/v1/users/${user.id}/conversations?limit=3`, {
      headers: server(),
    });
    expect(first.body.conversations.map((item: { id: string }) => item.id)).toEqual(
      newestFirst.slice(0, 3),
    );
    store.createConversation(user.id, "support");
    const rest = await allPages(target, `/v1/users/${user.id}/conversations`, "conversations", 3);
    const second = await target.call(
      "GET",
      `/v1/users/${user.id}/conversations?limit=3&cursor=${first.body.nextCursor}`,
      { headers: server() },
    );
    expect(second.body.conversations.map((item: { id: string }) => item.id)).toEqual(
      newestFirst.slice(3, 6),
    );
    expect(rest.flat()).toHaveLength(8);
    const byExternalId = await allPages(
      target,
      "/v1/users/external/user_many/conversations",
      "conversations",
      5,
    );
    expect(byExternalId.flat()).toEqual(rest.flat());
    const all = await allPages(target, "/v1/conversations", "conversations", MAX_PAGE_LIMIT);
    expect(all.flat()).toEqual(rest.flat());
  });

  it.each(["0", "101", "-1", "1.5", "ten", "", "1e2", "00000001"])(
    "refuses limit=%j with 400 VALIDATION_FAILED on every list",
    async (limit) => {
      const { conversation, user } = seedMessages(target, 1);
      for (const path of [
        `/v1/conversations/${conversation.id}/messages`,
        "/v1/conversations",
        `/v1/users/${user.id}/conversations`,
        "/v1/users/external/user_pages/conversations",
      ]) {
        const reply = await target.call("GET", `${path}?limit=${encodeURIComponent(limit)}`, {
          headers: server(),
        });
        expect({
          path,
          status: reply.status,
          code: reply.body.error?.code,
          field: reply.body.error?.details?.issues?.[0]?.path,
        }).toEqual({
          path,
          status: 400,
          code: "VALIDATION_FAILED",
          field: "limit",
        });
      }
    },
  );

  it("accepts limit 1 and limit 100", async () => {
    const { conversation } = seedMessages(target, 101);
    const one = await target.call("GET", `/v1/conversations/${conversation.id}/messages?limit=1`, {
      headers: server(),
    });
    const hundred = await target.call(
      "GET",
      `/v1/conversations/${conversation.id}/messages?limit=100`,
      { headers: server() },
    );
    expect([one.body.messages.length, hundred.body.messages.length]).toEqual([1, 100]);
  });

  it("refuses a malformed or foreign cursor with 400 VALIDATION_FAILED", async () => {
    const { conversation, user } = seedMessages(target, 5);
    const other = target.backend.store.createConversation(user.id, "support");
    for (let index = 0; index < 5; index += 1)
      target.backend.store.addMessage(other.id, "user", "x");
    target.backend.store.createConversation(user.id, "support");
    const messagesCursor = (
      await target.call("GET", `/v1/conversations/${conversation.id}/messages?limit=2`, {
        headers: server(),
      })
    ).body.nextCursor as string;
    const conversationsCursor = (
      await target.call("GET", `/v1/users/${user.id}/conversations?limit=1`, { headers: server() })
    ).body.nextCursor as string;
    expect([typeof messagesCursor, typeof conversationsCursor]).toEqual(["string", "string"]);
    const attempts: [string, string][] = [
      [`/v1/conversations/${conversation.id}/messages`, "not a cursor!"],
      [`/v1/conversations/${conversation.id}/messages`, "eyJub3QiOiJ1cyJ9"],
      [`/v1/conversations/${conversation.id}/messages`, "x".repeat(2000)],
      [`/v1/conversations/${other.id}/messages`, messagesCursor],
      [`/v1/conversations/${conversation.id}/messages`, conversationsCursor],
      [`/v1/users/${user.id}/conversations`, messagesCursor],
      ["/v1/conversations", conversationsCursor],
    ];
    for (const [path, cursor] of attempts) {
      const reply = await target.call("GET", `${path}?cursor=${encodeURIComponent(cursor)}`, {
        headers: server(),
      });
      expect({
        path,
        cursor,
        status: reply.status,
        code: reply.body.error?.code,
        field: reply.body.error?.details?.issues?.[0]?.path,
      }).toEqual({
        path,
        cursor,
        status: 400,
        code: "VALIDATION_FAILED",
        field: "cursor",
      });
    }
  });
});
