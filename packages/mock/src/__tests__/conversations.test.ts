import { describe, expect } from "vitest";
import { supportAgent } from "../index";
import type { Case } from "./harness";
import {
  JANE,
  OMAR,
  OTHER_VISITOR,
  TRANSPORTS,
  VISITOR,
  browser,
  browserConversation,
  createUser,
  link,
  runCases,
  server,
  useTarget,
} from "./harness";

const listCases: Case[] = [
  {
    name: "lists a visitor's own conversations, newest first",
    setup: async (target) => {
      const first = await browserConversation(target);
      const second = await browserConversation(target);
      await browserConversation(target, OTHER_VISITOR);
      return { ids: [second.id, first.id] };
    },
    request: () => ({ method: "GET", path: "/v1/conversations", headers: browser() }),
    status: 200,
    check: (reply, vars) =>
      expect(reply.body.conversations.map((item: { id: string }) => item.id)).toEqual(vars.ids),
  },
  {
    name: "lists a linked user's conversations, including those made as a visitor",
    setup: async (target) => {
      const before = await browserConversation(target);
      await link(target, JANE);
      return { before };
    },
    request: () => ({
      method: "GET",
      path: "/v1/conversations",
      headers: browser(VISITOR, "user_jane"),
    }),
    status: 200,
    check: (reply, vars) =>
      expect(reply.body.conversations.map((item: { id: string }) => item.id)).toEqual([
        vars.before.id,
      ]),
  },
  {
    name: "answers an empty list for a visitor with no history",
    request: () => ({ method: "GET", path: "/v1/conversations", headers: browser() }),
    status: 200,
    check: (reply, _vars, target) => {
      expect(reply.body).toEqual({ conversations: [], nextCursor: null });
      expect(target.backend.store.users).toHaveLength(0);
    },
  },
  {
    name: "lists one user's conversations with X-User-Token",
    setup: async (target) => {
      const alice = await createUser(target, { externalId: "alice" });
      const bob = await createUser(target, { externalId: "bob" });
      const own = await target.call("POST", "/v1/conversations", {
        headers: server(),
        body: { userId: alice.id },
      });
      await target.call("POST", "/v1/conversations", {
        headers: server(),
        body: { userId: bob.id },
      });
      return { alice, own: own.body };
    },
    request: (vars) => ({
      method: "GET",
      path: "/v1/conversations",
      headers: server(vars.alice.token),
    }),
    status: 200,
    check: (reply, vars) =>
      expect(reply.body.conversations.map((item: { id: string }) => item.id)).toEqual([
        vars.own.id,
      ]),
  },
  {
    name: "needs a visitor id or an API key",
    request: () => ({ method: "GET", path: "/v1/conversations" }),
    status: 400,
    code: "INVALID_VISITOR_ID",
  },
  {
    name: "rejects an unknown X-User-Token",
    request: () => ({ method: "GET", path: "/v1/conversations", headers: server("utk_nope") }),
    status: 401,
    code: "UNAUTHORIZED",
  },
];

const createCases: Case[] = [
  {
    name: "creates a visitor conversation with the default agent",
    request: () => ({ method: "POST", path: "/v1/conversations", headers: browser(), body: {} }),
    status: 201,
    check: (reply, _vars, target) => {
      expect(reply.body).toMatchObject({ id: expect.stringMatching(/^conv_/), agent: "support" });
      expect(reply.body.user).toBeUndefined();
      expect(target.backend.store.findVisitorUser(VISITOR)?.id).toBe(reply.body.userId);
    },
  },
  {
    name: "accepts an empty body",
    request: () => ({ method: "POST", path: "/v1/conversations", headers: browser() }),
    status: 201,
  },
  {
    name: "goes to the user's assigned agent",
    setup: async (target) => {
      await target.call("POST", "/v1/identity", {
        headers: browser(),
        body: { ...OMAR, assignedAgent: "billing" },
      });
      return {};
    },
    request: () => ({
      method: "POST",
      path: "/v1/conversations",
      headers: browser(VISITOR, "user_omar"),
      body: {},
    }),
    status: 201,
    check: (reply) => expect(reply.body.agent).toBe("billing"),
  },
  {
    name: "an explicit agent wins over the assigned one",
    setup: async (target) => {
      await target.call("POST", "/v1/identity", {
        headers: browser(),
        body: { ...OMAR, assignedAgent: "billing" },
      });
      return {};
    },
    request: () => ({
      method: "POST",
      path: "/v1/conversations",
      headers: browser(VISITOR, "user_omar"),
      body: { agent: "support" },
    }),
    status: 201,
    check: (reply) => expect(reply.body.agent).toBe("support"),
  },
  {
    name: "rejects an unknown agent and creates nothing",
    request: () => ({
      method: "POST",
      path: "/v1/conversations",
      headers: browser(),
      body: { agent: "nobody" },
    }),
    status: 404,
    code: "AGENT_NOT_FOUND",
    check: (_reply, _vars, target) => {
      expect(target.backend.store.conversations).toHaveLength(0);
      expect(target.backend.store.users).toHaveLength(0);
    },
  },
  {
    name: "rejects a non-string agent",
    request: () => ({
      method: "POST",
      path: "/v1/conversations",
      headers: browser(),
      body: { agent: 7 },
    }),
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "server: creates an anonymous user when no userId is given",
    request: () => ({
      method: "POST",
      path: "/v1/conversations",
      headers: server(),
      body: { agent: "support" },
    }),
    status: 201,
    check: (reply) => {
      expect(reply.body.user).toMatchObject({
        id: reply.body.userId,
        externalId: null,
        anonymous: true,
      });
      expect(reply.body.user.token).toMatch(/^utk_/);
    },
  },
  {
    name: "server: creates one for a given user",
    setup: async (target) => ({ user: await createUser(target, { externalId: "alice" }) }),
    request: (vars) => ({
      method: "POST",
      path: "/v1/conversations",
      headers: server(),
      body: { userId: vars.user.id },
    }),
    status: 201,
    check: (reply, vars) => expect(reply.body.user.id).toBe(vars.user.id),
  },
  {
    name: "server: 404 for an unknown userId",
    request: () => ({
      method: "POST",
      path: "/v1/conversations",
      headers: server(),
      body: { userId: "usr_missing" },
    }),
    status: 404,
    code: "NOT_FOUND",
  },
  {
    name: "server: 400 for a malformed userId",
    request: () => ({
      method: "POST",
      path: "/v1/conversations",
      headers: server(),
      body: { userId: "no spaces" },
    }),
    status: 400,
    code: "INVALID_USER_ID",
  },
  {
    name: "scoped: creates it for the token's user",
    setup: async (target) => ({ user: await createUser(target, { externalId: "alice" }) }),
    request: (vars) => ({
      method: "POST",
      path: "/v1/conversations",
      headers: server(vars.user.token),
      body: {},
    }),
    status: 201,
    check: (reply, vars) => expect(reply.body.userId).toBe(vars.user.id),
  },
  {
    name: "scoped: 403 for another user",
    setup: async (target) => ({
      alice: await createUser(target, { externalId: "alice" }),
      bob: await createUser(target, { externalId: "bob" }),
    }),
    request: (vars) => ({
      method: "POST",
      path: "/v1/conversations",
      headers: server(vars.bob.token),
      body: { userId: vars.alice.id },
    }),
    status: 403,
    code: "SCOPE_DENIED",
  },
  {
    name: "rejects a wrong API key",
    request: () => ({
      method: "POST",
      path: "/v1/conversations",
      headers: server(undefined, "sk_wrong"),
      body: {},
    }),
    status: 401,
    code: "UNAUTHORIZED",
  },
];

const getCases: Case[] = [
  {
    name: "a browser reads its own conversation",
    setup: async (target) => ({ conversation: await browserConversation(target) }),
    request: (vars) => ({
      method: "GET",
      path: `/v1/conversations/${vars.conversation.id}`,
      headers: browser(),
    }),
    status: 200,
    check: (reply, vars) => expect(reply.body).toEqual(vars.conversation),
  },
  {
    name: "another visitor gets 403, not the conversation",
    setup: async (target) => ({ conversation: await browserConversation(target) }),
    request: (vars) => ({
      method: "GET",
      path: `/v1/conversations/${vars.conversation.id}`,
      headers: browser(OTHER_VISITOR),
    }),
    status: 403,
    code: "SCOPE_DENIED",
  },
  {
    name: "a browser gets the same 403 for an id that does not exist",
    setup: async (target) => ({ conversation: await browserConversation(target) }),
    request: () => ({
      method: "GET",
      path: "/v1/conversations/conv_doesnotexist",
      headers: browser(),
    }),
    status: 403,
    code: "SCOPE_DENIED",
  },
  {
    name: "another identified user gets 403",
    setup: async (target) => {
      await link(target, JANE);
      await link(target, OMAR, OTHER_VISITOR);
      return { conversation: await browserConversation(target, VISITOR, "user_jane") };
    },
    request: (vars) => ({
      method: "GET",
      path: `/v1/conversations/${vars.conversation.id}`,
      headers: browser(OTHER_VISITOR, "user_omar"),
    }),
    status: 403,
    code: "SCOPE_DENIED",
  },
  {
    name: "the API key reads any conversation",
    setup: async (target) => ({ conversation: await browserConversation(target) }),
    request: (vars) => ({
      method: "GET",
      path: `/v1/conversations/${vars.conversation.id}`,
      headers: server(),
    }),
    status: 200,
  },
  {
    name: "the API key gets 404 for a missing one",
    request: () => ({ method: "GET", path: "/v1/conversations/conv_missing", headers: server() }),
    status: 404,
    code: "NOT_FOUND",
  },
  {
    name: "a scoped key gets 403 for another user's conversation",
    setup: async (target) => {
      const alice = await createUser(target, { externalId: "alice" });
      const bob = await createUser(target, { externalId: "bob" });
      const conversation = await target.call("POST", "/v1/conversations", {
        headers: server(alice.token),
        body: {},
      });
      return { bob, conversation: conversation.body };
    },
    request: (vars) => ({
      method: "GET",
      path: `/v1/conversations/${vars.conversation.id}`,
      headers: server(vars.bob.token),
    }),
    status: 403,
    code: "SCOPE_DENIED",
  },
  {
    name: "a scoped key gets 403 (not 404) for a missing one",
    setup: async (target) => ({ alice: await createUser(target, { externalId: "alice" }) }),
    request: (vars) => ({
      method: "GET",
      path: "/v1/conversations/conv_missing",
      headers: server(vars.alice.token),
    }),
    status: 403,
    code: "SCOPE_DENIED",
  },
];

const messageCases: Case[] = [
  {
    name: "sends a message and gets a reply personalised from the sanitized identity",
    setup: async (target) => {
      await link(target, JANE);
      return { conversation: await browserConversation(target, VISITOR, "user_jane") };
    },
    request: (vars) => ({
      method: "POST",
      path: `/v1/conversations/${vars.conversation.id}/messages`,
      headers: browser(VISITOR, "user_jane"),
      body: { text: "What plan am I on?" },
    }),
    status: 201,
    check: (reply, vars) => {
      expect(reply.body.message).toMatchObject({
        role: "user",
        text: "What plan am I on?",
        conversationId: vars.conversation.id,
      });
      expect(reply.body.reply.role).toBe("agent");
      expect(reply.body.reply.text).toContain("Hi Jane! You're on the enterprise plan.");
      expect(JSON.stringify(reply.body)).not.toContain(JANE.userMetadata.authToken);
    },
  },
  {
    name: "an anonymous visitor gets a generic greeting",
    setup: async (target) => ({ conversation: await browserConversation(target) }),
    request: (vars) => ({
      method: "POST",
      path: `/v1/conversations/${vars.conversation.id}/messages`,
      headers: browser(),
      body: { text: "hello" },
    }),
    status: 201,
    check: (reply) => expect(reply.body.reply.text).toMatch(/^Hi there!/),
  },
  {
    name: "lists the messages in order",
    setup: async (target) => {
      const conversation = await browserConversation(target);
      await target.call("POST", `/v1/conversations/${conversation.id}/messages`, {
        headers: browser(),
        body: { text: "one" },
      });
      return { conversation };
    },
    request: (vars) => ({
      method: "GET",
      path: `/v1/conversations/${vars.conversation.id}/messages`,
      headers: browser(),
    }),
    status: 200,
    check: (reply) =>
      expect(reply.body.messages.map((item: { role: string }) => item.role)).toEqual([
        "user",
        "agent",
      ]),
  },
  {
    name: "another visitor cannot read the messages",
    setup: async (target) => ({ conversation: await browserConversation(target) }),
    request: (vars) => ({
      method: "GET",
      path: `/v1/conversations/${vars.conversation.id}/messages`,
      headers: browser(OTHER_VISITOR),
    }),
    status: 403,
    code: "SCOPE_DENIED",
  },
  {
    name: "another visitor cannot write into it",
    setup: async (target) => ({ conversation: await browserConversation(target) }),
    request: (vars) => ({
      method: "POST",
      path: `/v1/conversations/${vars.conversation.id}/messages`,
      headers: browser(OTHER_VISITOR),
      body: { text: "hi" },
    }),
    status: 403,
    code: "SCOPE_DENIED",
    check: (_reply, vars, target) =>
      expect(target.backend.store.messagesOf(vars.conversation.id)).toEqual([]),
  },
  {
    name: "rejects an empty text",
    setup: async (target) => ({ conversation: await browserConversation(target) }),
    request: (vars) => ({
      method: "POST",
      path: `/v1/conversations/${vars.conversation.id}/messages`,
      headers: browser(),
      body: { text: "   " },
    }),
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "rejects a non-string text",
    setup: async (target) => ({ conversation: await browserConversation(target) }),
    request: (vars) => ({
      method: "POST",
      path: `/v1/conversations/${vars.conversation.id}/messages`,
      headers: browser(),
      body: { text: { nested: true } },
    }),
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "the API key writes into any conversation",
    setup: async (target) => ({ conversation: await browserConversation(target) }),
    request: (vars) => ({
      method: "POST",
      path: `/v1/conversations/${vars.conversation.id}/messages`,
      headers: server(),
      body: { text: "from the server" },
    }),
    status: 201,
  },
  {
    name: "the API key gets 404 for messages of a missing conversation",
    request: () => ({
      method: "GET",
      path: "/v1/conversations/conv_missing/messages",
      headers: server(),
    }),
    status: 404,
    code: "NOT_FOUND",
  },
];

describe.each(TRANSPORTS)("conversations over %s", (transport) => {
  const target = useTarget(transport, {
    agents: {
      support: supportAgent,
      billing: () => "Billing here.",
    },
  });
  describe("GET /v1/conversations", () => runCases(target, listCases));
  describe("POST /v1/conversations", () => runCases(target, createCases));
  describe("GET /v1/conversations/{id}", () => runCases(target, getCases));
  describe("messages", () => runCases(target, messageCases));
});
