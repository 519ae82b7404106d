// The contract's case table: what any Nametag backend must answer, run over HTTP by
// `nametag-mock conformance` and in-process against the MSW handlers by this package's tests.
// Each case makes its own data under ids unique to the run, so it works against a real backend
// that is never reset.
import { DEFAULT_PAGE_LIMIT, MAX_BODY_BYTES, MAX_CONTACTS_PER_UPSERT } from "@nametag/core";
import type { CaseContext, Reply } from "./runConformance";
import { epochSeconds, signIdentityToken, signUserHash } from "./signing";

/** One row of the table. `needs` names the options without which it is reported as skipped. */
export interface ConformanceCase {
  id: string;
  title: string;
  needs?: ("identitySecret" | "rateLimit")[];
  run(context: CaseContext): Promise<void>;
}

// ----- helpers ---------------------------------------------------------------------------------

async function createUser(context: CaseContext, body: Record<string, unknown> = {}) {
  const reply = await context.call("POST", "/v1/users", { headers: context.server(), body });
  context.expectStatus(reply, 201);
  return reply.body as { id: string; token: string; externalId: string | null };
}

async function serverConversation(context: CaseContext, userId: string) {
  const reply = await context.call("POST", "/v1/conversations", {
    headers: context.server(),
    body: { agent: "support", userId },
  });
  context.expectStatus(reply, 201);
  return reply.body as { id: string; userId: string };
}

async function sendMessage(context: CaseContext, conversationId: string, text: string) {
  const reply = await context.call("POST", `/v1/conversations/${conversationId}/messages`, {
    headers: context.server(),
    body: { text },
  });
  context.expectStatus(reply, 201);
  return reply.body as { message: { id: string }; reply: { id: string } };
}

async function messageCount(context: CaseContext, conversationId: string): Promise<number> {
  const reply = await context.call(
    "GET",
    `/v1/conversations/${conversationId}/messages?limit=100`,
    { headers: context.server() },
  );
  context.expectStatus(reply, 200);
  return (reply.body.messages as unknown[]).length;
}

/** A browser that identified as a fresh user and owns one conversation. */
async function identifiedBrowser(context: CaseContext) {
  const visitorId = context.visitor();
  const externalId = context.unique("user");
  const headers = await context.browser(visitorId, externalId);
  const link = await context.call("POST", "/v1/identity", {
    headers: await context.browser(visitorId),
    body: {
      userId: externalId,
      userMetadata: { name: "Conformance Tester", plan: "pro" },
      ...(context.options.identitySecret === undefined
        ? {}
        : { userHash: await signUserHash(context.options.identitySecret, externalId) }),
    },
  });
  context.expectStatus(link, 200);
  const created = await context.call("POST", "/v1/conversations", { headers, body: {} });
  context.expectStatus(created, 201);
  return { visitorId, externalId, headers, conversationId: created.body.id as string };
}

function ids(reply: Reply, key: string): string[] {
  return (reply.body[key] as { id: string }[]).map((item) => item.id);
}

/** The same 403 for "not yours" and "does not exist": status, code and message all equal. */
function expectSameDenial(context: CaseContext, existing: Reply, missing: Reply) {
  context.expectStatus(existing, 403, "SCOPE_DENIED");
  context.expectStatus(missing, 403, "SCOPE_DENIED");
  context.check(
    JSON.stringify(existing.body) === JSON.stringify(missing.body),
    "a denial never reveals existence: someone else's id and a missing id get the same body",
    missing,
  );
}

async function identify(
  context: CaseContext,
  credentials: Record<string, string>,
  externalId = context.unique("verified"),
) {
  const reply = await context.call("POST", "/v1/identity", {
    headers: await context.browser(context.visitor()),
    body: { userId: externalId, ...credentials },
  });
  return { reply, externalId };
}

async function expectNoUser(context: CaseContext, externalId: string) {
  const reply = await context.call("GET", `/v1/users/external/${externalId}`, {
    headers: context.server(),
  });
  context.expectStatus(reply, 404, "NOT_FOUND");
}

function secret(context: CaseContext): string {
  return context.options.identitySecret as string;
}

// ----- the table -------------------------------------------------------------------------------

export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  // --- envelope, routing, bodies
  {
    id: "envelope.not-found",
    title: "an unknown route answers 404 NOT_FOUND with the envelope and x-request-id",
    async run(context) {
      const reply = await context.call("GET", "/v1/no-such-endpoint", {
        headers: context.server(),
      });
      context.expectStatus(reply, 404, "NOT_FOUND");
    },
  },
  {
    id: "envelope.method-not-allowed",
    title: "a known path with another method answers 405 METHOD_NOT_ALLOWED with Allow",
    async run(context) {
      const reply = await context.call("PUT", "/v1/attributes", {
        headers: context.server(),
        body: {},
      });
      context.expectStatus(reply, 405, "METHOD_NOT_ALLOWED");
      context.check(/\bGET\b/.test(reply.headers.get("allow") ?? ""), "Allow lists GET", reply);
    },
  },
  {
    id: "envelope.bad-json",
    title: "a body that is not JSON answers 400 BAD_REQUEST",
    async run(context) {
      const reply = await context.call("POST", "/v1/users", {
        headers: context.server(),
        body: '{"externalId": ',
      });
      context.expectStatus(reply, 400, "BAD_REQUEST");
    },
  },
  {
    id: "envelope.payload-too-large",
    title: `a body over ${MAX_BODY_BYTES} bytes answers 413 PAYLOAD_TOO_LARGE`,
    async run(context) {
      const reply = await context.call("POST", "/v1/users", {
        headers: context.server(),
        body: { userMetadata: { blob: "x".repeat(MAX_BODY_BYTES + 10) } },
      });
      context.expectStatus(reply, 413, "PAYLOAD_TOO_LARGE");
    },
  },
  {
    id: "envelope.deep-json",
    title: "a body nested thousands of levels deep answers 400 BAD_REQUEST, never a 500",
    async run(context) {
      const externalId = context.unique("deep");
      const depth = 3000;
      const body = `{"externalId":"${externalId}","userMetadata":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`;
      const reply = await context.call("POST", "/v1/users", { headers: context.server(), body });
      context.expectStatus(reply, 400, "BAD_REQUEST");
      await expectNoUser(context, externalId);
    },
  },
  {
    id: "envelope.validation-issues",
    title: "a field of the wrong type answers 400 VALIDATION_FAILED listing details.issues",
    async run(context) {
      const reply = await context.call("POST", "/v1/users", {
        headers: context.server(),
        body: { labels: "vip", userMetadata: [] },
      });
      context.expectStatus(reply, 400, "VALIDATION_FAILED");
      const paths = (reply.body.error.details?.issues ?? []).map(
        (issue: { path: string }) => issue.path,
      );
      context.check(
        paths.includes("labels") && paths.includes("userMetadata"),
        "details.issues names every bad field (labels, userMetadata)",
        reply,
      );
    },
  },
  // --- callers
  {
    id: "callers.server-needs-key",
    title: "a server endpoint without the API key answers 401 UNAUTHORIZED",
    async run(context) {
      const reply = await context.call("GET", "/v1/attributes");
      context.expectStatus(reply, 401, "UNAUTHORIZED");
    },
  },
  {
    id: "callers.wrong-key",
    title: "a wrong API key answers 401 UNAUTHORIZED",
    async run(context) {
      const reply = await context.call("GET", "/v1/attributes", {
        headers: { authorization: `Bearer ${context.options.apiKey}-wrong` },
      });
      context.expectStatus(reply, 401, "UNAUTHORIZED");
    },
  },
  {
    id: "callers.unknown-user-token",
    title: "an unknown X-User-Token answers 401 UNAUTHORIZED",
    async run(context) {
      const reply = await context.call("GET", "/v1/users/me", {
        headers: context.server("utk_not_a_real_token_0000"),
      });
      context.expectStatus(reply, 401, "UNAUTHORIZED");
    },
  },
  {
    id: "callers.visitor-required",
    title: "a browser endpoint without a visitor id answers 400 INVALID_VISITOR_ID",
    async run(context) {
      const reply = await context.call("POST", "/v1/identity", {
        body: { userId: context.unique("user") },
      });
      context.expectStatus(reply, 400, "INVALID_VISITOR_ID");
    },
  },
  {
    id: "callers.visitor-malformed",
    title: "a malformed visitor id answers 400 INVALID_VISITOR_ID",
    async run(context) {
      const reply = await context.call("GET", "/v1/conversations", {
        headers: { "x-nametag-visitor-id": "visitor-1" },
      });
      context.expectStatus(reply, 400, "INVALID_VISITOR_ID");
    },
  },
  {
    id: "callers.invalid-user-id",
    title: "a user id outside ^[a-zA-Z0-9._-]{1,128}$ answers 400 INVALID_USER_ID",
    async run(context) {
      const path = await context.call("GET", "/v1/users/external/jane%20doe", {
        headers: context.server(),
      });
      context.expectStatus(path, 400, "INVALID_USER_ID");
      const body = await context.call("POST", "/v1/identity", {
        headers: await context.browser(context.visitor()),
        body: { userId: "x".repeat(129) },
      });
      context.expectStatus(body, 400, "INVALID_USER_ID");
    },
  },
  {
    id: "callers.unknown-scheme",
    title: "an unknown Authorization scheme answers 401 UNAUTHORIZED",
    async run(context) {
      const reply = await context.call("GET", "/v1/attributes", {
        headers: { authorization: `Basic ${context.options.apiKey}` },
      });
      context.expectStatus(reply, 401, "UNAUTHORIZED");
    },
  },
  {
    id: "callers.bearer-with-visitor",
    title: "Bearer together with a visitor id (mixed signals) answers 400 and runs nothing",
    async run(context) {
      const externalId = context.unique("mixed");
      const reply = await context.call("POST", "/v1/users", {
        headers: { ...context.server(), ...(await context.browser(context.visitor())) },
        body: { externalId },
      });
      context.expectStatus(reply, 400, "BAD_REQUEST");
      await expectNoUser(context, externalId);
    },
  },
  {
    id: "callers.proxy-is-browser-scoped",
    title:
      "NametagProxy is browser scope only: visitor id required, no server data, X-User-Token ignored",
    async run(context) {
      const proxy = { authorization: `NametagProxy ${context.options.apiKey}` };
      const noVisitor = await context.call("GET", "/v1/conversations", { headers: proxy });
      context.expectStatus(noVisitor, 400, "INVALID_VISITOR_ID");
      const user = await createUser(context, { externalId: context.unique("proxied") });
      await serverConversation(context, user.id);
      const serverRoute = await context.call("GET", `/v1/users/${user.id}`, {
        headers: { ...proxy, ...(await context.browser(context.visitor())) },
      });
      context.expectStatus(serverRoute, 403, "SCOPE_DENIED");
      const widened = await context.call("GET", "/v1/conversations", {
        headers: {
          ...proxy,
          ...(await context.browser(context.visitor())),
          "x-user-token": user.token,
        },
      });
      context.expectStatus(widened, 200);
      context.check(
        (widened.body.conversations as unknown[]).length === 0,
        "a proxied visitor with no history lists nothing, whatever X-User-Token it adds",
        widened,
      );
    },
  },
  {
    id: "callers.proxy-vouches",
    title: "NametagProxy vouches for X-Nametag-User-Id: an identify needs no credential",
    async run(context) {
      const externalId = context.unique("vouched");
      const proxy = {
        authorization: `NametagProxy ${context.options.apiKey}`,
        "x-nametag-visitor-id": context.visitor(),
      };
      const link = await context.call("POST", "/v1/identity", {
        headers: proxy,
        body: { userId: externalId },
      });
      context.expectStatus(link, 200);
      const list = await context.call("GET", "/v1/conversations", {
        headers: { ...proxy, "x-nametag-user-id": externalId },
      });
      context.expectStatus(list, 200);
    },
  },
  // --- users
  {
    id: "users.lifecycle",
    title: "a user is created, read by id, externalId and token, and updated (metadata merged)",
    async run(context) {
      const externalId = context.unique("user");
      const user = await createUser(context, {
        externalId,
        userMetadata: { name: "Omar", plan: "pro", team: "blue" },
        labels: ["beta"],
      });
      context.check(
        typeof user.id === "string" &&
          typeof user.token === "string" &&
          user.externalId === externalId,
        "POST /v1/users answers the User with id, token and externalId",
      );
      for (const [path, headers] of [
        [`/v1/users/${user.id}`, context.server()],
        [`/v1/users/external/${externalId}`, context.server()],
        ["/v1/users/me", context.server(user.token)],
      ] as const) {
        const reply = await context.call("GET", path, { headers });
        context.expectStatus(reply, 200);
        context.check(reply.body.id === user.id, `${path} answers the same user`, reply);
      }
      const updated = await context.call("PATCH", `/v1/users/${user.id}`, {
        headers: context.server(),
        body: { userMetadata: { plan: "enterprise", team: null }, labels: ["vip"] },
      });
      context.expectStatus(updated, 200);
      context.check(
        JSON.stringify(updated.body.userMetadata) ===
          JSON.stringify({ name: "Omar", plan: "enterprise" }) &&
          JSON.stringify(updated.body.labels) === JSON.stringify(["vip"]),
        "PATCH merges metadata (null removes a key) and replaces labels",
        updated,
      );
    },
  },
  {
    id: "users.external-id-unique",
    title: "a second user with the same externalId answers 409 EXTERNAL_ID_TAKEN",
    async run(context) {
      const externalId = context.unique("user");
      await createUser(context, { externalId });
      const reply = await context.call("POST", "/v1/users", {
        headers: context.server(),
        body: { externalId },
      });
      context.expectStatus(reply, 409, "EXTERNAL_ID_TAKEN");
    },
  },
  {
    id: "users.update-errors",
    title:
      "PATCH /v1/users/{id} refuses a taken externalId (409), an unknown agent (404) and a missing user (404)",
    async run(context) {
      const taken = context.unique("taken");
      await createUser(context, { externalId: taken });
      const user = await createUser(context, { externalId: context.unique("user") });
      const conflict = await context.call("PATCH", `/v1/users/${user.id}`, {
        headers: context.server(),
        body: { externalId: taken },
      });
      context.expectStatus(conflict, 409, "EXTERNAL_ID_TAKEN");
      const agent = await context.call("PATCH", `/v1/users/${user.id}`, {
        headers: context.server(),
        body: { assignedAgent: context.unique("no_such_agent") },
      });
      context.expectStatus(agent, 404, "AGENT_NOT_FOUND");
      const missing = await context.call("PATCH", `/v1/users/${context.unique("usr_missing")}`, {
        headers: context.server(),
        body: { labels: [] },
      });
      context.expectStatus(missing, 404, "NOT_FOUND");
      const unchanged = await context.call("GET", `/v1/users/${user.id}`, {
        headers: context.server(),
      });
      context.expectStatus(unchanged, 200);
      context.check(
        unchanged.body.externalId === user.externalId && unchanged.body.assignedAgent === null,
        "a refused update changes nothing",
        unchanged,
      );
    },
  },
  {
    id: "users.not-found",
    title: "an unscoped API key gets 404 NOT_FOUND for a missing user and conversation",
    async run(context) {
      const user = await context.call("GET", `/v1/users/${context.unique("usr_missing")}`, {
        headers: context.server(),
      });
      context.expectStatus(user, 404, "NOT_FOUND");
      const conversation = await context.call(
        "GET",
        `/v1/conversations/${context.unique("conv_missing")}`,
        { headers: context.server() },
      );
      context.expectStatus(conversation, 404, "NOT_FOUND");
    },
  },
  {
    id: "users.me-needs-token",
    title: "GET /v1/users/me without X-User-Token answers 400 BAD_REQUEST",
    async run(context) {
      const reply = await context.call("GET", "/v1/users/me", { headers: context.server() });
      context.expectStatus(reply, 400, "BAD_REQUEST");
    },
  },
  {
    id: "users.gdpr-delete",
    title: "DELETE /v1/users/{id} removes the user, their conversations and messages",
    async run(context) {
      const user = await createUser(context, { externalId: context.unique("user") });
      const conversation = await serverConversation(context, user.id);
      await sendMessage(context, conversation.id, "Please forget me");
      const deleted = await context.call("DELETE", `/v1/users/${user.id}`, {
        headers: context.server(),
      });
      context.expectStatus(deleted, 200);
      context.check(
        deleted.body.deleted?.conversations === 1 && deleted.body.deleted?.messages === 2,
        "the answer counts 1 conversation and 2 messages deleted",
        deleted,
      );
      const after = await context.call("GET", `/v1/conversations/${conversation.id}`, {
        headers: context.server(),
      });
      context.expectStatus(after, 404, "NOT_FOUND");
    },
  },
  // --- browser identity and conversations
  {
    id: "identity.link-moves-history",
    title: "identify links the visitor: its conversations move to the user",
    async run(context) {
      const visitorId = context.visitor();
      const anonymous = await context.call("POST", "/v1/conversations", {
        headers: await context.browser(visitorId),
        body: {},
      });
      context.expectStatus(anonymous, 201);
      const externalId = context.unique("user");
      const link = await context.call("POST", "/v1/identity", {
        headers: await context.browser(visitorId),
        body: {
          userId: externalId,
          labels: ["vip"],
          ...(context.options.identitySecret === undefined
            ? {}
            : { userHash: await signUserHash(secret(context), externalId) }),
        },
      });
      context.expectStatus(link, 200);
      context.check(
        link.body.userId === externalId &&
          link.body.visitorId === visitorId &&
          JSON.stringify(link.body.linkedConversationIds) === JSON.stringify([anonymous.body.id]),
        "LinkResponse names the user, the visitor and the moved conversation",
        link,
      );
      const list = await context.call("GET", "/v1/conversations", {
        headers: await context.browser(visitorId, externalId),
      });
      context.expectStatus(list, 200);
      context.check(
        JSON.stringify(ids(list, "conversations")) === JSON.stringify([anonymous.body.id]),
        "the user's list holds the conversation made as a visitor",
        list,
      );
    },
  },
  {
    id: "identity.metadata-update",
    title: "PATCH /v1/identity merges metadata and answers it sanitized",
    async run(context) {
      const { headers } = await identifiedBrowser(context);
      const reply = await context.call("PATCH", "/v1/identity", {
        headers,
        body: { userMetadata: { company: "Acme", authToken: "secret-token-123", plan: null } },
      });
      context.expectStatus(reply, 200);
      context.check(
        reply.body.userMetadata?.company === "Acme" &&
          !("authToken" in (reply.body.userMetadata ?? {})) &&
          !("plan" in (reply.body.userMetadata ?? {})),
        "the answer has the merged metadata without the secret (authToken) and without the removed key",
        reply,
      );
      const missing = await context.call("PATCH", "/v1/identity", {
        headers: await context.browser(context.visitor()),
        body: { userMetadata: {} },
      });
      context.expectStatus(missing, 400, "INVALID_USER_ID");
    },
  },
  {
    id: "conversations.unknown-agent",
    title: "a conversation for an agent the backend does not run answers 404 AGENT_NOT_FOUND",
    async run(context) {
      const reply = await context.call("POST", "/v1/conversations", {
        headers: await context.browser(context.visitor()),
        body: { agent: context.unique("no_such_agent") },
      });
      context.expectStatus(reply, 404, "AGENT_NOT_FOUND");
    },
  },
  {
    id: "conversations.messages",
    title: "a message gets the agent's reply, and both are listed oldest first",
    async run(context) {
      const { headers, conversationId } = await identifiedBrowser(context);
      const sent = await context.call("POST", `/v1/conversations/${conversationId}/messages`, {
        headers,
        body: { text: "Which plan am I on?" },
      });
      context.expectStatus(sent, 201);
      context.check(
        sent.body.message?.role === "user" &&
          sent.body.message?.text === "Which plan am I on?" &&
          sent.body.reply?.role === "agent" &&
          typeof sent.body.reply?.text === "string",
        "SendMessageResponse has the user's message and the agent's reply",
        sent,
      );
      const read = await context.call("GET", `/v1/conversations/${conversationId}`, { headers });
      context.expectStatus(read, 200);
      context.check(read.body.id === conversationId, "GET /v1/conversations/{id} answers it", read);
      const list = await context.call("GET", `/v1/conversations/${conversationId}/messages`, {
        headers,
      });
      context.expectStatus(list, 200);
      context.check(
        JSON.stringify(ids(list, "messages")) ===
          JSON.stringify([sent.body.message.id, sent.body.reply.id]) &&
          list.body.nextCursor === null,
        "the list is [message, reply] with nextCursor null",
        list,
      );
      const empty = await context.call("POST", `/v1/conversations/${conversationId}/messages`, {
        headers,
        body: { text: "   " },
      });
      context.expectStatus(empty, 400, "VALIDATION_FAILED");
    },
  },
  {
    id: "conversations.server-create",
    title: "a server conversation without userId belongs to a new anonymous user",
    async run(context) {
      const reply = await context.call("POST", "/v1/conversations", {
        headers: context.server(),
        body: { agent: "support" },
      });
      context.expectStatus(reply, 201);
      context.check(
        reply.body.user?.anonymous === true && reply.body.user?.id === reply.body.userId,
        "ConversationWithUser carries its anonymous user",
        reply,
      );
    },
  },
  // --- scope
  {
    id: "scope.browser-conversation",
    title: "a browser gets the same 403 SCOPE_DENIED for another's conversation and a missing one",
    async run(context) {
      const owner = await identifiedBrowser(context);
      const stranger = await context.browser(context.visitor());
      for (const suffix of ["", "/messages"]) {
        const existing = await context.call(
          "GET",
          `/v1/conversations/${owner.conversationId}${suffix}`,
          {
            headers: stranger,
          },
        );
        const missing = await context.call(
          "GET",
          `/v1/conversations/${context.unique("conv_missing")}${suffix}`,
          { headers: stranger },
        );
        expectSameDenial(context, existing, missing);
      }
      const write = await context.call(
        "POST",
        `/v1/conversations/${owner.conversationId}/messages`,
        {
          headers: stranger,
          body: { text: "let me in" },
        },
      );
      context.expectStatus(write, 403, "SCOPE_DENIED");
      context.check(
        (await messageCount(context, owner.conversationId)) === 0,
        "a denied write stores nothing",
      );
    },
  },
  {
    id: "scope.user-token",
    title:
      "X-User-Token narrows to one user: 403 SCOPE_DENIED for others and for missing ids alike",
    async run(context) {
      const alice = await createUser(context, { externalId: context.unique("alice") });
      const bob = await createUser(context, { externalId: context.unique("bob") });
      const alicesConversation = await serverConversation(context, alice.id);
      const bobsConversation = await serverConversation(context, bob.id);
      const asBob = context.server(bob.token);
      expectSameDenial(
        context,
        await context.call("GET", `/v1/users/${alice.id}`, { headers: asBob }),
        await context.call("GET", `/v1/users/${context.unique("usr_missing")}`, { headers: asBob }),
      );
      expectSameDenial(
        context,
        await context.call("GET", `/v1/conversations/${alicesConversation.id}`, { headers: asBob }),
        await context.call("GET", `/v1/conversations/${context.unique("conv_missing")}`, {
          headers: asBob,
        }),
      );
      const history = await context.call(
        "GET",
        `/v1/users/external/${alice.externalId}/conversations`,
        {
          headers: asBob,
        },
      );
      context.expectStatus(history, 403, "SCOPE_DENIED");
      const create = await context.call("POST", "/v1/conversations", {
        headers: asBob,
        body: { agent: "support", userId: alice.id },
      });
      context.expectStatus(create, 403, "SCOPE_DENIED");
      const own = await context.call("GET", "/v1/conversations", { headers: asBob });
      context.expectStatus(own, 200);
      context.check(
        JSON.stringify(ids(own, "conversations")) === JSON.stringify([bobsConversation.id]),
        "a scoped list holds only that user's conversations",
        own,
      );
      const contacts = await context.call("GET", "/v1/attributes", { headers: asBob });
      context.expectStatus(contacts, 403, "SCOPE_DENIED");
    },
  },
  // --- idempotency
  {
    id: "idempotency.replay",
    title: "a repeated write with one Idempotency-Key answers the first result, replayed, once",
    async run(context) {
      const externalId = context.unique("user");
      const key = context.unique("key");
      const headers = { ...context.server(), "idempotency-key": key };
      const first = await context.call("POST", "/v1/users", { headers, body: { externalId } });
      context.expectStatus(first, 201);
      const second = await context.call("POST", "/v1/users", { headers, body: { externalId } });
      context.expectStatus(second, 201);
      context.check(
        second.body.id === first.body.id && second.headers.get("idempotent-replayed") === "true",
        "the replay has the first body and Idempotent-Replayed: true",
        second,
      );
      const reused = await context.call("POST", "/v1/users", {
        headers,
        body: { externalId: context.unique("other") },
      });
      context.expectStatus(reused, 422, "IDEMPOTENCY_KEY_REUSED");
    },
  },
  {
    id: "idempotency.failure-not-kept",
    title: "a failed write does not use up its Idempotency-Key",
    async run(context) {
      const headers = { ...context.server(), "idempotency-key": context.unique("key") };
      const bad = await context.call("POST", "/v1/users", { headers, body: { labels: "x" } });
      context.expectStatus(bad, 400, "VALIDATION_FAILED");
      const fixed = await context.call("POST", "/v1/users", { headers, body: { labels: ["x"] } });
      context.expectStatus(fixed, 201);
      context.check(
        fixed.headers.get("idempotent-replayed") === null,
        "the corrected write ran",
        fixed,
      );
    },
  },
  {
    id: "idempotency.concurrent",
    title: "50 concurrent requests with one Idempotency-Key have exactly one effect",
    async run(context) {
      const user = await createUser(context);
      const conversation = await serverConversation(context, user.id);
      const headers = { ...context.server(), "idempotency-key": context.unique("key") };
      const replies = await Promise.all(
        Array.from({ length: 50 }, () =>
          context.call("POST", `/v1/conversations/${conversation.id}/messages`, {
            headers,
            body: { text: "only once" },
          }),
        ),
      );
      for (const reply of replies) context.expectStatus(reply, 201);
      const messageIds = new Set(replies.map((reply) => reply.body.message.id));
      const replayed = replies.filter(
        (reply) => reply.headers.get("idempotent-replayed") === "true",
      );
      context.check(
        messageIds.size === 1,
        `all 50 answers carry one message (got ${messageIds.size} ids)`,
      );
      context.check(replayed.length === 49, `49 answers are replays (got ${replayed.length})`);
      const stored = await messageCount(context, conversation.id);
      context.check(stored === 2, `one message and one reply are stored (got ${stored})`);
    },
  },
  {
    id: "identity.sensitive-paths",
    title:
      "sensitivePaths keep declared secrets out of browser answers; the server still sees them",
    async run(context) {
      const { headers, externalId } = await identifiedBrowser(context);
      const reply = await context.call("PATCH", "/v1/identity", {
        headers,
        body: { userMetadata: { nickname: "JJ", ssn: "123-45-6789" }, sensitivePaths: ["/ssn"] },
      });
      context.expectStatus(reply, 200);
      context.check(
        reply.body.userMetadata?.nickname === "JJ" && !("ssn" in (reply.body.userMetadata ?? {})),
        "the browser's answer keeps nickname and drops the declared /ssn",
        reply,
      );
      const bad = await context.call("PATCH", "/v1/identity", {
        headers,
        body: { userMetadata: {}, sensitivePaths: ["ssn"] },
      });
      context.expectStatus(bad, 400, "VALIDATION_FAILED");
      const stored = await context.call("GET", `/v1/users/external/${externalId}`, {
        headers: context.server(),
      });
      context.expectStatus(stored, 200);
      context.check(
        stored.body.userMetadata?.ssn === "123-45-6789",
        "the server (API key) still gets the full metadata",
        stored,
      );
    },
  },
  // --- identity verification
  {
    id: "verification.missing",
    title:
      "with an identity secret, an identify without a credential answers 401 and stores nothing",
    needs: ["identitySecret"],
    async run(context) {
      const { reply, externalId } = await identify(context, {});
      context.expectStatus(reply, 401, "IDENTITY_VERIFICATION_FAILED");
      await expectNoUser(context, externalId);
    },
  },
  {
    id: "verification.user-hash",
    title: "a valid userHash verifies; a forged one answers 401",
    needs: ["identitySecret"],
    async run(context) {
      const externalId = context.unique("verified");
      const good = await identify(
        context,
        { userHash: await signUserHash(secret(context), externalId) },
        externalId,
      );
      context.expectStatus(good.reply, 200);
      const forgedId = context.unique("forged");
      const forged = await identify(
        context,
        { userHash: await signUserHash(`${secret(context)}-forged`, forgedId) },
        forgedId,
      );
      context.expectStatus(forged.reply, 401, "IDENTITY_VERIFICATION_FAILED");
      await expectNoUser(context, forgedId);
    },
  },
  {
    id: "verification.identity-token",
    title: "a valid HS256 identityToken verifies",
    needs: ["identitySecret"],
    async run(context) {
      const externalId = context.unique("verified");
      const token = await signIdentityToken(secret(context), {
        sub: externalId,
        exp: epochSeconds(300),
        iat: epochSeconds(),
      });
      const { reply } = await identify(context, { identityToken: token }, externalId);
      context.expectStatus(reply, 200);
    },
  },
  {
    id: "verification.bad-tokens",
    title: "expired, wrong-subject, alg:none and foreign-key tokens answer 401",
    needs: ["identitySecret"],
    async run(context) {
      const key = secret(context);
      const cases: [string, (sub: string) => Promise<string>][] = [
        ["expired", (sub) => signIdentityToken(key, { sub, exp: epochSeconds(-60) })],
        [
          "wrong subject",
          (sub) => signIdentityToken(key, { sub: `${sub}_other`, exp: epochSeconds(300) }),
        ],
        [
          "alg none",
          (sub) =>
            signIdentityToken(key, { sub, exp: epochSeconds(300) }, { alg: "none", typ: "JWT" }),
        ],
        [
          "signed with another key",
          (sub) => signIdentityToken(`${key}-other`, { sub, exp: epochSeconds(300) }),
        ],
        ["no exp", (sub) => signIdentityToken(key, { sub })],
      ];
      for (const [name, make] of cases) {
        const externalId = context.unique("token");
        const { reply } = await identify(
          context,
          { identityToken: await make(externalId) },
          externalId,
        );
        context.check(
          reply.status === 401 && reply.body?.error?.code === "IDENTITY_VERIFICATION_FAILED",
          `a token ${name} answers 401 IDENTITY_VERIFICATION_FAILED (got ${reply.status})`,
          reply,
        );
        await expectNoUser(context, externalId);
      }
    },
  },
  {
    id: "verification.replay-rechecks",
    title:
      "an idempotent replay with a forged or missing credential answers 401, not the stored result",
    needs: ["identitySecret"],
    async run(context) {
      const externalId = context.unique("replayed");
      const headers = {
        ...(await context.browser(context.visitor())),
        "idempotency-key": context.unique("key"),
      };
      const first = await context.call("POST", "/v1/identity", {
        headers,
        body: { userId: externalId, userHash: await signUserHash(secret(context), externalId) },
      });
      context.expectStatus(first, 200);
      const forged = await context.call("POST", "/v1/identity", {
        headers,
        body: { userId: externalId, userHash: "0".repeat(64) },
      });
      context.expectStatus(forged, 401, "IDENTITY_VERIFICATION_FAILED");
      const missing = await context.call("POST", "/v1/identity", {
        headers,
        body: { userId: externalId },
      });
      context.expectStatus(missing, 401, "IDENTITY_VERIFICATION_FAILED");
    },
  },
  {
    id: "verification.headers",
    title: "an identified browser request without a valid header credential answers 401",
    needs: ["identitySecret"],
    async run(context) {
      const { visitorId, externalId } = await identifiedBrowser(context);
      const unsigned = await context.call("GET", "/v1/conversations", {
        headers: { "x-nametag-visitor-id": visitorId, "x-nametag-user-id": externalId },
      });
      context.expectStatus(unsigned, 401, "IDENTITY_VERIFICATION_FAILED");
      const forged = await context.call("GET", "/v1/conversations", {
        headers: {
          "x-nametag-visitor-id": visitorId,
          "x-nametag-user-id": externalId,
          "x-nametag-user-hash": "0".repeat(64),
        },
      });
      context.expectStatus(forged, 401, "IDENTITY_VERIFICATION_FAILED");
    },
  },
  // --- pagination
  {
    id: "pagination.messages",
    title: "messages page oldest first with limit and cursor; nextCursor is null on the last page",
    async run(context) {
      const user = await createUser(context);
      const conversation = await serverConversation(context, user.id);
      const sent: string[] = [];
      for (const text of ["one", "two", "three"]) {
        const { message, reply } = await sendMessage(context, conversation.id, text);
        sent.push(message.id, reply.id);
      }
      const path = `/v1/conversations/${conversation.id}/messages`;
      const first = await context.call("GET", `${path}?limit=4`, { headers: context.server() });
      context.expectStatus(first, 200);
      context.check(
        JSON.stringify(ids(first, "messages")) === JSON.stringify(sent.slice(0, 4)) &&
          typeof first.body.nextCursor === "string",
        "the first page has the 4 oldest messages and a nextCursor",
        first,
      );
      const second = await context.call(
        "GET",
        `${path}?limit=4&cursor=${encodeURIComponent(first.body.nextCursor)}`,
        { headers: context.server() },
      );
      context.expectStatus(second, 200);
      context.check(
        JSON.stringify(ids(second, "messages")) === JSON.stringify(sent.slice(4)) &&
          second.body.nextCursor === null,
        "the second page has the 2 newest and nextCursor null",
        second,
      );
    },
  },
  {
    id: "pagination.conversations",
    title: `conversations page newest first; ${DEFAULT_PAGE_LIMIT} by default`,
    async run(context) {
      const externalId = context.unique("user");
      const user = await createUser(context, { externalId });
      const created: string[] = [];
      for (let index = 0; index < 3; index += 1)
        created.push((await serverConversation(context, user.id)).id);
      const newestFirst = [...created].reverse();
      const all = await context.call("GET", `/v1/users/${user.id}/conversations`, {
        headers: context.server(),
      });
      context.expectStatus(all, 200);
      context.check(
        JSON.stringify(ids(all, "conversations")) === JSON.stringify(newestFirst) &&
          all.body.nextCursor === null,
        "without limit, all 3 newest first and nextCursor null",
        all,
      );
      const first = await context.call(
        "GET",
        `/v1/users/external/${externalId}/conversations?limit=2`,
        {
          headers: context.server(),
        },
      );
      context.expectStatus(first, 200);
      const second = await context.call(
        "GET",
        `/v1/users/external/${externalId}/conversations?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
        { headers: context.server() },
      );
      context.expectStatus(second, 200);
      context.check(
        JSON.stringify([...ids(first, "conversations"), ...ids(second, "conversations")]) ===
          JSON.stringify(newestFirst) && second.body.nextCursor === null,
        "two pages of limit 2 hold the 3 conversations once each",
        second,
      );
    },
  },
  {
    id: "pagination.invalid",
    title: "a limit outside 1-100, a malformed cursor and another list's cursor answer 400",
    async run(context) {
      const user = await createUser(context);
      const first = await serverConversation(context, user.id);
      const second = await serverConversation(context, user.id);
      for (const text of ["a", "b"]) await sendMessage(context, first.id, text);
      const page = await context.call("GET", `/v1/conversations/${first.id}/messages?limit=1`, {
        headers: context.server(),
      });
      context.expectStatus(page, 200);
      const cursor = encodeURIComponent(page.body.nextCursor);
      for (const query of [
        "limit=0",
        "limit=101",
        "limit=ten",
        "limit=2.5",
        "cursor=%21%21not-a-cursor",
      ]) {
        const reply = await context.call("GET", `/v1/conversations/${first.id}/messages?${query}`, {
          headers: context.server(),
        });
        context.expectStatus(reply, 400, "VALIDATION_FAILED");
      }
      const foreign = await context.call(
        "GET",
        `/v1/conversations/${second.id}/messages?cursor=${cursor}`,
        {
          headers: context.server(),
        },
      );
      context.expectStatus(foreign, 400, "VALIDATION_FAILED");
      const other = await context.call(
        "GET",
        `/v1/users/${user.id}/conversations?cursor=${cursor}`,
        {
          headers: context.server(),
        },
      );
      context.expectStatus(other, 400, "VALIDATION_FAILED");
    },
  },
  // --- contacts and attributes
  {
    id: "contacts.attributes",
    title: "an attribute is defined once (201, then 200) and its type never changes (409)",
    async run(context) {
      const name = context.unique("plan");
      const defined = await context.call("POST", "/v1/attributes", {
        headers: context.server(),
        body: { name, type: "text" },
      });
      context.expectStatus(defined, 201);
      const again = await context.call("POST", "/v1/attributes", {
        headers: context.server(),
        body: { name, type: "text" },
      });
      context.expectStatus(again, 200);
      const changed = await context.call("POST", "/v1/attributes", {
        headers: context.server(),
        body: { name, type: "number" },
      });
      context.expectStatus(changed, 409, "ATTRIBUTE_TYPE_IMMUTABLE");
      const list = await context.call("GET", "/v1/attributes", { headers: context.server() });
      context.expectStatus(list, 200);
      context.check(
        (list.body.attributes as { name: string }[]).some((item) => item.name === name),
        "GET /v1/attributes lists it",
        list,
      );
    },
  },
  {
    id: "contacts.upsert",
    title: "contacts upsert by external_id, all or nothing, typed by their attributes",
    async run(context) {
      const seats = context.unique("seats");
      const defined = await context.call("POST", "/v1/attributes", {
        headers: context.server(),
        body: { name: seats, type: "number" },
      });
      context.expectStatus(defined, 201);
      const externalId = context.unique("contact");
      const stored = await context.call("POST", "/v1/contacts", {
        headers: context.server(),
        body: {
          users: [
            { external_id: externalId, email: "c@example.com", custom_attributes: { [seats]: 5 } },
          ],
        },
      });
      context.expectStatus(stored, 200);
      context.check(
        stored.body.created === 1 && stored.body.updated === 0,
        "created 1, updated 0",
        stored,
      );
      const read = await context.call("GET", `/v1/contacts/${externalId}`, {
        headers: context.server(),
      });
      context.expectStatus(read, 200);
      context.check(
        read.body.custom_attributes?.[seats] === 5,
        "the contact holds its attribute",
        read,
      );
      const otherId = context.unique("contact");
      const mismatch = await context.call("POST", "/v1/contacts", {
        headers: context.server(),
        body: {
          users: [
            { external_id: otherId },
            { external_id: externalId, custom_attributes: { [seats]: "five" } },
          ],
        },
      });
      context.expectStatus(mismatch, 422, "ATTRIBUTE_TYPE_MISMATCH");
      const missing = await context.call("GET", `/v1/contacts/${otherId}`, {
        headers: context.server(),
      });
      context.expectStatus(missing, 404, "NOT_FOUND");
      const unknown = await context.call("POST", "/v1/contacts", {
        headers: context.server(),
        body: {
          users: [
            { external_id: otherId, custom_attributes: { [context.unique("undefined")]: 1 } },
          ],
        },
      });
      context.expectStatus(unknown, 422, "UNKNOWN_ATTRIBUTE");
      const tooMany = await context.call("POST", "/v1/contacts", {
        headers: context.server(),
        body: {
          users: Array.from({ length: MAX_CONTACTS_PER_UPSERT + 1 }, (_, index) => ({
            external_id: `${otherId}_${index}`,
          })),
        },
      });
      context.expectStatus(tooMany, 422, "TOO_MANY_CONTACTS");
    },
  },
  // --- rate limiting
  {
    id: "rate-limit.retry-after",
    title: "over the rate limit answers 429 RATE_LIMITED with Retry-After in whole seconds",
    needs: ["rateLimit"],
    async run(context) {
      const limit = context.options.rateLimit?.limit ?? 0;
      const headers = await context.browser(context.visitor());
      let limited: Reply | undefined;
      for (let sent = 0; sent <= limit && !limited; sent += 50) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(50, limit + 1 - sent) }, () =>
            context.call("GET", "/v1/conversations", { headers }),
          ),
        );
        limited = batch.find((reply) => reply.status === 429);
      }
      if (!limited) {
        context.check(false, `request ${limit + 1} of one caller is refused with 429`);
        return;
      }
      context.expectStatus(limited, 429, "RATE_LIMITED");
      const retryAfter = limited.headers.get("retry-after") ?? "";
      context.check(
        /^[1-9]\d*$/.test(retryAfter),
        "Retry-After is a whole number of seconds ≥ 1",
        limited,
      );
    },
  },
  // --- CORS
  {
    id: "cors.allowed-origin",
    title: "an allowed origin's preflight and answers carry the CORS headers the SDK needs",
    async run(context) {
      const origin = context.options.corsOrigin ?? "http://localhost:5173";
      const preflight = await context.call("OPTIONS", "/v1/identity", {
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type, x-nametag-visitor-id, idempotency-key",
        },
      });
      context.check(
        preflight.status >= 200 && preflight.status < 300,
        "the preflight succeeds",
        preflight,
      );
      context.check(
        preflight.headers.get("access-control-allow-origin") === origin,
        "Access-Control-Allow-Origin is the allowed origin",
        preflight,
      );
      const allowed = (preflight.headers.get("access-control-allow-headers") ?? "").toLowerCase();
      context.check(
        ["x-nametag-visitor-id", "idempotency-key", "content-type"].every((name) =>
          allowed.includes(name),
        ),
        "Access-Control-Allow-Headers covers the SDK's headers",
        preflight,
      );
      const answer = await context.call("GET", "/v1/conversations", {
        headers: { origin, ...(await context.browser(context.visitor())) },
      });
      context.expectStatus(answer, 200);
      context.check(
        (answer.headers.get("access-control-expose-headers") ?? "")
          .toLowerCase()
          .includes("x-request-id"),
        "x-request-id is exposed to the page",
        answer,
      );
    },
  },
  {
    id: "cors.disallowed-origin",
    title: "another origin gets no Access-Control-Allow-Origin, in a preflight or an answer",
    async run(context) {
      const origin = context.options.disallowedOrigin ?? "https://attacker.example";
      const preflight = await context.call("OPTIONS", "/v1/conversations", {
        headers: {
          origin,
          "access-control-request-method": "GET",
          "access-control-request-headers": "x-nametag-visitor-id",
        },
      });
      const allowOrigin = preflight.headers.get("access-control-allow-origin");
      context.check(
        allowOrigin === null,
        `the preflight allows no origin (got ${JSON.stringify(allowOrigin)})`,
        preflight,
      );
      const answer = await context.call("GET", "/v1/conversations", {
        headers: { origin, ...(await context.browser(context.visitor())) },
      });
      context.check(
        answer.headers.get("access-control-allow-origin") === null,
        "the answer carries no Access-Control-Allow-Origin",
        answer,
      );
    },
  },
];
