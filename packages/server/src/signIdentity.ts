import { NametagError } from "@nametag/core";
import { assertUserId } from "./validate";

/** What `signIdentity()` takes. */
export interface SignIdentityInput {
  /** The host app's id of the signed-in user: the same `userId` the browser passes to `identify()`. */
  userId: string;
  /** Lifetime of `identityToken` in seconds. Default 3600 (one hour). */
  expiresIn?: number;
}

/** The two credentials the backend accepts for a `userId`; the browser needs only one of them. */
export interface SignedIdentity {
  /** Lowercase hex HMAC-SHA256 of `userId` with your identity secret. Never expires. */
  userHash: string;
  /** HS256 JWT with claims `{ sub: userId, iat, exp }`. Expires after `expiresIn` seconds. */
  identityToken: string;
}

export const DEFAULT_IDENTITY_EXPIRES_IN = 3600;

const encoder = new TextEncoder();

/** base64url without padding, from bytes; `btoa` keeps this free of Node's `Buffer` (edge-safe). */
function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

function subtleCrypto(): SubtleCrypto {
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (!subtle) {
    throw new NametagError(
      "INVALID_OPTIONS",
      "signIdentity needs Web Crypto (globalThis.crypto.subtle). Run it on Node 20 or newer, or an edge runtime.",
    );
  }
  return subtle;
}

async function hmacSha256(secret: string, data: string): Promise<Uint8Array> {
  const subtle = subtleCrypto();
  const key = await subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await subtle.sign("HMAC", key, encoder.encode(data)));
}

/**
 * Signs the identity of a user your server has authenticated, so the browser can prove it to a
 * Nametag backend configured with the same identity secret. Call it on the server only: the
 * secret must never reach the browser. Uses Web Crypto, so it runs on Node 20+ and edge runtimes.
 */
export async function signIdentity(
  input: SignIdentityInput,
  secret: string,
): Promise<SignedIdentity> {
  if (typeof input !== "object" || input === null) {
    throw new NametagError(
      "INVALID_ARGUMENT",
      "signIdentity takes { userId, expiresIn? } as its first argument.",
    );
  }
  assertUserId(input.userId, "userId");
  const expiresIn = input.expiresIn ?? DEFAULT_IDENTITY_EXPIRES_IN;
  if (typeof expiresIn !== "number" || !Number.isSafeInteger(expiresIn) || expiresIn <= 0) {
    throw new NametagError(
      "INVALID_ARGUMENT",
      `expiresIn must be a positive whole number of seconds, got ${String(expiresIn)}.`,
      { details: { field: "expiresIn" } },
    );
  }
  if (typeof secret !== "string" || secret === "") {
    throw new NametagError(
      "MISSING_IDENTITY_SECRET",
      "signIdentity needs your identity secret: pass it as the second argument (read it from an environment variable such as NAMETAG_IDENTITY_SECRET, never hard-code it).",
    );
  }

  const issuedAt = Math.floor(Date.now() / 1000);
  const header = base64url(encoder.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
  const claims = base64url(
    encoder.encode(JSON.stringify({ sub: input.userId, iat: issuedAt, exp: issuedAt + expiresIn })),
  );
  const [hash, signature] = await Promise.all([
    hmacSha256(secret, input.userId),
    hmacSha256(secret, `${header}.${claims}`),
  ]);
  return { userHash: toHex(hash), identityToken: `${header}.${claims}.${base64url(signature)}` };
}
