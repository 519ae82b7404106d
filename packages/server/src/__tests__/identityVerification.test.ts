// signIdentity's credentials against a mock backend that verifies identities with the same secret.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Nametag, signIdentity } from "../index";
import { API_KEY, API_URL, JANE, useMockBackend } from "./mockBackend";

const SECRET = "identity-secret-for-tests";
const { browserCall, backend } = useMockBackend({ identitySecret: SECRET });

let visitorCounter = 0;
function identify(body: Record<string, unknown>) {
  visitorCounter += 1;
  return browserCall(
    "POST",
    "/v1/identity",
    {
      "x-nametag-visitor-id": `v_1700000000000_verify${visitorCounter}`,
      "idempotency-key": randomUUID(),
    },
    body,
  );
}

/**
 * Changes the first character of the token's signature. (Not the last: a 32-byte signature's
 * last base64url character carries 2 unused bits, so changing it may decode to the same bytes.)
 */
function tamperSignature(token: string): string {
  const start = token.lastIndexOf(".") + 1;
  const first = token[start];
  return token.slice(0, start) + (first === "A" ? "B" : "A") + token.slice(start + 1);
}

describe("a signed identity", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is accepted as userHash and as identityToken by a backend with the same secret", async () => {
    const { userHash, identityToken } = await signIdentity({ userId: JANE.userId }, SECRET);
    await expect(identify({ ...JANE, userHash })).resolves.toMatchObject({ status: 200 });
    await expect(identify({ ...JANE, identityToken })).resolves.toMatchObject({ status: 200 });
    await expect(identify({ ...JANE, userHash, identityToken })).resolves.toMatchObject({
      status: 200,
    });
    expect(backend.store.findUserByExternalId(JANE.userId)).toBeDefined();
  });

  it("works through nametag.signIdentity with the identitySecret option, and on later browser requests", async () => {
    const nametag = new Nametag({ apiUrl: API_URL, apiKey: API_KEY, identitySecret: SECRET });
    const { identityToken } = await nametag.signIdentity({ userId: JANE.userId });
    const headers = {
      "x-nametag-visitor-id": "v_1700000000000_verifyx",
      "x-nametag-user-id": JANE.userId,
      "x-nametag-identity-token": identityToken,
    };
    await expect(
      browserCall(
        "POST",
        "/v1/identity",
        { ...headers, "idempotency-key": randomUUID() },
        { ...JANE, identityToken },
      ),
    ).resolves.toMatchObject({ status: 200 });
    await expect(browserCall("POST", "/v1/conversations", headers, {})).resolves.toMatchObject({
      status: 201,
    });
  });

  it("is rejected without a credential", async () => {
    await expect(identify(JANE)).resolves.toMatchObject({
      status: 401,
      body: { error: { code: "IDENTITY_VERIFICATION_FAILED" } },
    });
  });

  it("is rejected when tampered with", async () => {
    const { userHash, identityToken } = await signIdentity({ userId: JANE.userId }, SECRET);
    const [header, , signature] = identityToken.split(".");
    const forgedClaims = Buffer.from(
      JSON.stringify({ sub: "user_omar", iat: 1, exp: 4102444800 }),
    ).toString("base64url");
    const rejected = { status: 401, body: { error: { code: "IDENTITY_VERIFICATION_FAILED" } } };
    await expect(
      identify({ ...JANE, identityToken: tamperSignature(identityToken) }),
    ).resolves.toMatchObject(rejected);
    await expect(
      identify({
        ...JANE,
        userId: "user_omar",
        identityToken: `${header}.${forgedClaims}.${signature}`,
      }),
    ).resolves.toMatchObject(rejected);
    await expect(
      identify({ ...JANE, userHash: userHash.replace(/.$/, (c) => (c === "0" ? "1" : "0")) }),
    ).resolves.toMatchObject(rejected);
    // A valid credential for Jane does not identify Omar.
    await expect(identify({ ...JANE, userId: "user_omar", userHash })).resolves.toMatchObject(
      rejected,
    );
    expect(backend.store.findUserByExternalId("user_omar")).toBeUndefined();
  });

  it("is rejected once expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() - 2 * 3600 * 1000);
    const { identityToken } = await signIdentity({ userId: JANE.userId, expiresIn: 3600 }, SECRET);
    vi.useRealTimers();
    await expect(identify({ ...JANE, identityToken })).resolves.toMatchObject({
      status: 401,
      body: { error: { code: "IDENTITY_VERIFICATION_FAILED" } },
    });
  });

  it("is rejected when signed with another secret", async () => {
    const { userHash, identityToken } = await signIdentity(
      { userId: JANE.userId },
      "some-other-secret",
    );
    await expect(identify({ ...JANE, userHash })).resolves.toMatchObject({ status: 401 });
    await expect(identify({ ...JANE, identityToken })).resolves.toMatchObject({ status: 401 });
    expect(backend.store.findUserByExternalId(JANE.userId)).toBeUndefined();
  });
});
