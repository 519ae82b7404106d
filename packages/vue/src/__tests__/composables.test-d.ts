import type {
  Conversation,
  FormSchema,
  Identity,
  IdentityStatus,
  NametagClient,
  NametagError,
  SendMessageResponse,
} from "@nametag/core";
import { describe, expectTypeOf, it } from "vitest";
import type { App, ComputedRef, Ref, ShallowRef } from "vue";
import { computed, ref } from "vue";
import type { NametagPlugin } from "../index";
import {
  createNametag,
  useAutoIdentify,
  useConversations,
  useForm,
  useIdentity,
  useNametag,
  useTemplate,
  useVisitorId,
} from "../index";

describe("types", () => {
  it("createNametag takes options or a client and returns a plugin exposing the client", () => {
    expectTypeOf(createNametag)
      .parameter(0)
      .toExtend<{ apiUrl: string } | { client: NametagClient }>();
    expectTypeOf(createNametag({ apiUrl: "/api/nametag" })).toEqualTypeOf<NametagPlugin>();
    expectTypeOf<NametagPlugin["client"]>().toEqualTypeOf<NametagClient>();
    expectTypeOf<NametagPlugin["install"]>().parameter(0).toEqualTypeOf<App>();
    expectTypeOf(createNametag({ client: useNametag() }).client).toEqualTypeOf<NametagClient>();
    // @ts-expect-error apiUrl is required
    createNametag({ agent: "support" });
  });

  it("useNametag and useIdentity", () => {
    expectTypeOf(useNametag()).toEqualTypeOf<NametagClient>();
    const identity = useIdentity();
    expectTypeOf(identity.value).toEqualTypeOf<Identity>();
    expectTypeOf(identity.value.status).toEqualTypeOf<IdentityStatus>();
    expectTypeOf(identity).toExtend<Readonly<ShallowRef<Identity>>>();
    const other: Identity = useNametag().getIdentity();
    // @ts-expect-error the identity ref is readonly
    identity.value = other;
  });

  it("useVisitorId and useTemplate return computed strings", () => {
    expectTypeOf(useVisitorId()).toEqualTypeOf<ComputedRef<string>>();
    expectTypeOf(useTemplate("Hi {{userMetadata.name}}")).toEqualTypeOf<ComputedRef<string>>();
    useTemplate(ref("Hi"));
    useTemplate(() => "Hi");
    useTemplate(computed(() => "Hi"));
    // @ts-expect-error a template is a string
    useTemplate(ref(1));
  });

  it("useAutoIdentify takes a ref, computed or getter of a user, null or undefined", () => {
    useAutoIdentify(ref({ userId: "user_jane" }));
    useAutoIdentify(computed(() => null));
    useAutoIdentify(() => undefined);
    useAutoIdentify(() => ({ userId: "user_jane", userMetadata: { plan: "pro" } }));
    expectTypeOf(useAutoIdentify(() => null)).toBeCallableWith();
    // @ts-expect-error userId is required
    useAutoIdentify(() => ({ userMetadata: {} }));
  });

  it("useForm and useConversations", () => {
    const form = useForm("support", { ticket: 1 });
    expectTypeOf(form.schema.value).toEqualTypeOf<FormSchema | undefined>();
    expectTypeOf(form.loading).toExtend<Readonly<Ref<boolean>>>();
    useForm(() => ({ fields: [{ name: "email" }] }));
    const chat = useConversations();
    expectTypeOf(chat.conversations.value).toEqualTypeOf<Conversation[]>();
    expectTypeOf(chat.send).returns.toEqualTypeOf<Promise<SendMessageResponse>>();
    expectTypeOf(chat.create).returns.toEqualTypeOf<Promise<Conversation>>();
    expectTypeOf(chat.error.value).toEqualTypeOf<NametagError | undefined>();
    expectTypeOf(form.error.value).toEqualTypeOf<NametagError | undefined>();
    expectTypeOf(chat.hasMore.value).toEqualTypeOf<boolean>();
  });
});
