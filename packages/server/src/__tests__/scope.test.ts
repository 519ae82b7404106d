import { describe, expect, it } from "vitest";
import { NametagError } from "../index";
import { useMockBackend } from "./mockBackend";

const scopeServer = useMockBackend();
const { client, backend } = scopeServer;

describe("as(userOrToken)", () => {
  it("creates the scoped user's conversation and refuses another user's with SCOPE_DENIED", async () => {
    const nametag = client();
    const bob = await nametag.createUser();
    const alice = await nametag.createUser();
    const alicesConversation = await nametag.createConversation({
      agent: "support",
      userId: alice.id,
    });

    const bobsConversation = await nametag.as(bob).createConversation({ agent: "support" });
    expect(bobsConversation.userId).toBe(bob.id);
    await expect(
      nametag.as(bob).getConversation({ id: bobsConversation.id }),
    ).resolves.toMatchObject({
      id: bobsConversation.id,
    });

    const error = await nametag
      .as(bob)
      .getConversation({ id: alicesConversation.id })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NametagError);
    expect(error).toMatchObject({ code: "SCOPE_DENIED", status: 403 });
  });

  it("sends X-User-Token with the user's token, and takes the token string as well as the user", async () => {
    const nametag = client();
    const bob = await nametag.createUser();
    const requests: Request[] = [];
    const listener = ({ request }: { request: Request }) => void requests.push(request.clone());
    const { server } = scopeServer;
    server.events.on("request:start", listener);
    await nametag.as(bob.token).getUser({ id: bob.id });
    await nametag.getUser({ id: bob.id });
    server.events.removeListener("request:start", listener);
    expect(requests.map((request) => request.headers.get("x-user-token"))).toEqual([
      bob.token,
      null,
    ]);
    expect(
      requests.every((request) => request.headers.get("authorization")?.startsWith("Bearer ")),
    ).toBe(true);
  });

  it("never leaks existence: an unknown conversation is SCOPE_DENIED too", async () => {
    const nametag = client();
    const bob = await nametag.createUser();
    await expect(nametag.as(bob).getConversation({ id: "conv_missing" })).rejects.toMatchObject({
      code: "SCOPE_DENIED",
    });
  });

  it("refuses another user's messages, history and account-wide calls", async () => {
    const nametag = client();
    const bob = await nametag.createUser();
    const alice = await nametag.createUser({ externalId: "alice" });
    const alicesConversation = await nametag.createConversation({
      agent: "support",
      userId: alice.id,
    });
    const asBob = nametag.as(bob);
    const denied = { code: "SCOPE_DENIED", status: 403 };
    await expect(
      asBob.listMessages({ conversationId: alicesConversation.id }),
    ).rejects.toMatchObject(denied);
    await expect(
      asBob.sendMessage({ conversationId: alicesConversation.id, text: "hi" }),
    ).rejects.toMatchObject(denied);
    await expect(asBob.listConversations({ externalId: "alice" })).rejects.toMatchObject(denied);
    await expect(asBob.getUser({ id: alice.id })).rejects.toMatchObject(denied);
    await expect(asBob.deleteUser({ id: alice.id })).rejects.toMatchObject(denied);
    await expect(
      asBob.createConversation({ agent: "support", userId: alice.id }),
    ).rejects.toMatchObject(denied);
    await expect(asBob.createUser()).rejects.toMatchObject(denied);
    expect(backend.store.getUser(alice.id)).toBeDefined();
    expect(backend.store.messagesOf(alicesConversation.id)).toEqual([]);
  });

  it("leaves the original client unscoped", async () => {
    const nametag = client();
    const bob = await nametag.createUser();
    const alice = await nametag.createUser();
    const alicesConversation = await nametag.createConversation({
      agent: "support",
      userId: alice.id,
    });
    nametag.as(bob);
    await expect(nametag.getConversation({ id: alicesConversation.id })).resolves.toMatchObject({
      id: alicesConversation.id,
    });
  });
});
