import { delay, http } from "msw";
import { describe, expect, it } from "vitest";
import { useMockBackend } from "./mockBackend";

const { client, backend, server, apiUrl, requestLines } = useMockBackend();

describe("retries", () => {
  it("retries a GET that gets 503 and succeeds on the next attempt", async () => {
    const nametag = client();
    const user = await nametag.createUser({ externalId: "user_jane" });
    backend.injectFault({ status: 503, method: "GET", path: `/v1/users/${user.id}` });
    await expect(nametag.getUser({ id: user.id })).resolves.toMatchObject({ id: user.id });
    expect(requestLines().slice(1)).toEqual([
      `GET /v1/users/${user.id} 503`,
      `GET /v1/users/${user.id} 200`,
    ]);
  });

  it("retries a DELETE, which is idempotent", async () => {
    const nametag = client();
    const user = await nametag.createUser();
    backend.injectFault({ status: 503, method: "DELETE", path: `/v1/users/${user.id}` });
    await expect(nametag.deleteUser({ id: user.id })).resolves.toMatchObject({ id: user.id });
    expect(requestLines().slice(1)).toEqual([
      `DELETE /v1/users/${user.id} 503`,
      `DELETE /v1/users/${user.id} 200`,
    ]);
  });

  it("sends a POST that gets 503 once and reports the error", async () => {
    const nametag = client();
    backend.injectFault({ status: 503, method: "POST", path: "/v1/users" });
    await expect(nametag.createUser({ externalId: "user_jane" })).rejects.toMatchObject({
      code: "UNAVAILABLE",
      status: 503,
    });
    expect(requestLines()).toEqual(["POST /v1/users 503"]);
    expect(backend.store.users).toEqual([]);
  });

  it("sends a PATCH that gets 503 once", async () => {
    const nametag = client();
    const user = await nametag.createUser();
    backend.injectFault({ status: 503, method: "PATCH", path: `/v1/users/${user.id}` });
    await expect(nametag.updateUser({ id: user.id, labels: ["vip"] })).rejects.toMatchObject({
      code: "UNAVAILABLE",
    });
    expect(requestLines().slice(1)).toEqual([`PATCH /v1/users/${user.id} 503`]);
  });

  it("does not retry a sendMessage, so no message is sent twice", async () => {
    const nametag = client();
    const conversation = await nametag.createConversation({ agent: "support" });
    backend.injectFault({
      status: 503,
      method: "POST",
      path: `/v1/conversations/${conversation.id}/messages`,
    });
    await expect(
      nametag.sendMessage({ conversationId: conversation.id, text: "hi" }),
    ).rejects.toMatchObject({
      code: "UNAVAILABLE",
    });
    expect(requestLines().slice(1)).toEqual([
      `POST /v1/conversations/${conversation.id}/messages 503`,
    ]);
  });

  it("gives up after the configured retries, and retry: false sends once", async () => {
    const user = await client().createUser();
    backend.injectFault({ status: 503, method: "GET", path: `/v1/users/${user.id}`, count: 10 });
    await expect(
      client({ retry: { retries: 2, baseDelayMs: 1 } }).getUser({ id: user.id }),
    ).rejects.toMatchObject({
      code: "UNAVAILABLE",
    });
    await expect(client({ retry: false }).getUser({ id: user.id })).rejects.toMatchObject({
      code: "UNAVAILABLE",
    });
    expect(requestLines().filter((line) => line.startsWith("GET"))).toHaveLength(4);
  });

  it("does not retry a 4xx", async () => {
    await expect(client().getUser({ id: "usr_missing" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(requestLines()).toEqual(["GET /v1/users/usr_missing 404"]);
  });

  it("gives up with TIMEOUT when the backend does not answer within timeoutMs", async () => {
    server.use(http.get(`${apiUrl}/v1/attributes`, () => delay("infinite")));
    await expect(client({ timeoutMs: 20, retry: false }).listAttributes()).rejects.toMatchObject({
      code: "TIMEOUT",
    });
  });

  it("stops with ABORTED when the caller's signal aborts, before or during the call", async () => {
    const aborted = new AbortController();
    aborted.abort();
    await expect(client().listAttributes({ signal: aborted.signal })).rejects.toMatchObject({
      code: "ABORTED",
    });
    expect(requestLines()).toEqual([]);

    server.use(http.get(`${apiUrl}/v1/attributes`, () => delay("infinite")));
    const controller = new AbortController();
    const pending = client().listAttributes({ signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "ABORTED" });
  });

  it("retries a POST that carries an idempotencyKey, and the backend runs it once", async () => {
    const nametag = client();
    backend.injectFault({ status: 503, method: "POST", path: "/v1/users" });
    const user = await nametag.createUser(
      { externalId: "user_jane" },
      { idempotencyKey: "create-jane-1" },
    );
    // The same call again (a caller's own retry) replays the first result.
    const again = await nametag.createUser(
      { externalId: "user_jane" },
      { idempotencyKey: "create-jane-1" },
    );
    expect(again.id).toBe(user.id);
    expect(backend.store.users).toHaveLength(1);
    expect(
      backend.requests().map((entry) => [entry.status, entry.idempotencyKey, entry.replayed]),
    ).toEqual([
      [503, "create-jane-1", false],
      [201, "create-jane-1", false],
      [201, "create-jane-1", true],
    ]);
  });

  it("sends a message once per idempotencyKey, even when the first attempt fails", async () => {
    const nametag = client();
    const conversation = await nametag.createConversation({ agent: "support" });
    backend.injectFault({
      status: 503,
      method: "POST",
      path: `/v1/conversations/${conversation.id}/messages`,
    });
    const key = { idempotencyKey: "message-1" };
    await nametag.sendMessage({ conversationId: conversation.id, text: "hi" }, key);
    await nametag.sendMessage({ conversationId: conversation.id, text: "hi" }, key);
    expect(backend.store.messagesOf(conversation.id)).toHaveLength(2); // one message, one reply
  });

  it("gives each contacts batch its own key, so repeating the whole call replays saved batches", async () => {
    const nametag = client();
    const contacts = Array.from({ length: 1500 }, (_, index) => ({ external_id: `user_${index}` }));
    const first = await nametag.upsertContacts(contacts, { idempotencyKey: "sync-1" });
    const repeated = await nametag.upsertContacts(contacts, { idempotencyKey: "sync-1" });
    // Replayed answers, not a second write (which would report 1500 updated).
    expect(repeated).toEqual(first);
    expect(repeated).toMatchObject({ created: 1500, updated: 0 });
    expect(backend.requests().map((entry) => [entry.idempotencyKey, entry.replayed])).toEqual([
      ["sync-1:1", false],
      ["sync-1:2", false],
      ["sync-1:1", true],
      ["sync-1:2", true],
    ]);
  });

  it("refuses a malformed idempotencyKey before sending", async () => {
    const nametag = client();
    await expect(nametag.createUser({}, { idempotencyKey: "" })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(
      nametag.upsertContacts([{ external_id: "a" }], { idempotencyKey: "k\n" }),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(requestLines()).toEqual([]);
  });
});
