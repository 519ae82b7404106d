import { signIdentity } from "@nametag/server";
import { describe, expect, it, vi } from "vitest";
import { getNametagBootstrap } from "../server";
import { jane } from "./support/sessions";

const SECRET = "bootstrap-secret";
const EXPIRES = "2999-01-01T00:00:00.000Z";

/** next-auth v5: `const { auth } = NextAuth(config)`; `auth()` resolves the session. */
const v5Auth = async () => ({ user: { ...jane, image: null }, expires: EXPIRES });

/** next-auth v4: the app wraps `getServerSession(authOptions)`. */
const getServerSession = vi.fn(async (_authOptions: object) => ({
  user: { ...jane },
  expires: EXPIRES,
}));
const authOptions = { providers: [] };
const v4Auth = () => getServerSession(authOptions);

describe("getNametagBootstrap", () => {
  it.each([
    ["v5 auth()", v5Auth],
    ["v4 getServerSession wrapper", v4Auth],
  ])("reads the session through %s and signs a credential for it", async (_name, auth) => {
    const bootstrap = await getNametagBootstrap({ auth, identitySecret: SECRET });
    const expected = await signIdentity({ userId: "user_jane" }, SECRET);
    expect(bootstrap).toEqual({
      initialIdentity: {
        userId: "user_jane",
        userMetadata: { name: "Jane Smith", email: "jane@example.com" },
      },
      userHash: expected.userHash,
      identityToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    });
    // Serialisable as is: a Server Component passes it to a Client Component.
    expect(JSON.parse(JSON.stringify(bootstrap))).toEqual(bootstrap);
  });

  it("returns null when nobody is signed in, or the session has no user id", async () => {
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(await getNametagBootstrap({ auth: async () => null })).toBeNull();
    expect(
      await getNametagBootstrap({ auth: async () => ({ user: { email: "jane@example.com" } }) }),
    ).toBeNull();
    expect(consoleError).toHaveBeenCalledTimes(1);
  });

  it("signs nothing without an identity secret, and reads NAMETAG_IDENTITY_SECRET", async () => {
    vi.stubEnv("NAMETAG_IDENTITY_SECRET", "");
    const unsigned = await getNametagBootstrap({ auth: v5Auth });
    expect(unsigned).not.toHaveProperty("userHash");
    expect(unsigned).not.toHaveProperty("identityToken");

    vi.stubEnv("NAMETAG_IDENTITY_SECRET", SECRET);
    const signed = await getNametagBootstrap({ auth: v5Auth });
    expect(signed?.userHash).toBe((await signIdentity({ userId: "user_jane" }, SECRET)).userHash);
  });

  it("keeps sensitive metadata out of what is serialised into the page", async () => {
    const bootstrap = await getNametagBootstrap({
      auth: v5Auth,
      identitySecret: SECRET,
      sensitiveKeys: ["company"],
      mapSession: (session) => ({
        userId: session.user?.id as string,
        userMetadata: {
          name: session.user?.name,
          plan: "enterprise",
          company: "Acme Inc",
          authToken: "demo-jane-auth-token-7f3a",
          nested: { apiKey: "k", ok: true },
        },
        labels: ["vip"],
      }),
    });
    expect(bootstrap?.initialIdentity).toEqual({
      userId: "user_jane",
      userMetadata: { name: "Jane Smith", plan: "enterprise", nested: { ok: true } },
      labels: ["vip"],
    });
    expect(JSON.stringify(bootstrap)).not.toContain("demo-jane-auth-token-7f3a");
  });
});
