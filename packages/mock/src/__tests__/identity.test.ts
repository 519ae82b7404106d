import { describe, expect } from "vitest";
import type { Case } from "./harness";
import {
  JANE,
  OMAR,
  OTHER_VISITOR,
  TRANSPORTS,
  VISITOR,
  browser,
  browserConversation,
  link,
  runCases,
  useTarget,
} from "./harness";

const linkCases: Case[] = [
  {
    name: "links a new user and stores the full metadata",
    request: () => ({ method: "POST", path: "/v1/identity", headers: browser(), body: JANE }),
    status: 200,
    check: (reply, _vars, target) => {
      expect(reply.body).toEqual({
        userId: "user_jane",
        visitorId: VISITOR,
        linkedConversationIds: [],
        labels: [],
        assignedAgent: null,
      });
      const user = target.backend.store.findUserByExternalId("user_jane");
      expect(user?.userMetadata).toEqual(JANE.userMetadata);
      expect(user?.anonymous).toBe(false);
      expect(user?.token).toMatch(/^utk_[0-9a-f]{32}$/);
    },
  },
  {
    name: "moves the visitor's conversations to the user",
    setup: async (target) => ({ conversation: await browserConversation(target) }),
    request: () => ({ method: "POST", path: "/v1/identity", headers: browser(), body: JANE }),
    status: 200,
    check: (reply, vars, target) => {
      expect(reply.body.linkedConversationIds).toEqual([vars.conversation.id]);
      const user = target.backend.store.findUserByExternalId("user_jane");
      expect(target.backend.store.getConversation(vars.conversation.id)?.userId).toBe(user?.id);
      // The visitor's anonymous user is gone; nothing anonymous is left behind.
      expect(target.backend.store.users.map((item) => item.externalId)).toEqual(["user_jane"]);
    },
  },
  {
    name: "stores labels and assignedAgent",
    request: () => ({
      method: "POST",
      path: "/v1/identity",
      headers: browser(),
      body: { ...OMAR, labels: ["vip", "beta"], assignedAgent: "support" },
    }),
    status: 200,
    check: (reply, _vars, target) => {
      expect(reply.body).toMatchObject({ labels: ["vip", "beta"], assignedAgent: "support" });
      expect(target.backend.store.findUserByExternalId("user_omar")).toMatchObject({
        labels: ["vip", "beta"],
        assignedAgent: "support",
      });
    },
  },
  {
    name: "takes the userId from X-Nametag-User-Id when the body has none (host proxies)",
    request: () => ({
      method: "POST",
      path: "/v1/identity",
      headers: browser(VISITOR, "user_jane"),
      body: {},
    }),
    status: 200,
    check: (reply) => expect(reply.body.userId).toBe("user_jane"),
  },
  {
    name: "links a second visitor to the same user without creating another",
    setup: async (target) => {
      await link(target, JANE, OTHER_VISITOR);
      return {};
    },
    request: () => ({ method: "POST", path: "/v1/identity", headers: browser(), body: JANE }),
    status: 200,
    check: (_reply, _vars, target) => expect(target.backend.store.users).toHaveLength(1),
  },
  {
    name: "rejects an invalid userId",
    request: () => ({
      method: "POST",
      path: "/v1/identity",
      headers: browser(),
      body: { userId: "jane smith" },
    }),
    status: 400,
    code: "INVALID_USER_ID",
  },
  {
    name: "rejects a missing userId",
    request: () => ({
      method: "POST",
      path: "/v1/identity",
      headers: browser(),
      body: { userMetadata: {} },
    }),
    status: 400,
    code: "INVALID_USER_ID",
  },
  {
    name: "rejects a userId that differs from X-Nametag-User-Id",
    request: () => ({
      method: "POST",
      path: "/v1/identity",
      headers: browser(VISITOR, "user_omar"),
      body: JANE,
    }),
    status: 400,
    code: "INVALID_USER_ID",
  },
  {
    name: "rejects wrong types with every issue listed",
    request: () => ({
      method: "POST",
      path: "/v1/identity",
      headers: browser(),
      body: { userId: 42, userMetadata: "x", labels: [1] },
    }),
    status: 400,
    code: "VALIDATION_FAILED",
    check: (reply) =>
      expect(reply.body.error.details.issues.map((issue: { path: string }) => issue.path)).toEqual([
        "userId",
        "userMetadata",
        "labels",
      ]),
  },
  {
    name: "rejects a body that is not an object",
    request: () => ({ method: "POST", path: "/v1/identity", headers: browser(), body: [JANE] }),
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "rejects malformed JSON",
    request: () => ({
      method: "POST",
      path: "/v1/identity",
      headers: browser(),
      body: '{"userId": ',
    }),
    status: 400,
    code: "BAD_REQUEST",
  },
  {
    name: "rejects an oversized body",
    request: () => ({
      method: "POST",
      path: "/v1/identity",
      headers: browser(),
      body: { userId: "user_jane", userMetadata: { bio: "x".repeat(300 * 1024) } },
    }),
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    check: (_reply, _vars, target) => expect(target.backend.store.users).toHaveLength(0),
  },
  {
    name: "rejects an unknown assignedAgent",
    request: () => ({
      method: "POST",
      path: "/v1/identity",
      headers: browser(),
      body: { ...JANE, assignedAgent: "nobody" },
    }),
    status: 404,
    code: "AGENT_NOT_FOUND",
  },
  {
    name: "needs a visitor id",
    request: () => ({ method: "POST", path: "/v1/identity", body: JANE }),
    status: 400,
    code: "INVALID_VISITOR_ID",
  },
  {
    name: "rejects a malformed visitor id",
    request: () => ({
      method: "POST",
      path: "/v1/identity",
      headers: browser("visitor-1"),
      body: JANE,
    }),
    status: 400,
    code: "INVALID_VISITOR_ID",
  },
  {
    name: "rejects a wrong API key even next to a visitor id",
    request: () => ({
      method: "POST",
      path: "/v1/identity",
      headers: { ...browser(), authorization: "Bearer sk_wrong" },
      body: JANE,
    }),
    status: 401,
    code: "UNAUTHORIZED",
  },
  {
    name: "replays a repeated Idempotency-Key and stores nothing twice",
    setup: async (target) => {
      await browserConversation(target);
      const first = await target.call("POST", "/v1/identity", {
        headers: browser(VISITOR, undefined, { "idempotency-key": "link-1" }),
        body: JANE,
      });
      return { first: first.body };
    },
    request: () => ({
      method: "POST",
      path: "/v1/identity",
      headers: browser(VISITOR, undefined, { "idempotency-key": "link-1" }),
      body: JANE,
    }),
    status: 200,
    check: (reply, vars, target) => {
      expect(reply.headers.get("idempotent-replayed")).toBe("true");
      expect(reply.body).toEqual(vars.first);
      expect(target.backend.store.users).toHaveLength(1);
      expect(target.backend.requests().map((entry) => entry.replayed)).toEqual([
        false,
        false,
        true,
      ]);
    },
  },
  {
    name: "refuses an Idempotency-Key reused for another body",
    setup: async (target) => {
      await target.call("POST", "/v1/identity", {
        headers: browser(VISITOR, undefined, { "idempotency-key": "link-2" }),
        body: JANE,
      });
      return {};
    },
    request: () => ({
      method: "POST",
      path: "/v1/identity",
      headers: browser(VISITOR, undefined, { "idempotency-key": "link-2" }),
      body: OMAR,
    }),
    status: 422,
    code: "IDEMPOTENCY_KEY_REUSED",
    check: (_reply, _vars, target) =>
      expect(target.backend.store.findUserByExternalId("user_omar")).toBeUndefined(),
  },
];

const updateCases: Case[] = [
  {
    name: "merges metadata, removes null keys and answers sanitized",
    setup: async (target) => link(target, JANE),
    request: () => ({
      method: "PATCH",
      path: "/v1/identity",
      headers: browser(VISITOR, "user_jane"),
      body: { userMetadata: { plan: "pro", company: null, apiKey: "sk-123" } },
    }),
    status: 200,
    check: (reply, _vars, target) => {
      expect(reply.body).toEqual({
        userId: "user_jane",
        userMetadata: { name: "Jane Smith", email: "jane@example.com", plan: "pro" },
      });
      expect(target.backend.store.findUserByExternalId("user_jane")?.userMetadata).toEqual({
        name: "Jane Smith",
        email: "jane@example.com",
        plan: "pro",
        authToken: "demo-jane-auth-token-7f3a",
        apiKey: "sk-123",
      });
    },
  },
  {
    name: "ignores a __proto__ key",
    setup: async (target) => link(target, JANE),
    request: () => ({
      method: "PATCH",
      path: "/v1/identity",
      headers: browser(VISITOR, "user_jane"),
      body: '{"userMetadata":{"__proto__":{"polluted":true},"plan":"pro"}}',
    }),
    status: 200,
    check: (reply) => {
      expect(reply.body.userMetadata.plan).toBe("pro");
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  },
  {
    name: "needs X-Nametag-User-Id",
    request: () => ({
      method: "PATCH",
      path: "/v1/identity",
      headers: browser(),
      body: { userMetadata: {} },
    }),
    status: 400,
    code: "INVALID_USER_ID",
  },
  {
    name: "answers 404 for a user that was never linked",
    request: () => ({
      method: "PATCH",
      path: "/v1/identity",
      headers: browser(VISITOR, "user_ghost"),
      body: { userMetadata: { plan: "pro" } },
    }),
    status: 404,
    code: "NOT_FOUND",
  },
  {
    name: "needs userMetadata to be an object",
    setup: async (target) => link(target, JANE),
    request: () => ({
      method: "PATCH",
      path: "/v1/identity",
      headers: browser(VISITOR, "user_jane"),
      body: { userMetadata: [] },
    }),
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "rejects an invalid X-Nametag-User-Id",
    request: () => ({
      method: "PATCH",
      path: "/v1/identity",
      headers: browser(VISITOR, "bad id!"),
      body: { userMetadata: {} },
    }),
    status: 400,
    code: "INVALID_USER_ID",
  },
  {
    name: "answers 405 for an unsupported method",
    request: () => ({ method: "PUT", path: "/v1/identity", headers: browser(), body: {} }),
    status: 405,
    code: "METHOD_NOT_ALLOWED",
    check: (reply) => expect(reply.headers.get("allow")).toBe("POST, PATCH"),
  },
];

describe.each(TRANSPORTS)("identity over %s", (transport) => {
  const target = useTarget(transport);
  describe("POST /v1/identity", () => runCases(target, linkCases));
  describe("PATCH /v1/identity", () => runCases(target, updateCases));
});
