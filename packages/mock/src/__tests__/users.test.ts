import { describe, expect } from "vitest";
import type { Case } from "./harness";
import {
  JANE,
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

const createCases: Case[] = [
  {
    name: "creates a user with an externalId and a secret token",
    request: () => ({
      method: "POST",
      path: "/v1/users",
      headers: server(),
      body: {
        externalId: "alice",
        userMetadata: { name: "Alice" },
        labels: ["vip"],
        assignedAgent: "support",
      },
    }),
    status: 201,
    check: (reply) =>
      expect(reply.body).toEqual({
        id: expect.stringMatching(/^usr_[a-z0-9]{16}$/),
        externalId: "alice",
        token: expect.stringMatching(/^utk_[0-9a-f]{32}$/),
        labels: ["vip"],
        assignedAgent: "support",
        userMetadata: { name: "Alice" },
        anonymous: false,
        createdAt: expect.any(String),
      }),
  },
  {
    name: "creates an anonymous user without externalId",
    request: () => ({ method: "POST", path: "/v1/users", headers: server() }),
    status: 201,
    check: (reply) => expect(reply.body).toMatchObject({ externalId: null, anonymous: true }),
  },
  {
    name: "gives every user a different token",
    setup: async (target) => ({ first: await createUser(target) }),
    request: () => ({ method: "POST", path: "/v1/users", headers: server(), body: {} }),
    status: 201,
    check: (reply, vars) => expect(reply.body.token).not.toBe(vars.first.token),
  },
  {
    name: "409 when the externalId is taken",
    setup: async (target) => ({ first: await createUser(target, { externalId: "alice" }) }),
    request: () => ({
      method: "POST",
      path: "/v1/users",
      headers: server(),
      body: { externalId: "alice" },
    }),
    status: 409,
    code: "EXTERNAL_ID_TAKEN",
  },
  {
    name: "400 for an invalid externalId",
    request: () => ({
      method: "POST",
      path: "/v1/users",
      headers: server(),
      body: { externalId: "a".repeat(129) },
    }),
    status: 400,
    code: "INVALID_USER_ID",
  },
  {
    name: "400 for wrong types",
    request: () => ({
      method: "POST",
      path: "/v1/users",
      headers: server(),
      body: { externalId: 5, labels: "vip" },
    }),
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "401 without the API key",
    request: () => ({ method: "POST", path: "/v1/users", body: {} }),
    status: 401,
    code: "UNAUTHORIZED",
  },
  {
    name: "401 with a browser's visitor id but no key",
    request: () => ({ method: "POST", path: "/v1/users", headers: browser(), body: {} }),
    status: 401,
    code: "UNAUTHORIZED",
  },
  {
    name: "401 with a wrong API key",
    request: () => ({
      method: "POST",
      path: "/v1/users",
      headers: server(undefined, "sk_wrong"),
      body: {},
    }),
    status: 401,
    code: "UNAUTHORIZED",
  },
  {
    name: "403 for a scoped caller",
    setup: async (target) => ({ alice: await createUser(target, { externalId: "alice" }) }),
    request: (vars) => ({
      method: "POST",
      path: "/v1/users",
      headers: server(vars.alice.token),
      body: {},
    }),
    status: 403,
    code: "SCOPE_DENIED",
  },
];

const getCases: Case[] = [
  {
    name: "by id",
    setup: async (target) => ({ alice: await createUser(target, { externalId: "alice" }) }),
    request: (vars) => ({ method: "GET", path: `/v1/users/${vars.alice.id}`, headers: server() }),
    status: 200,
    check: (reply, vars) => expect(reply.body).toEqual(vars.alice),
  },
  {
    name: "by externalId (the browser's userId)",
    setup: async (target) => link(target, JANE),
    request: () => ({ method: "GET", path: "/v1/users/external/user_jane", headers: server() }),
    status: 200,
    check: (reply) =>
      expect(reply.body).toMatchObject({
        externalId: "user_jane",
        userMetadata: JANE.userMetadata,
      }),
  },
  {
    name: "by token (/v1/users/me)",
    setup: async (target) => ({ alice: await createUser(target, { externalId: "alice" }) }),
    request: (vars) => ({ method: "GET", path: "/v1/users/me", headers: server(vars.alice.token) }),
    status: 200,
    check: (reply, vars) => expect(reply.body.id).toBe(vars.alice.id),
  },
  {
    name: "/v1/users/me without X-User-Token",
    request: () => ({ method: "GET", path: "/v1/users/me", headers: server() }),
    status: 400,
    code: "BAD_REQUEST",
  },
  {
    name: "404 for a missing id",
    request: () => ({ method: "GET", path: "/v1/users/usr_missing", headers: server() }),
    status: 404,
    code: "NOT_FOUND",
  },
  {
    name: "404 for a missing externalId",
    request: () => ({ method: "GET", path: "/v1/users/external/nobody", headers: server() }),
    status: 404,
    code: "NOT_FOUND",
  },
  {
    name: "400 for a malformed externalId",
    request: () => ({ method: "GET", path: "/v1/users/external/bad%20id", headers: server() }),
    status: 400,
    code: "INVALID_USER_ID",
  },
  {
    name: "400 for broken percent-encoding",
    request: () => ({ method: "GET", path: "/v1/users/%E0%A4%A", headers: server() }),
    status: 400,
    code: "BAD_REQUEST",
  },
  {
    name: "scoped: 403 for another user",
    setup: async (target) => ({
      alice: await createUser(target, { externalId: "alice" }),
      bob: await createUser(target, { externalId: "bob" }),
    }),
    request: (vars) => ({
      method: "GET",
      path: `/v1/users/${vars.alice.id}`,
      headers: server(vars.bob.token),
    }),
    status: 403,
    code: "SCOPE_DENIED",
  },
  {
    name: "scoped: 403 (not 404) for a user that does not exist",
    setup: async (target) => ({ bob: await createUser(target, { externalId: "bob" }) }),
    request: (vars) => ({
      method: "GET",
      path: "/v1/users/external/nobody",
      headers: server(vars.bob.token),
    }),
    status: 403,
    code: "SCOPE_DENIED",
  },
  {
    name: "401 without the API key",
    request: () => ({ method: "GET", path: "/v1/users/usr_x" }),
    status: 401,
    code: "UNAUTHORIZED",
  },
];

const updateCases: Case[] = [
  {
    name: "updates externalId, merges metadata, replaces labels",
    setup: async (target) => ({
      alice: await createUser(target, {
        externalId: "alice",
        userMetadata: { name: "Alice", plan: "free" },
        labels: ["a"],
      }),
    }),
    request: (vars) => ({
      method: "PATCH",
      path: `/v1/users/${vars.alice.id}`,
      headers: server(),
      body: {
        externalId: "alice_2",
        userMetadata: { plan: "pro", name: null },
        labels: ["b"],
        assignedAgent: "support",
      },
    }),
    status: 200,
    check: (reply) =>
      expect(reply.body).toMatchObject({
        externalId: "alice_2",
        userMetadata: { plan: "pro" },
        labels: ["b"],
        assignedAgent: "support",
      }),
  },
  {
    name: "clears externalId with null",
    setup: async (target) => ({ alice: await createUser(target, { externalId: "alice" }) }),
    request: (vars) => ({
      method: "PATCH",
      path: `/v1/users/${vars.alice.id}`,
      headers: server(),
      body: { externalId: null },
    }),
    status: 200,
    check: (reply) => expect(reply.body).toMatchObject({ externalId: null, anonymous: true }),
  },
  {
    name: "409 for an externalId another user has",
    setup: async (target) => {
      await createUser(target, { externalId: "alice" });
      return { bob: await createUser(target, { externalId: "bob" }) };
    },
    request: (vars) => ({
      method: "PATCH",
      path: `/v1/users/${vars.bob.id}`,
      headers: server(),
      body: { externalId: "alice" },
    }),
    status: 409,
    code: "EXTERNAL_ID_TAKEN",
  },
  {
    name: "404 for an unknown agent",
    setup: async (target) => ({ alice: await createUser(target) }),
    request: (vars) => ({
      method: "PATCH",
      path: `/v1/users/${vars.alice.id}`,
      headers: server(),
      body: { assignedAgent: "ghost" },
    }),
    status: 404,
    code: "AGENT_NOT_FOUND",
  },
  {
    name: "400 for wrong types",
    setup: async (target) => ({ alice: await createUser(target) }),
    request: (vars) => ({
      method: "PATCH",
      path: `/v1/users/${vars.alice.id}`,
      headers: server(),
      body: { userMetadata: 1 },
    }),
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "404 for a missing user",
    request: () => ({
      method: "PATCH",
      path: "/v1/users/usr_missing",
      headers: server(),
      body: {},
    }),
    status: 404,
    code: "NOT_FOUND",
  },
  {
    name: "scoped: a user may update itself",
    setup: async (target) => ({ alice: await createUser(target) }),
    request: (vars) => ({
      method: "PATCH",
      path: `/v1/users/${vars.alice.id}`,
      headers: server(vars.alice.token),
      body: { labels: ["self"] },
    }),
    status: 200,
  },
];

const deleteCases: Case[] = [
  {
    name: "GDPR: removes the user, their conversations, messages and contact",
    setup: async (target) => {
      await link(target, JANE);
      const conversation = await browserConversation(target, VISITOR, "user_jane");
      await target.call("POST", `/v1/conversations/${conversation.id}/messages`, {
        headers: browser(VISITOR, "user_jane"),
        body: { text: "hello" },
      });
      await target.call("POST", "/v1/contacts", {
        headers: server(),
        body: { users: [{ external_id: "user_jane" }] },
      });
      await target.call("POST", "/v1/contacts", {
        headers: server(),
        body: { users: [{ external_id: "someone_else" }] },
      });
      const other = await createUser(target, { externalId: "bob" });
      await target.call("POST", "/v1/conversations", {
        headers: server(),
        body: { userId: other.id },
      });
      return { user: target.backend.store.findUserByExternalId("user_jane"), other };
    },
    request: (vars) => ({ method: "DELETE", path: `/v1/users/${vars.user.id}`, headers: server() }),
    status: 200,
    check: async (reply, vars, target) => {
      expect(reply.body).toEqual({
        id: vars.user.id,
        deleted: { conversations: 1, messages: 2, contacts: 1 },
      });
      const { store } = target.backend;
      expect(store.getUser(vars.user.id)).toBeUndefined();
      expect(store.conversations.map((item) => item.userId)).toEqual([vars.other.id]);
      expect(store.messages).toEqual([]);
      expect(store.contacts.map((item) => item.external_id)).toEqual(["someone_else"]);
      const after = await target.call("GET", "/v1/users/external/user_jane", { headers: server() });
      expect(after.status).toBe(404);
    },
  },
  {
    name: "404 for a missing user",
    request: () => ({ method: "DELETE", path: "/v1/users/usr_missing", headers: server() }),
    status: 404,
    code: "NOT_FOUND",
  },
  {
    name: "scoped: 403 for another user",
    setup: async (target) => ({
      alice: await createUser(target, { externalId: "alice" }),
      bob: await createUser(target, { externalId: "bob" }),
    }),
    request: (vars) => ({
      method: "DELETE",
      path: `/v1/users/${vars.alice.id}`,
      headers: server(vars.bob.token),
    }),
    status: 403,
    code: "SCOPE_DENIED",
    check: (_reply, vars, target) =>
      expect(target.backend.store.getUser(vars.alice.id)).toBeDefined(),
  },
];

const conversationsCases: Case[] = [
  {
    name: "a user's conversations by id",
    setup: async (target) => {
      const alice = await createUser(target, { externalId: "alice" });
      const created = await target.call("POST", "/v1/conversations", {
        headers: server(),
        body: { userId: alice.id },
      });
      return { alice, conversation: created.body };
    },
    request: (vars) => ({
      method: "GET",
      path: `/v1/users/${vars.alice.id}/conversations`,
      headers: server(),
    }),
    status: 200,
    check: (reply, vars) =>
      expect(reply.body.conversations.map((item: { id: string }) => item.id)).toEqual([
        vars.conversation.id,
      ]),
  },
  {
    name: "a browser user's conversations by externalId",
    setup: async (target) => {
      await browserConversation(target);
      await link(target, JANE);
      return {};
    },
    request: () => ({
      method: "GET",
      path: "/v1/users/external/user_jane/conversations",
      headers: server(),
    }),
    status: 200,
    check: (reply) => expect(reply.body.conversations).toHaveLength(1),
  },
  {
    name: "404 for a missing externalId",
    request: () => ({
      method: "GET",
      path: "/v1/users/external/nobody/conversations",
      headers: server(),
    }),
    status: 404,
    code: "NOT_FOUND",
  },
  {
    name: "scoped: 403 for another user's list",
    setup: async (target) => ({
      alice: await createUser(target, { externalId: "alice" }),
      bob: await createUser(target, { externalId: "bob" }),
    }),
    request: (vars) => ({
      method: "GET",
      path: `/v1/users/${vars.alice.id}/conversations`,
      headers: server(vars.bob.token),
    }),
    status: 403,
    code: "SCOPE_DENIED",
  },
];

describe.each(TRANSPORTS)("users over %s", (transport) => {
  const target = useTarget(transport);
  describe("POST /v1/users", () => runCases(target, createCases));
  describe("GET /v1/users/…", () => runCases(target, getCases));
  describe("PATCH /v1/users/{id}", () => runCases(target, updateCases));
  describe("DELETE /v1/users/{id}", () => runCases(target, deleteCases));
  describe("GET /v1/users/…/conversations", () => runCases(target, conversationsCases));
});
