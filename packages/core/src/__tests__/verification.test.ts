import { createHmac } from "node:crypto";
import { createMockBackend } from "@nametag/mock";
import { describe, expect, it, vi } from "vitest";
import { createNametag } from "../createNametag";
import type { NametagError } from "../errors";
import {
  IDENTITY_SECRET,
  JANE,
  VERIFIED_API_URL,
  linkRequests,
  server,
  until,
  verifyingBackend,
} from "./setup";

const userHash = (userId: string, secret = IDENTITY_SECRET) =>
  createHmac("sha256", secret).update(userId).digest("hex");

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString("base64url");
}

function identityToken(
  userId: string,
  secret = IDENTITY_SECRET,
  expiresInS = 600,
  nowMs = Date.now(),
): string {
  const now = Math.floor(nowMs / 1000);
  const head = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify({ sub: userId, iat: now, exp: now + expiresInS }))}`;
  return `${head}.${createHmac("sha256", secret).update(head).digest("base64url")}`;
}

const client = (
  options: Parameters<typeof createNametag>[0] extends infer T ? Partial<T> : never = {},
) => createNametag({ apiUrl: VERIFIED_API_URL, persistence: "memory", retry: false, ...options });

describe("identity verification", () => {
  it("identifies with a valid userHash, and with a valid identityToken", async () => {
    const withHash = client();
    await withHash.identify({ ...JANE, userHash: userHash("user_jane") });
    expect(withHash.getIdentity().status).toBe("identified");
    const withToken = client();
    await withToken.identify({ userId: "user_omar", identityToken: identityToken("user_omar") });
    expect(withToken.getIdentity().status).toBe("identified");
    // The credential travels with later requests, so the backend lets the user in.
    await expect(withToken.conversations.create()).resolves.toMatchObject({ agent: "support" });
  });

  it("re-identifying the same user with new metadata keeps the credential it proved itself with", async () => {
    const nametag = client({ initialIdentity: { ...JANE, userHash: userHash("user_jane") } });
    nametag.mount();
    await until(() => linkRequests(verifyingBackend).length === 1, "the bootstrap link");
    await nametag.syncAuth({ ...JANE, userMetadata: { ...JANE.userMetadata, plan: "pro" } });
    expect(linkRequests(verifyingBackend).map((entry) => entry.status)).toEqual([200, 200]);
    expect(nametag.getIdentity()).toMatchObject({
      status: "identified",
      userMetadata: { plan: "pro" },
    });
    nametag.destroy();
  });

  it("an unsigned identify emits verificationFailed and the client stays anonymous", async () => {
    const nametag = client();
    const visitor = nametag.getVisitorId();
    const failed: NametagError[] = [];
    const errors = vi.fn();
    nametag.on("verificationFailed", (error) => failed.push(error));
    nametag.on("error", errors);
    await nametag.identify(JANE);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ code: "IDENTITY_VERIFICATION_FAILED", status: 401 });
    expect(errors).toHaveBeenCalledTimes(1);
    expect(nametag.getIdentity()).toMatchObject({
      status: "anonymous",
      userId: null,
      visitorId: visitor,
    });
    expect(verifyingBackend.store.findUserByExternalId("user_jane")).toBeUndefined();
  });

  it("on a 401, getIdentityToken is called once more and the link retried once", async () => {
    const getIdentityToken = vi
      .fn<(userId: string) => Promise<string | { userHash?: string }>>()
      .mockResolvedValueOnce(identityToken("user_jane", "stale-secret"))
      .mockResolvedValueOnce({ userHash: userHash("user_jane") });
    const nametag = client({ getIdentityToken });
    await nametag.identify(JANE);
    expect(getIdentityToken).toHaveBeenCalledTimes(2);
    expect(getIdentityToken).toHaveBeenCalledWith("user_jane");
    expect(linkRequests(verifyingBackend).map((entry) => entry.status)).toEqual([401, 200]);
    expect(nametag.getIdentity().status).toBe("identified");
  });

  it("gives up after the one retry", async () => {
    const getIdentityToken = vi.fn(async () => identityToken("user_jane", "wrong"));
    const failed = vi.fn();
    const nametag = client({ getIdentityToken });
    nametag.on("verificationFailed", failed);
    await nametag.identify(JANE);
    expect(getIdentityToken).toHaveBeenCalledTimes(2);
    expect(linkRequests(verifyingBackend)).toHaveLength(2);
    expect(failed).toHaveBeenCalledTimes(1);
    expect(nametag.getIdentity().status).toBe("anonymous");
  });

  it("a getIdentityToken that throws is reported as IDENTITY_TOKEN_UNAVAILABLE", async () => {
    const onError = vi.fn();
    const nametag = client({
      getIdentityToken: async () => Promise.reject(new Error("session expired")),
      onError,
    });
    await nametag.identify(JANE);
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: "IDENTITY_TOKEN_UNAVAILABLE" });
    expect(linkRequests(verifyingBackend)).toHaveLength(0);
    expect(nametag.getIdentity().status).toBe("anonymous");
  });

  it("refreshes the credential once when a later request answers 401 (expired token)", async () => {
    let clock = Date.now();
    const timed = createMockBackend({
      baseUrl: "http://timed.nametag.test",
      identitySecret: IDENTITY_SECRET,
      now: () => clock,
    });
    server.use(...timed.handlers);
    const getIdentityToken = vi.fn(async (userId: string) =>
      identityToken(userId, IDENTITY_SECRET, 60, clock),
    );
    const nametag = createNametag({
      apiUrl: "http://timed.nametag.test",
      persistence: "memory",
      retry: false,
      getIdentityToken,
    });
    await nametag.identify(JANE);
    expect(getIdentityToken).toHaveBeenCalledTimes(1);
    clock += 120_000; // the first token has expired
    await expect(nametag.conversations.list()).resolves.toEqual({ data: [], nextCursor: null });
    expect(getIdentityToken).toHaveBeenCalledTimes(2);
    expect(
      timed.requests().map((entry) => `${entry.method} ${entry.path} ${entry.status}`),
    ).toEqual(["POST /v1/identity 200", "GET /v1/conversations 401", "GET /v1/conversations 200"]);
  });

  it("an identify without any credential and no getIdentityToken sends none", async () => {
    const seen: Array<string | null> = [];
    server.events.on("request:start", ({ request }) =>
      seen.push(request.headers.get("x-nametag-identity-token")),
    );
    await client().identify(JANE);
    server.events.removeAllListeners();
    expect(seen).toEqual([null]);
  });
});
