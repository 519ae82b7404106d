// The AgentView walkthrough (seed 000_98ab22e22d416d7c), step by step, in Nametag's names.
import { expect, it } from "vitest";
import { useMockBackend } from "./mockBackend";

const { client } = useMockBackend();

it("follows the AgentView users and scope-narrowing walkthrough", async () => {
  const nametag = client();

  // A conversation without a user creates an anonymous user under the hood.
  const session = await nametag.createConversation({ agent: "support" });
  expect(session.user).toMatchObject({
    id: expect.any(String),
    externalId: null,
    token: expect.any(String),
    anonymous: true,
  });

  // Users with and without an external id.
  const user1 = await nametag.createUser({ externalId: "shopify_123" });
  const user2 = await nametag.createUser();
  expect(user1.externalId).toBe("shopify_123");
  expect(user2.externalId).toBeNull();

  // Update a user's external id.
  await nametag.updateUser({ id: user2.id, externalId: "new_external_id" });

  // Get a user by id, external id or token.
  await expect(nametag.getUser({ id: user1.id })).resolves.toMatchObject({ id: user1.id });
  await expect(nametag.getUser({ externalId: "new_external_id" })).resolves.toMatchObject({
    id: user2.id,
  });
  await expect(nametag.getUser({ token: user1.token })).resolves.toMatchObject({ id: user1.id });

  // A conversation for a particular user.
  const forUser1 = await nametag.createConversation({ agent: "support", userId: user1.id });
  expect(forUser1.user.id).toBe(user1.id);

  // Scope narrowing.
  const bob = await nametag.createUser();
  const alice = await nametag.createUser();
  const bobSession = await nametag.as(bob).createConversation({ agent: "support" });
  expect(bobSession.userId).toBe(bob.id);
  await expect(nametag.as(bob).getConversation({ id: bobSession.id })).resolves.toMatchObject({
    id: bobSession.id,
  });
  await expect(nametag.as(alice).getConversation({ id: bobSession.id })).rejects.toMatchObject({
    name: "NametagError",
    code: "SCOPE_DENIED",
  });
});
