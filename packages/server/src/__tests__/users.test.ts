import { describe, expect, it } from "vitest";
import { Nametag, NametagError } from "../index";
import { API_URL, useMockBackend } from "./mockBackend";

const { client, backend, requestLines } = useMockBackend();

describe("createUser", () => {
  it("creates a user with an externalId, metadata and labels", async () => {
    const user = await client().createUser({
      externalId: "user_jane",
      userMetadata: { name: "Jane Smith" },
      labels: ["vip"],
    });
    expect(user).toMatchObject({
      externalId: "user_jane",
      userMetadata: { name: "Jane Smith" },
      labels: ["vip"],
      anonymous: false,
    });
    expect(user.id).toEqual(expect.any(String));
    expect(user.token).toEqual(expect.any(String));
    expect(backend.store.getUser(user.id)?.externalId).toBe("user_jane");
  });

  it("creates a user without an externalId", async () => {
    const user = await client().createUser();
    expect(user.externalId).toBeNull();
    expect(requestLines()).toEqual(["POST /v1/users 201"]);
  });

  it("answers EXTERNAL_ID_TAKEN (409) for a second user with the same externalId", async () => {
    const nametag = client();
    await nametag.createUser({ externalId: "user_jane" });
    const error = await nametag
      .createUser({ externalId: "user_jane" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NametagError);
    expect(error).toMatchObject({
      code: "EXTERNAL_ID_TAKEN",
      status: 409,
      requestId: expect.stringMatching(/^req_/),
    });
  });

  it("answers UNAUTHORIZED (401) for a wrong API key", async () => {
    const nametag = new Nametag({ apiUrl: API_URL, apiKey: "sk_wrong" });
    await expect(nametag.createUser()).rejects.toMatchObject({ code: "UNAUTHORIZED", status: 401 });
  });
});

describe("getUser", () => {
  it("finds a user by id, by externalId and by token", async () => {
    const nametag = client();
    const jane = await nametag.createUser({ externalId: "user_jane" });
    await expect(nametag.getUser({ id: jane.id })).resolves.toMatchObject({ id: jane.id });
    await expect(nametag.getUser({ externalId: "user_jane" })).resolves.toMatchObject({
      id: jane.id,
    });
    await expect(nametag.getUser({ token: jane.token })).resolves.toMatchObject({ id: jane.id });
    expect(requestLines().slice(1)).toEqual([
      `GET /v1/users/${jane.id} 200`,
      "GET /v1/users/external/user_jane 200",
      "GET /v1/users/me 200",
    ]);
  });

  it("answers NOT_FOUND for an unknown id or externalId", async () => {
    const nametag = client();
    await expect(nametag.getUser({ id: "usr_missing" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      status: 404,
    });
    await expect(nametag.getUser({ externalId: "nobody" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("answers UNAUTHORIZED for a token that matches no user", async () => {
    await expect(client().getUser({ token: "not-a-token" })).rejects.toMatchObject({
      name: "NametagError",
      code: "UNAUTHORIZED",
      status: 401,
    });
  });
});

describe("updateUser", () => {
  it("changes the externalId, as AgentView's updateUser does", async () => {
    const nametag = client();
    const user = await nametag.createUser({ externalId: "old_id" });
    const updated = await nametag.updateUser({ id: user.id, externalId: "new_external_id" });
    expect(updated.externalId).toBe("new_external_id");
    await expect(nametag.getUser({ externalId: "new_external_id" })).resolves.toMatchObject({
      id: user.id,
    });
    await expect(nametag.getUser({ externalId: "old_id" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("clears the externalId with null and updates labels", async () => {
    const nametag = client();
    const user = await nametag.createUser({ externalId: "user_jane" });
    const updated = await nametag.updateUser({ id: user.id, externalId: null, labels: ["beta"] });
    expect(updated).toMatchObject({ externalId: null, labels: ["beta"] });
  });

  it("answers EXTERNAL_ID_TAKEN and NOT_FOUND", async () => {
    const nametag = client();
    await nametag.createUser({ externalId: "taken" });
    const other = await nametag.createUser();
    await expect(nametag.updateUser({ id: other.id, externalId: "taken" })).rejects.toMatchObject({
      code: "EXTERNAL_ID_TAKEN",
    });
    await expect(nametag.updateUser({ id: "usr_missing", labels: [] })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("deleteUser", () => {
  it("deletes the user with their conversations, messages and contacts (GDPR)", async () => {
    const nametag = client();
    const jane = await nametag.createUser({ externalId: "user_jane" });
    const conversation = await nametag.createConversation({ agent: "support", userId: jane.id });
    await nametag.sendMessage({ conversationId: conversation.id, text: "Hello" });
    await nametag.upsertContacts([{ external_id: "user_jane", email: "jane@example.com" }]);

    const result = await nametag.deleteUser({ id: jane.id });
    expect(result).toEqual({
      id: jane.id,
      deleted: { conversations: 1, messages: 2, contacts: 1 },
    });

    await expect(nametag.getUser({ id: jane.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(nametag.getConversation({ id: conversation.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(nametag.getContact({ externalId: "user_jane" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("answers NOT_FOUND for an unknown user", async () => {
    await expect(client().deleteUser({ id: "usr_missing" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      status: 404,
    });
  });
});
