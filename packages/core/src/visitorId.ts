import { DEV, fail } from "./errors";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
const RANDOM_LENGTH = 16;
// 252 is the largest multiple of 36 below 256: bytes at or above it are redrawn, so every
// character is equally likely (no modulo bias).
const UNBIASED_LIMIT = 252;

function getRandomBytes(length: number): Uint8Array {
  const crypto = globalThis.crypto;
  if (!crypto || typeof crypto.getRandomValues !== "function") {
    throw fail(
      "UNSUPPORTED_ENVIRONMENT",
      DEV &&
        "crypto.getRandomValues is not available, so a visitor id cannot be created safely. Run on Node 20+ or a modern browser.",
    );
  }
  return crypto.getRandomValues(new Uint8Array(length));
}

/** A new visitor id in Ansa's format, `v_<epoch ms>_<16 random base36 chars>`. */
export function createVisitorId(now: number = Date.now()): string {
  let random = "";
  while (random.length < RANDOM_LENGTH) {
    for (const byte of getRandomBytes(RANDOM_LENGTH)) {
      if (byte < UNBIASED_LIMIT && random.length < RANDOM_LENGTH) random += ALPHABET[byte % 36];
    }
  }
  return `v_${Math.max(0, Math.floor(now))}_${random}`;
}

/** A random key for one logical write (`Idempotency-Key`). */
export function createIdempotencyKey(): string {
  const crypto = globalThis.crypto;
  if (crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const hex = Array.from(getRandomBytes(16), (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
