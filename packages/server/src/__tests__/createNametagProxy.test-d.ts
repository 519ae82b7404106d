import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import { describe, expectTypeOf, it } from "vitest";
import type { NametagProxyHandler, NametagProxyOptions, NametagProxyUser } from "../index";
import { createNametagProxy, toNodeHandler } from "../index";

describe("createNametagProxy types", () => {
  it("returns a Fetch-API handler", () => {
    const proxy = createNametagProxy({ apiUrl: "https://x", apiKey: "k", getUser: () => null });
    expectTypeOf(proxy).toEqualTypeOf<NametagProxyHandler>();
    expectTypeOf(proxy).toEqualTypeOf<(request: Request) => Promise<Response>>();
  });

  it("getUser may answer a user, null or undefined, synchronously or not", () => {
    expectTypeOf<() => Promise<NametagProxyUser | null>>().toExtend<
      NametagProxyOptions["getUser"]
    >();
    expectTypeOf<() => { userId: string; labels: string[] }>().toExtend<
      NametagProxyOptions["getUser"]
    >();
    // A browser credential is not part of what the server says about its user.
    expectTypeOf<NametagProxyUser>().not.toHaveProperty("userHash");
  });

  it("toNodeHandler takes node:http's and Express's request and response as they are", () => {
    const handler = toNodeHandler(async () => new Response(null));
    expectTypeOf(handler).toBeCallableWith({} as IncomingMessage, {} as ServerResponse);
    expectTypeOf(handler).toBeCallableWith({} as ExpressRequest, {} as ExpressResponse);
  });
});
