import { describe, expectTypeOf, it } from "vitest";
import type {
  AttributeDefinition,
  Contact,
  Conversation,
  ConversationWithUser,
  DeleteUserResponse,
  Message,
  NametagServerOptions,
  RequestOptions,
  SendMessageResponse,
  SignedIdentity,
  UpsertContactsResponse,
  User,
} from "../index";
import type { Nametag, Page } from "../index";
import { signIdentity } from "../index";

declare const nametag: Nametag;
declare const user: User;

describe("public options", () => {
  it("needs apiUrl; everything else is optional", () => {
    expectTypeOf<{ apiUrl: string }>().toExtend<NametagServerOptions>();
    expectTypeOf<{ apiKey: string }>().not.toExtend<NametagServerOptions>();
    expectTypeOf<NametagServerOptions["retry"]>().toEqualTypeOf<
      { retries?: number; baseDelayMs?: number; maxDelayMs?: number } | false | undefined
    >();
    expectTypeOf<NametagServerOptions["fetch"]>().toEqualTypeOf<typeof fetch | undefined>();
  });
});

describe("method signatures", () => {
  it("users", () => {
    expectTypeOf(nametag.createUser()).toEqualTypeOf<Promise<User>>();
    expectTypeOf(nametag.createUser({ externalId: "user_jane" })).toEqualTypeOf<Promise<User>>();
    expectTypeOf(nametag.getUser({ id: "u" })).toEqualTypeOf<Promise<User>>();
    expectTypeOf(nametag.getUser({ externalId: "user_jane" })).toEqualTypeOf<Promise<User>>();
    expectTypeOf(nametag.getUser({ token: user.token })).toEqualTypeOf<Promise<User>>();
    // @ts-expect-error getUser needs one of id, externalId or token
    void nametag.getUser({});
    expectTypeOf(nametag.updateUser({ id: "u", externalId: "new_id" })).toEqualTypeOf<
      Promise<User>
    >();
    expectTypeOf(nametag.updateUser({ id: "u", externalId: null })).toEqualTypeOf<Promise<User>>();
    expectTypeOf(nametag.deleteUser({ id: "u" })).toEqualTypeOf<Promise<DeleteUserResponse>>();
  });

  it("conversations", () => {
    expectTypeOf(nametag.createConversation({ agent: "support" })).toEqualTypeOf<
      Promise<ConversationWithUser>
    >();
    expectTypeOf(nametag.createConversation({ agent: "support", userId: "u" })).toEqualTypeOf<
      Promise<ConversationWithUser>
    >();
    // @ts-expect-error agent is required
    void nametag.createConversation({ userId: "u" });
    expectTypeOf(nametag.getConversation({ id: "c" })).toEqualTypeOf<Promise<Conversation>>();
    expectTypeOf(nametag.listConversations({ userId: "u" })).toEqualTypeOf<
      Promise<Page<Conversation>>
    >();
    expectTypeOf(
      nametag.listConversations({ externalId: "user_jane", cursor: "c", limit: 10 }),
    ).toEqualTypeOf<Promise<{ data: Conversation[]; nextCursor: string | null }>>();
    expectTypeOf(nametag.listMessages({ conversationId: "c" })).toEqualTypeOf<
      Promise<Page<Message>>
    >();
    expectTypeOf(nametag.sendMessage({ conversationId: "c", text: "hi" })).toEqualTypeOf<
      Promise<SendMessageResponse>
    >();
    expectTypeOf(nametag.getConversation)
      .parameter(1)
      .toEqualTypeOf<{ signal?: AbortSignal; idempotencyKey?: string } | undefined>();
    expectTypeOf(nametag.upsertContacts).parameter(1).toEqualTypeOf<RequestOptions | undefined>();
  });

  it("contacts and attributes", () => {
    expectTypeOf(
      nametag.upsertContacts([
        { external_id: "user_jane", email: "jane@example.com", custom_attributes: { plan: "pro" } },
      ]),
    ).toEqualTypeOf<Promise<UpsertContactsResponse>>();
    const nested = { external_id: "x", custom_attributes: { plan: { nested: true } } };
    // @ts-expect-error attribute values are primitives
    void nametag.upsertContacts([nested]);
    expectTypeOf(nametag.getContact({ externalId: "user_jane" })).toEqualTypeOf<Promise<Contact>>();
    expectTypeOf(nametag.defineAttribute({ name: "plan", type: "text" })).toEqualTypeOf<
      Promise<AttributeDefinition>
    >();
    // @ts-expect-error unknown attribute type
    void nametag.defineAttribute({ name: "plan", type: "string" });
    expectTypeOf(nametag.listAttributes()).toEqualTypeOf<Promise<AttributeDefinition[]>>();
  });

  it("scope narrowing takes a user or a token and returns a client", () => {
    expectTypeOf(nametag.as(user)).toEqualTypeOf<Nametag>();
    expectTypeOf(nametag.as("token")).toEqualTypeOf<Nametag>();
    // @ts-expect-error a user id is not a token
    void nametag.as({ id: "u" });
  });

  it("identity signing", () => {
    expectTypeOf(nametag.signIdentity({ userId: "user_jane" })).toEqualTypeOf<
      Promise<SignedIdentity>
    >();
    expectTypeOf(signIdentity({ userId: "user_jane", expiresIn: 60 }, "secret")).toEqualTypeOf<
      Promise<SignedIdentity>
    >();
    expectTypeOf<SignedIdentity>().toEqualTypeOf<{ userHash: string; identityToken: string }>();
  });
});
