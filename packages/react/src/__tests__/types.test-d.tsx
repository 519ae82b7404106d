import type { AuthUser, Identity, NametagClient } from "@nametag/core";
import type { ComponentProps } from "react";
import { describe, expectTypeOf, it } from "vitest";
import type { NametagProviderProps, UseConversationsResult, UseFormResult } from "../index";
import {
  NametagProvider,
  useAutoIdentify,
  useConversations,
  useForm,
  useIdentity,
  useNametag,
  useTemplate,
  useVisitorId,
} from "../index";

declare const client: NametagClient;

describe("hook types", () => {
  it("useIdentity infers the selector's result", () => {
    expectTypeOf(useIdentity()).toEqualTypeOf<Identity>();
    expectTypeOf(useIdentity((s) => s.userId)).toEqualTypeOf<string | null>();
    expectTypeOf(useIdentity((s) => s.status)).toEqualTypeOf<
      "anonymous" | "identifying" | "identified"
    >();
    expectTypeOf(useIdentity((s) => ({ id: s.userId, n: s.userMetadata.name }))).toEqualTypeOf<{
      id: string | null;
      n: unknown;
    }>();
    // @ts-expect-error the selector receives an Identity, which has no email
    useIdentity((s) => s.email);
  });

  it("the other hooks", () => {
    expectTypeOf(useNametag()).toEqualTypeOf<NametagClient>();
    expectTypeOf(useVisitorId()).toEqualTypeOf<string>();
    expectTypeOf(useTemplate("Hi {{userId}}")).toEqualTypeOf<string>();
    expectTypeOf(useForm("support", { topic: "billing" })).toEqualTypeOf<UseFormResult>();
    expectTypeOf(useConversations()).toEqualTypeOf<UseConversationsResult>();
    expectTypeOf(useAutoIdentify).parameter(0).toEqualTypeOf<AuthUser>();
    // @ts-expect-error a user needs a userId
    useAutoIdentify({ userMetadata: {} });
  });
});

describe("NametagProvider props", () => {
  it("takes a client or options, not both and not neither", () => {
    expectTypeOf<ComponentProps<typeof NametagProvider>>().toEqualTypeOf<NametagProviderProps>();
    expectTypeOf<{ client: NametagClient }>().toExtend<NametagProviderProps>();
    expectTypeOf<{ options: { apiUrl: string } }>().toExtend<NametagProviderProps>();
    expectTypeOf<{
      client: NametagClient;
      options: { apiUrl: string };
    }>().not.toExtend<NametagProviderProps>();
    expectTypeOf<{ children: string }>().not.toExtend<NametagProviderProps>();
    // @ts-expect-error options need an apiUrl
    void (<NametagProvider options={{}} />);
    void (<NametagProvider client={client}>children</NametagProvider>);
  });
});
