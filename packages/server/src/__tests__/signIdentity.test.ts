import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Nametag, NametagError, signIdentity } from "../index";

const SECRET = "test-identity-secret";

function decodeSegment(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
}

describe("signIdentity", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("returns the lowercase hex HMAC-SHA256 of the userId as userHash", async () => {
    const { userHash } = await signIdentity({ userId: "user_jane" }, SECRET);
    expect(userHash).toBe(createHmac("sha256", SECRET).update("user_jane").digest("hex"));
    expect(userHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("returns an HS256 JWT with sub, iat and exp (one hour by default), base64url without padding", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
    const { identityToken } = await signIdentity({ userId: "user_jane" }, SECRET);
    const [header, claims, signature] = identityToken.split(".");
    expect(identityToken).not.toMatch(/[=+/]/);
    expect(decodeSegment(header!)).toEqual({ alg: "HS256", typ: "JWT" });
    const iat = Date.parse("2030-01-01T00:00:00Z") / 1000;
    expect(decodeSegment(claims!)).toEqual({ sub: "user_jane", iat, exp: iat + 3600 });
    const expected = createHmac("sha256", SECRET).update(`${header}.${claims}`).digest("base64url");
    expect(signature).toBe(expected);
  });

  it("honours expiresIn in seconds", async () => {
    const { identityToken } = await signIdentity({ userId: "user_omar", expiresIn: 60 }, SECRET);
    const claims = decodeSegment(identityToken.split(".")[1]!) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(60);
  });

  it("gives different credentials for another secret", async () => {
    const first = await signIdentity({ userId: "user_jane" }, SECRET);
    const second = await signIdentity({ userId: "user_jane" }, "another-secret");
    expect(second.userHash).not.toBe(first.userHash);
    expect(second.identityToken.split(".")[2]).not.toBe(first.identityToken.split(".")[2]);
  });

  it.each([
    ["jane@example.com"],
    [""],
    ["a".repeat(129)],
    ["undefined"],
    ["null"],
    ["[object Object]"],
    [".."],
  ])("refuses the userId %j with INVALID_USER_ID", async (userId) => {
    await expect(signIdentity({ userId }, SECRET)).rejects.toMatchObject({
      name: "NametagError",
      code: "INVALID_USER_ID",
    });
  });

  it.each([[0], [-5], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY]])(
    "refuses expiresIn %s with INVALID_ARGUMENT",
    async (expiresIn) => {
      await expect(signIdentity({ userId: "user_jane", expiresIn }, SECRET)).rejects.toMatchObject({
        code: "INVALID_ARGUMENT",
      });
    },
  );

  it("refuses a missing input object with INVALID_ARGUMENT", async () => {
    await expect(signIdentity(undefined as never, SECRET)).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });

  it("refuses an empty secret with MISSING_IDENTITY_SECRET", async () => {
    const error = await signIdentity({ userId: "user_jane" }, "").catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(NametagError);
    expect(error).toMatchObject({ code: "MISSING_IDENTITY_SECRET" });
    expect((error as Error).message).toContain("NAMETAG_IDENTITY_SECRET");
  });
});

describe("nametag.signIdentity", () => {
  const apiUrl = "http://127.0.0.1:9/";

  it("signs with the identitySecret option and sends no request", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    const nametag = new Nametag({ apiUrl, apiKey: "key", identitySecret: SECRET, fetch });
    const signed = await nametag.signIdentity({ userId: "user_jane" });
    expect(signed.userHash).toBe(createHmac("sha256", SECRET).update("user_jane").digest("hex"));
    expect(fetch).not.toHaveBeenCalled();
  });

  it("falls back to NAMETAG_IDENTITY_SECRET", async () => {
    vi.stubEnv("NAMETAG_IDENTITY_SECRET", "from-env");
    const nametag = new Nametag({ apiUrl, apiKey: "key" });
    const signed = await nametag.signIdentity({ userId: "user_jane" });
    expect(signed.userHash).toBe(
      createHmac("sha256", "from-env").update("user_jane").digest("hex"),
    );
  });

  it("rejects with MISSING_IDENTITY_SECRET when neither is set", async () => {
    vi.stubEnv("NAMETAG_IDENTITY_SECRET", "");
    const nametag = new Nametag({ apiUrl, apiKey: "key" });
    await expect(nametag.signIdentity({ userId: "user_jane" })).rejects.toMatchObject({
      code: "MISSING_IDENTITY_SECRET",
    });
  });
});
