import { describe, expect } from "vitest";
import type { Case } from "./harness";
import { JANE, TRANSPORTS, VISITOR, browser, proxy, runCases, useTarget } from "./harness";
import { identityToken, inSeconds, userHash } from "./signing";

const SECRET = "dev-identity-secret";
const validToken = () =>
  identityToken(SECRET, { sub: "user_jane", iat: inSeconds(0), exp: inSeconds(3600) });

function tamper(token: string): string {
  const [header, , signature] = token.split(".");
  const claims = Buffer.from(JSON.stringify({ sub: "user_omar", exp: inSeconds(3600) })).toString(
    "base64url",
  );
  return `${header}.${claims}.${signature}`;
}

const linkWith =
  (extra: Record<string, unknown>, headers: Record<string, string> = browser()): Case["request"] =>
  () => ({ method: "POST", path: "/v1/identity", headers, body: { ...JANE, ...extra } });

const cases: Case[] = [
  {
    name: "a valid userHash links",
    request: linkWith({ userHash: userHash(SECRET, "user_jane") }),
    status: 200,
  },
  {
    name: "a valid identityToken links",
    request: linkWith({ identityToken: validToken() }),
    status: 200,
  },
  {
    name: "credentials in headers work too",
    request: linkWith(
      {},
      browser(VISITOR, "user_jane", { "x-nametag-user-hash": userHash(SECRET, "user_jane") }),
    ),
    status: 200,
  },
  {
    name: "no credential is refused and nothing is stored",
    request: linkWith({}),
    status: 401,
    code: "IDENTITY_VERIFICATION_FAILED",
    check: (_reply, _vars, target) => expect(target.backend.store.users).toHaveLength(0),
  },
  {
    name: "a userHash of another userId is refused",
    request: linkWith({ userHash: userHash(SECRET, "user_omar") }),
    status: 401,
    code: "IDENTITY_VERIFICATION_FAILED",
  },
  {
    name: "a userHash signed with another secret is refused",
    request: linkWith({ userHash: userHash("another-secret", "user_jane") }),
    status: 401,
    code: "IDENTITY_VERIFICATION_FAILED",
  },
  {
    name: "an upper-case or truncated userHash is refused",
    request: linkWith({ userHash: userHash(SECRET, "user_jane").toUpperCase().slice(0, 40) }),
    status: 401,
    code: "IDENTITY_VERIFICATION_FAILED",
  },
  {
    name: "a tampered token is refused",
    request: linkWith({ identityToken: tamper(validToken()) }),
    status: 401,
    code: "IDENTITY_VERIFICATION_FAILED",
  },
  {
    name: "an expired token is refused",
    request: linkWith({
      identityToken: identityToken(SECRET, { sub: "user_jane", exp: inSeconds(-10) }),
    }),
    status: 401,
    code: "IDENTITY_VERIFICATION_FAILED",
  },
  {
    name: "a token without exp is refused",
    request: linkWith({ identityToken: identityToken(SECRET, { sub: "user_jane" }) }),
    status: 401,
    code: "IDENTITY_VERIFICATION_FAILED",
  },
  {
    name: "a token signed with another secret is refused",
    request: linkWith({
      identityToken: identityToken("another-secret", { sub: "user_jane", exp: inSeconds(60) }),
    }),
    status: 401,
    code: "IDENTITY_VERIFICATION_FAILED",
  },
  {
    name: "a token for another sub is refused",
    request: linkWith({
      identityToken: identityToken(SECRET, { sub: "user_omar", exp: inSeconds(60) }),
    }),
    status: 401,
    code: "IDENTITY_VERIFICATION_FAILED",
  },
  {
    name: "an alg other than HS256 is refused",
    request: linkWith({
      identityToken: identityToken(
        SECRET,
        { sub: "user_jane", exp: inSeconds(60) },
        { alg: "none", typ: "JWT" },
      ),
    }),
    status: 401,
    code: "IDENTITY_VERIFICATION_FAILED",
  },
  {
    name: "garbage instead of a token is refused",
    request: linkWith({ identityToken: "not.a.jwt!" }),
    status: 401,
    code: "IDENTITY_VERIFICATION_FAILED",
  },
  {
    name: "a valid hash next to a forged token is refused",
    request: linkWith({
      userHash: userHash(SECRET, "user_jane"),
      identityToken: tamper(validToken()),
    }),
    status: 401,
    code: "IDENTITY_VERIFICATION_FAILED",
  },
  {
    name: "a host proxy with the API key needs no credential",
    request: linkWith({}, proxy()),
    status: 200,
  },
  {
    name: "conversation requests of an identified browser verify too",
    setup: async (target) => {
      await target.call("POST", "/v1/identity", {
        headers: browser(),
        body: { ...JANE, userHash: userHash(SECRET, "user_jane") },
      });
      return {};
    },
    request: () => ({
      method: "GET",
      path: "/v1/conversations",
      headers: browser(VISITOR, "user_jane"),
    }),
    status: 401,
    code: "IDENTITY_VERIFICATION_FAILED",
  },
  {
    name: "and pass with the credential header",
    request: () => ({
      method: "POST",
      path: "/v1/conversations",
      headers: browser(VISITOR, "user_jane", { "x-nametag-identity-token": validToken() }),
      body: {},
    }),
    status: 201,
  },
];

describe.each(TRANSPORTS)("identity verification over %s", (transport) => {
  const target = useTarget(transport, { identitySecret: SECRET });
  runCases(target, cases);
});
