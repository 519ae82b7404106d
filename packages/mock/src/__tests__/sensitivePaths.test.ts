// Secrets the host declared stay out of the agent: `sensitivePaths` on identify and metadata
// updates are removed from the agent's context, from the PATCH answer and from every answer a
// browser or proxy receives; server-scope reads keep the full metadata (HTTP tools need it).
import { MAX_SENSITIVE_PATHS } from "@nametag/core";
import { describe, expect, it } from "vitest";
import type { AgentReplyContext } from "../index";
import { browserMetadata, removePaths } from "../sensitivePaths";
import type { Target } from "./harness";
import { TRANSPORTS, VISITOR, browser, proxy, server, useTarget } from "./harness";

const SSN = "123-45-6789";

/** An agent that quotes everything it was given: whatever reaches it shows in the reply. */
const echoAgent = ({ user }: AgentReplyContext) => `I know: ${JSON.stringify(user)}`;

async function identify(target: Target, body: Record<string, unknown>, headers = browser()) {
  return target.call("POST", "/v1/identity", { headers, body: { userId: "user_sam", ...body } });
}

async function say(target: Target, headers: Record<string, string>) {
  const conversation = await target.call("POST", "/v1/conversations", { headers, body: {} });
  expect(conversation.status).toBe(201);
  const sent = await target.call("POST", `/v1/conversations/${conversation.body.id}/messages`, {
    headers,
    body: { text: "What do you know about me?" },
  });
  expect(sent.status).toBe(201);
  return { conversationId: conversation.body.id as string, reply: sent.body.reply.text as string };
}

describe.each(TRANSPORTS)("sensitivePaths over %s", (transport) => {
  const target = useTarget(transport, { agents: { support: echoAgent } });
  const sam = browser(VISITOR, "user_sam");

  it("the agent never sees a declared path, the server still does", async () => {
    const linked = await identify(target, {
      userMetadata: { ssn: SSN, plan: "enterprise" },
      sensitivePaths: ["/ssn"],
    });
    expect(linked.status).toBe(200);
    const { conversationId, reply } = await say(target, sam);
    expect(reply).toBe(`I know: {"userId":"user_sam","userMetadata":{"plan":"enterprise"}}`);
    const messages = await target.call("GET", `/v1/conversations/${conversationId}/messages`, {
      headers: sam,
    });
    expect(JSON.stringify(messages.body)).not.toContain(SSN);
    const full = await target.call("GET", "/v1/users/external/user_sam", { headers: server() });
    expect(full.body.userMetadata).toEqual({ ssn: SSN, plan: "enterprise" });
  });

  it("through a proxy too, and nested and escaped pointers work", async () => {
    const headers = proxy(VISITOR, "user_sam");
    const linked = await identify(
      target,
      {
        userMetadata: { billing: { card: "4242", city: "Oslo" }, "a/b": "slash", "m~n": "tilde" },
        sensitivePaths: ["/billing/card", "/a~1b", "/m~0n"],
      },
      headers,
    );
    expect(linked.status).toBe(200);
    const { reply } = await say(target, headers);
    expect(reply).toBe(`I know: {"userId":"user_sam","userMetadata":{"billing":{"city":"Oslo"}}}`);
  });

  it("the PATCH answer leaves them out, and paths merge across updates", async () => {
    await identify(target, { userMetadata: { ssn: SSN, plan: "pro" }, sensitivePaths: ["/ssn"] });
    const first = await target.call("PATCH", "/v1/identity", {
      headers: sam,
      body: { userMetadata: { pin: "0000", plan: "enterprise" }, sensitivePaths: ["/pin"] },
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ userId: "user_sam", userMetadata: { plan: "enterprise" } });
    // An update that declares nothing keeps what earlier ones declared.
    const second = await target.call("PATCH", "/v1/identity", {
      headers: sam,
      body: { userMetadata: { team: "blue" } },
    });
    expect(second.body).toEqual({
      userId: "user_sam",
      userMetadata: { plan: "enterprise", team: "blue" },
    });
    const user = target.backend.store.findUserByExternalId("user_sam");
    expect(target.backend.store.sensitivePathsOf(user?.id ?? "")).toEqual(["/ssn", "/pin"]);
    expect(user?.userMetadata).toEqual({ ssn: SSN, plan: "enterprise", pin: "0000", team: "blue" });
  });

  it("a path whose value was removed is dropped", async () => {
    await identify(target, {
      userMetadata: { ssn: SSN, pin: "1" },
      sensitivePaths: ["/ssn", "/pin"],
    });
    await target.call("PATCH", "/v1/identity", {
      headers: sam,
      body: { userMetadata: { ssn: null } },
    });
    const user = target.backend.store.findUserByExternalId("user_sam");
    expect(target.backend.store.sensitivePathsOf(user?.id ?? "")).toEqual(["/pin"]);
  });

  it.each([
    ["not an array", "/ssn", "sensitivePaths"],
    ["not a pointer", ["ssn"], "sensitivePaths[0]"],
    ["the root pointer", [""], "sensitivePaths[0]"],
    ["a bad escape", ["/a~2"], "sensitivePaths[0]"],
    ["not a string", [42], "sensitivePaths[0]"],
    [
      "too many",
      Array.from({ length: MAX_SENSITIVE_PATHS + 1 }, (_, i) => `/k${i}`),
      "sensitivePaths",
    ],
  ])("400 VALIDATION_FAILED for %s, and nothing is stored", async (_name, paths, issuePath) => {
    const linked = await identify(target, { userMetadata: { ssn: SSN }, sensitivePaths: paths });
    expect(linked.status).toBe(400);
    expect(linked.body.error.code).toBe("VALIDATION_FAILED");
    expect(linked.body.error.details.issues[0].path).toBe(issuePath);
    expect(target.backend.store.users.length).toBe(0);

    await identify(target, { userMetadata: { plan: "pro" } });
    const patched = await target.call("PATCH", "/v1/identity", {
      headers: sam,
      body: { userMetadata: { ssn: SSN }, sensitivePaths: paths },
    });
    expect(patched.status).toBe(400);
    expect(patched.body.error.code).toBe("VALIDATION_FAILED");
    expect(target.backend.store.findUserByExternalId("user_sam")?.userMetadata).toEqual({
      plan: "pro",
    });
  });

  it("exactly MAX_SENSITIVE_PATHS paths are accepted", async () => {
    const paths = Array.from({ length: MAX_SENSITIVE_PATHS }, (_, i) => `/k${i}`);
    const metadata = Object.fromEntries(paths.map((path) => [path.slice(1), "x"]));
    const linked = await identify(target, { userMetadata: metadata, sensitivePaths: paths });
    expect(linked.status).toBe(200);
    const user = target.backend.store.findUserByExternalId("user_sam");
    expect(target.backend.store.sensitivePathsOf(user?.id ?? "").length).toBe(MAX_SENSITIVE_PATHS);
  });
});

describe("sensitivePaths and the default support agent", () => {
  const target = useTarget("msw");

  it("does not greet by a name the host declared sensitive", async () => {
    await identify(target, {
      userMetadata: { name: "Sam Smith", plan: "enterprise" },
      sensitivePaths: ["/name"],
    });
    const { reply } = await say(target, browser(VISITOR, "user_sam"));
    expect(reply).toBe("Hi there! You're on the enterprise plan. How can I help you today?");
  });
});

describe("removePaths", () => {
  const metadata = {
    ssn: "1",
    accounts: [{ id: "a", pin: "2" }, "3"],
    "": { "~": "4" },
    keep: { ssn: "kept: another key of the same name" },
  };

  it.each([
    ["/ssn", { ...metadata, ssn: undefined }],
    ["/accounts/0/pin", { ...metadata, accounts: [{ id: "a" }, "3"] }],
    ["/accounts/1", { ...metadata, accounts: [{ id: "a", pin: "2" }, null] }],
    ["//~0", { ...metadata, "": {} }],
    ["/accounts/01", metadata],
    ["/accounts/-", metadata],
    ["/missing/deeper", metadata],
    ["/ssn/deeper", metadata],
  ])("%s", (pointer, expected) => {
    const result = removePaths(metadata, [pointer]);
    expect(result).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(metadata.ssn).toBe("1"); // the input is never changed
  });

  it("a __proto__ key is data, and removing it touches no prototype", () => {
    const withProto = JSON.parse('{"__proto__":{"x":"1"},"a":"2"}') as Record<string, unknown>;
    const result = removePaths(withProto, ["/__proto__/x"]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(result).toEqual({ a: "2" });
  });

  it("browserMetadata also runs the default sanitizer", () => {
    expect(browserMetadata({ authToken: "t", ssn: "1", plan: "pro" }, ["/ssn"])).toEqual({
      plan: "pro",
    });
  });
});
