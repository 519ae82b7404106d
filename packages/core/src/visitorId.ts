import { DEV, fail } from "./errors";

/**
 * `length` random digits in base `radix` (at most 36), from crypto.getRandomValues. A byte at or
 * above the largest multiple of `radix` that fits in a byte is redrawn, so every digit is equally
 * likely (no modulo bias).
 */
function randomDigits(length: number, radix: number): string {
  const crypto = globalThis.crypto;
  if (!crypto || typeof crypto.getRandomValues !== "function") {
    throw fail(
      "UNSUPPORTED_ENVIRONMENT",
      DEV &&
        "crypto.getRandomValues is not available, so a visitor id or an Idempotency-Key cannot be created safely. Run on Node 20+ or a modern browser.",
    );
  }
  const unbiasedLimit = 256 - (256 % radix);
  let digits = "";
  while (digits.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length))) {
      if (byte < unbiasedLimit) digits += (byte % radix).toString(radix);
    }
  }
  return digits.slice(0, length);
}

/** A new visitor id in Ansa's format, `v_<epoch ms>_<16 random base36 chars>`. */
export function createVisitorId(now: number = Date.now()): string {
  return `v_${Math.max(0, Math.floor(now))}_${randomDigits(16, 36)}`;
}

/** A random key for one logical write (`Idempotency-Key`). */
export function createIdempotencyKey(): string {
  // 128 random bits in the UUID layout (8-4-4-4-12 hex digits) the key has always had.
  return randomDigits(32, 16).replace(/(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");
}
