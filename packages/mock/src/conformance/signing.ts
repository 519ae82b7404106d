/**
 * Signing helpers for the conformance suite, written with Web Crypto only and independently of
 * the mock's verifier, so the suite checks a backend instead of agreeing with itself.
 */

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const encoder = new TextEncoder();

async function hmac(secret: string, data: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(data)));
}

/** Lowercase hex HMAC-SHA256(secret, userId). */
export async function signUserHash(secret: string, userId: string): Promise<string> {
  return [...(await hmac(secret, userId))]
    .map((byte) => byte.toString(16).padStart(2, "0"))
    .join("");
}

/** A JWT with the given header and claims, HMAC-SHA256-signed (or unsigned for `alg: none`). */
export async function signIdentityToken(
  secret: string,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: "HS256", typ: "JWT" },
): Promise<string> {
  const input = `${base64Url(encoder.encode(JSON.stringify(header)))}.${base64Url(encoder.encode(JSON.stringify(claims)))}`;
  if (header.alg === "none") return `${input}.`;
  return `${input}.${base64Url(await hmac(secret, input))}`;
}

/** Seconds since the epoch, `offset` seconds from now. */
export const epochSeconds = (offset = 0) => Math.floor(Date.now() / 1000) + offset;
