// The two callers that hold the API key cannot be confused: `Bearer` is a server, `NametagProxy`
// is a browser behind a host proxy. Each row is what an attacker gets by omitting, adding or
// forging one header (issue 13: a proxy that forgot the visitor id handed out the account).
import { describe, expect } from "vitest";
import type { Case, Target } from "./harness";
import {
  API_KEY,
  JANE,
  OTHER_VISITOR,
  TRANSPORTS,
  VISITOR,
  browser,
  browserConversation,
  createUser,
  proxy,
  runCases,
  server,
  useTarget,
} from "./harness";
import { userHash } from "./signing";

const SECRET = "callers-identity-secret";

/** Jane identified with her metadata and one conversation, on another visitor than the attacker's. */
async function janeWithConversation(target: Target) {
  const linked = await target.call("POST", "/v1/identity", {
    headers: browser(OTHER_VISITOR),
    body: { ...JANE, userHash: userHash(SECRET, "user_jane") },
  });
  if (linked.status !== 200) throw new Error(JSON.stringify(linked.body));
  const conversation = await target.call("POST", "/v1/conversations", {
    headers: proxy(OTHER_VISITOR, "user_jane"),
    body: {},
  });
  if (conversation.status !== 201) throw new Error(JSON.stringify(conversation.body));
  const jane = target.backend.store.findUserByExternalId("user_jane");
  return { conversation: conversation.body, jane };
}

const cases: Case[] = [
  {
    name: "a proxy that forgot the visitor id gets 400 INVALID_VISITOR_ID, not the account",
    setup: janeWithConversation,
    request: () => ({
      method: "GET",
      path: "/v1/conversations",
      headers: { authorization: `NametagProxy ${API_KEY}` },
    }),
    status: 400,
    code: "INVALID_VISITOR_ID",
    check: (reply) => expect(JSON.stringify(reply.body)).not.toContain("conv_"),
  },
  {
    name: "a proxy with a malformed visitor id gets 400 INVALID_VISITOR_ID",
    request: () => ({ method: "GET", path: "/v1/conversations", headers: proxy("visitor-1") }),
    status: 400,
    code: "INVALID_VISITOR_ID",
  },
  {
    name: "a proxied browser lists only its own visitor's conversations",
    setup: async (target) => ({
      ...(await janeWithConversation(target)),
      own: await browserConversation(target, VISITOR),
    }),
    request: () => ({ method: "GET", path: "/v1/conversations", headers: proxy() }),
    status: 200,
    check: (reply, vars) => {
      expect(reply.body.conversations.map((item: { id: string }) => item.id)).toEqual([
        vars.own.id,
      ]);
    },
  },
  {
    name: "a proxy's X-User-Token does not widen its scope",
    setup: janeWithConversation,
    request: (vars) => ({
      method: "GET",
      path: "/v1/conversations",
      headers: { ...proxy(), "x-user-token": vars.jane.token },
    }),
    status: 200,
    check: (reply) => expect(reply.body).toEqual({ conversations: [], nextCursor: null }),
  },
  {
    name: "a proxy reading someone else's conversation gets 403 SCOPE_DENIED",
    setup: janeWithConversation,
    request: (vars) => ({
      method: "GET",
      path: `/v1/conversations/${vars.conversation.id}/messages`,
      headers: proxy(),
    }),
    status: 403,
    code: "SCOPE_DENIED",
  },
  {
    name: "a proxy on a server endpoint gets 403 SCOPE_DENIED and no user data",
    setup: janeWithConversation,
    request: (vars) => ({ method: "GET", path: `/v1/users/${vars.jane.id}`, headers: proxy() }),
    status: 403,
    code: "SCOPE_DENIED",
    check: (reply) => expect(JSON.stringify(reply.body)).not.toMatch(/utk_|enterprise|Jane/),
  },
  {
    name: "a proxy on a server endpoint without a visitor id gets 400 INVALID_VISITOR_ID",
    setup: janeWithConversation,
    request: () => ({
      method: "GET",
      path: "/v1/users/external/user_jane",
      headers: { authorization: `NametagProxy ${API_KEY}` },
    }),
    status: 400,
    code: "INVALID_VISITOR_ID",
  },
  {
    name: "a proxy cannot create users through the server endpoint",
    request: () => ({ method: "POST", path: "/v1/users", headers: proxy(), body: {} }),
    status: 403,
    code: "SCOPE_DENIED",
    check: (_reply, _vars, target) => expect(target.backend.store.users.length).toBe(0),
  },
  {
    name: "a proxy's key vouches for the user id: no credential needed",
    request: () => ({
      method: "POST",
      path: "/v1/identity",
      headers: proxy(VISITOR, "user_jane"),
      body: JANE,
    }),
    status: 200,
    check: (_reply, _vars, target) =>
      expect(target.backend.store.findUserByExternalId("user_jane")?.externalId).toBe("user_jane"),
  },
  {
    name: "a credential a proxy does send must still be valid",
    request: () => ({
      method: "GET",
      path: "/v1/conversations",
      headers: { ...proxy(VISITOR, "user_jane"), "x-nametag-user-hash": "00".repeat(32) },
    }),
    status: 401,
    code: "IDENTITY_VERIFICATION_FAILED",
  },
  {
    name: "Bearer next to a visitor id (mixed signals) is refused with 400 BAD_REQUEST",
    setup: janeWithConversation,
    request: () => ({
      method: "GET",
      path: "/v1/conversations",
      headers: { ...browser(), ...server() },
    }),
    status: 400,
    code: "BAD_REQUEST",
    check: (reply) => {
      expect(reply.body.error.details).toEqual({ reason: "BEARER_WITH_VISITOR_ID" });
      expect(JSON.stringify(reply.body)).not.toContain("conv_");
    },
  },
  {
    name: "Bearer next to a visitor id on a link stores nothing",
    request: () => ({
      method: "POST",
      path: "/v1/identity",
      headers: { ...browser(), ...server() },
      body: JANE,
    }),
    status: 400,
    code: "BAD_REQUEST",
    check: (_reply, _vars, target) => expect(target.backend.store.users.length).toBe(0),
  },
  {
    name: "Bearer alone is still a server call that sees every conversation",
    setup: async (target) => ({
      ...(await janeWithConversation(target)),
      own: await browserConversation(target, VISITOR),
    }),
    request: () => ({ method: "GET", path: "/v1/conversations", headers: server() }),
    status: 200,
    check: (reply) => expect(reply.body.conversations.length).toBe(2),
  },
  {
    name: "Bearer with a user token is still a scoped server call",
    setup: async (target) => ({ user: await createUser(target) }),
    request: () => ({ method: "GET", path: "/v1/users/me", headers: server("utk_unknown") }),
    status: 401,
    code: "UNAUTHORIZED",
  },
  {
    name: "a wrong key with NametagProxy is 401 UNAUTHORIZED",
    request: () => ({
      method: "GET",
      path: "/v1/conversations",
      headers: proxy(VISITOR, undefined, "sk_wrong"),
    }),
    status: 401,
    code: "UNAUTHORIZED",
  },
  {
    name: "a wrong key with Bearer is 401 UNAUTHORIZED",
    request: () => ({ method: "GET", path: "/v1/conversations", headers: server(undefined, "x") }),
    status: 401,
    code: "UNAUTHORIZED",
  },
  ...["Basic", "Token", "Proxy"].map((scheme): Case => ({
    name: `an unknown scheme (${scheme}) with the right key is 401 UNAUTHORIZED`,
    request: () => ({
      method: "GET",
      path: "/v1/conversations",
      headers: { ...browser(), authorization: `${scheme} ${API_KEY}` },
    }),
    status: 401,
    code: "UNAUTHORIZED",
  })),
  {
    name: "a scheme without a key is 401 UNAUTHORIZED",
    request: () => ({
      method: "GET",
      path: "/v1/conversations",
      headers: { ...browser(), authorization: "NametagProxy" },
    }),
    status: 401,
    code: "UNAUTHORIZED",
  },
];

describe.each(TRANSPORTS)("callers over %s", (transport) => {
  const target = useTarget(transport, { identitySecret: SECRET });
  runCases(target, cases);
});
