// Tiny signing helpers for the verification tests, written independently of the mock's verifier.
import { createHmac } from "node:crypto";

const base64Url = (input: string | Buffer) => Buffer.from(input).toString("base64url");

export function userHash(secret: string, userId: string): string {
  return createHmac("sha256", secret).update(userId).digest("hex");
}

export function identityToken(
  secret: string,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: "HS256", typ: "JWT" },
): string {
  const signingInput = `${base64Url(JSON.stringify(header))}.${base64Url(JSON.stringify(claims))}`;
  const signature = createHmac("sha256", secret).update(signingInput).digest("base64url");
  return `${signingInput}.${signature}`;
}

export const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;
