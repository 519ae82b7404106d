import { describe, expectTypeOf, it } from "vitest";
import { createNametag } from "../index";
import type {
  AgentContext,
  ClientErrorCode,
  Conversation,
  FormSchema,
  Identity,
  IdentifyInput,
  Message,
  Page,
  NametagClient,
  NametagError,
  NametagOptions,
  Persistence,
  ResolvedHttpTool,
  SendMessageResponse,
  TemplatePart,
} from "../index";

declare const nametag: NametagClient;

describe("createNametag options", () => {
  it("needs apiUrl and accepts every documented option", () => {
    expectTypeOf(createNametag).parameter(0).toEqualTypeOf<NametagOptions>();
    expectTypeOf(createNametag).returns.toEqualTypeOf<NametagClient>();
    createNametag({
      apiUrl: "/api/nametag",
      agent: "support",
      persistence: "sessionStorage",
      sensitiveKeys: ["ssn", /^card/],
      fetch: globalThis.fetch,
      headers: { "x-app": "demo" },
      timeoutMs: 5000,
      retry: { retries: 2, baseDelayMs: 100, maxDelayMs: 1000 },
      crossTab: false,
      maxMetadataBytes: 1024,
      onError: (error) => expectTypeOf(error).toEqualTypeOf<NametagError>(),
      initialIdentity: { userId: "user_jane" },
      getIdentityToken: async (userId) => {
        expectTypeOf(userId).toBeString();
        return { userHash: "abc" };
      },
    });
    createNametag({ apiUrl: "https://x", retry: false, initialIdentity: null });
    // @ts-expect-error apiUrl is required
    createNametag({});
    // @ts-expect-error an unknown persistence name
    createNametag({ apiUrl: "/x", persistence: "cookies" });
    expectTypeOf<"memory">().toExtend<Persistence>();
  });
});

describe("client methods", () => {
  it("types identify, syncAuth and the identity accessors", () => {
    expectTypeOf(nametag.identify).parameter(0).toEqualTypeOf<IdentifyInput>();
    expectTypeOf(nametag.identify).returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf(nametag.syncAuth).parameter(0).toEqualTypeOf<IdentifyInput | null | undefined>();
    expectTypeOf(nametag.updateMetadata).returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf(nametag.resetUser).returns.toBeVoid();
    expectTypeOf(nametag.getVisitorId).returns.toBeString();
    expectTypeOf(nametag.getIdentity).returns.toEqualTypeOf<Identity>();
    expectTypeOf(nametag.getAgentContext).returns.toEqualTypeOf<AgentContext>();
    expectTypeOf(nametag.subscribe).returns.toEqualTypeOf<() => void>();
    // @ts-expect-error userId is required
    void nametag.identify({ userMetadata: {} });
  });

  it("types templates, tools, forms and conversations", () => {
    expectTypeOf(nametag.render).returns.toBeString();
    expectTypeOf(nametag.resolveHttpTool).returns.toEqualTypeOf<ResolvedHttpTool>();
    expectTypeOf(nametag.forms.resolve).returns.toEqualTypeOf<Promise<FormSchema>>();
    expectTypeOf(nametag.forms.register).returns.toEqualTypeOf<() => void>();
    expectTypeOf(nametag.conversations.list).returns.toEqualTypeOf<Promise<Page<Conversation>>>();
    expectTypeOf(nametag.conversations.messages).returns.toEqualTypeOf<Promise<Page<Message>>>();
    expectTypeOf(nametag.conversations.send).returns.toEqualTypeOf<Promise<SendMessageResponse>>();
    expectTypeOf<TemplatePart>().toEqualTypeOf<string | readonly string[]>();
  });

  it("types events by name", () => {
    nametag.on("identityUpdate", (identity) => expectTypeOf(identity).toEqualTypeOf<Identity>());
    nametag.on("error", (error) => expectTypeOf(error).toEqualTypeOf<NametagError>());
    nametag.on("reset", (payload) =>
      expectTypeOf(payload.previousUserId).toEqualTypeOf<string | null>(),
    );
    // @ts-expect-error not an event
    nametag.on("login", () => undefined);
    expectTypeOf<"NESTED_PROVIDER">().toExtend<ClientErrorCode>();
    expectTypeOf<"MISSING_IDENTITY_SECRET">().toExtend<ClientErrorCode>();
    expectTypeOf<"VUE_OUTSIDE_SETUP" | "VUE_PLUGIN_MISSING">().toExtend<ClientErrorCode>();
  });
});
