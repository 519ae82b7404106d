import type { NextAuthResult } from "next-auth-v5";
import type { Session as SessionV4 } from "next-auth";
import type { ComponentProps } from "react";
import { describe, expectTypeOf, it } from "vitest";
import type { NametagBootstrap, NametagIdentityProvider } from "../client";
import type { NametagRouteContext } from "../server";
import { createNametagRouteHandler, getNametagBootstrap } from "../server";

declare const v5: NextAuthResult;
declare function getServerSession(options: object): Promise<SessionV4 | null>;

describe("public types", () => {
  it("accepts next-auth v5's auth and a v4 getServerSession wrapper", () => {
    expectTypeOf(getNametagBootstrap({ auth: v5.auth })).toEqualTypeOf<
      Promise<NametagBootstrap | null>
    >();
    expectTypeOf(getNametagBootstrap({ auth: () => getServerSession({}) })).toEqualTypeOf<
      Promise<NametagBootstrap | null>
    >();
    createNametagRouteHandler({ auth: v5.auth, apiUrl: "https://api.example", apiKey: "sk" });
    createNametagRouteHandler({ auth: () => getServerSession({}) });
  });

  it("types mapSession's argument from auth", () => {
    getNametagBootstrap({
      auth: async () => ({ user: { id: "u1", plan: "pro" as const } }),
      mapSession: (session) => {
        expectTypeOf(session.user.plan).toEqualTypeOf<"pro">();
        return { userId: session.user.id };
      },
    });
  });

  it("route handlers take Next 15/16's promised params (the only shape Next 15's route check accepts)", () => {
    const { GET, POST, PATCH, DELETE } = createNametagRouteHandler({ auth: async () => null });
    expectTypeOf(GET).parameter(1).toEqualTypeOf<NametagRouteContext>();
    expectTypeOf<{ params: Promise<{ path: string[] }> }>().toExtend<NametagRouteContext>();
    expectTypeOf<{ params: { path: string[] } }>().not.toExtend<NametagRouteContext>();
    expectTypeOf(POST).returns.toEqualTypeOf<Promise<Response>>();
    expectTypeOf(PATCH).toEqualTypeOf(DELETE);
  });

  it("the provider takes a client or options, not both", () => {
    type Props = ComponentProps<typeof NametagIdentityProvider>;
    expectTypeOf<{ options: { apiUrl: string } }>().toExtend<Props>();
    expectTypeOf<{ options: { apiUrl: string }; client: object }>().not.toExtend<Props>();
    expectTypeOf<{
      bootstrap: NametagBootstrap | null;
      options: { apiUrl: string };
    }>().toExtend<Props>();
  });
});
