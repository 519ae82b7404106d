/**
 * Identity verification with Web Crypto only (runs in Node, browsers and MSW's worker):
 * `userHash` = lowercase hex HMAC-SHA256(secret, userId); `identityToken` = HS256 JWT with
 * `sub` = userId and an `exp` in the future.
 */

export interface IdentityCredentials {
  userHash?: string | null;
  identityToken?: string | null;
}

const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    keyCache.set(secret, key);
  }
  return key;
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index += 1)
    bytes[index] = parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return bytes;
}

function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const base64 =
    text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  try {
    const binary = atob(base64);
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function parseJsonSegment(segment: string): Record<string, unknown> | undefined {
  const bytes = base64UrlToBytes(segment);
  if (!bytes) return undefined;
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** True when `userHash` is the lowercase hex HMAC-SHA256 of `userId` under `secret` (constant time). */
export async function verifyUserHash(
  secret: string,
  userId: string,
  userHash: string,
): Promise<boolean> {
  const signature = hexToBytes(userHash);
  if (!signature || signature.length !== 32) return false;
  return crypto.subtle.verify(
    "HMAC",
    await hmacKey(secret),
    signature,
    new TextEncoder().encode(userId),
  );
}

/** True when `token` is an HS256 JWT signed with `secret`, `sub === userId` and not expired. */
export async function verifyIdentityToken(
  secret: string,
  userId: string,
  token: string,
  nowMs: number,
): Promise<boolean> {
  const parts = token.split(".");
  if (parts.length !== 3) return false;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = parseJsonSegment(headerPart);
  const claims = parseJsonSegment(payloadPart);
  const signature = base64UrlToBytes(signaturePart);
  // Only HS256: accepting the header's choice of algorithm is the classic JWT "alg: none" hole.
  if (!header || header.alg !== "HS256" || !claims || !signature) return false;
  const valid = await crypto.subtle.verify(
    "HMAC",
    await hmacKey(secret),
    signature,
    new TextEncoder().encode(`${headerPart}.${payloadPart}`),
  );
  if (!valid) return false;
  if (claims.sub !== userId) return false;
  return typeof claims.exp === "number" && claims.exp * 1000 > nowMs;
}

/**
 * True when at least one credential is given and every given credential is valid for `userId`
 * (a valid hash next to a forged token still fails: the safer reading).
 */
export async function verifyCredentials(
  secret: string,
  userId: string,
  credentials: IdentityCredentials,
  nowMs: number,
): Promise<boolean> {
  const { userHash, identityToken } = credentials;
  if (!userHash && !identityToken) return false;
  if (userHash && !(await verifyUserHash(secret, userId, userHash))) return false;
  if (identityToken && !(await verifyIdentityToken(secret, userId, identityToken, nowMs)))
    return false;
  return true;
}
