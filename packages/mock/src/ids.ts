/**
 * Deterministic ids: the n-th id of a store is a hash of (seed, n). The same requests against a
 * fresh mock give the same ids and tokens, so tests and the curl examples in API.md can name
 * them literally. Never use the mock's tokens as real secrets.
 */
export function hashToBase36(seed: string, counter: number, length: number): string {
  let out = "";
  for (let round = 0; out.length < length; round += 1) {
    out += cyrb53(`${seed}:${counter}:${round}`).toString(36).padStart(11, "0");
  }
  return out.slice(0, length);
}

export function hashToHex(seed: string, counter: number, length: number): string {
  let out = "";
  for (let round = 0; out.length < length; round += 1) {
    out += cyrb53(`${seed}:${counter}:${round}`).toString(16).padStart(14, "0");
  }
  return out.slice(0, length);
}

/** cyrb53: a fast 53-bit string hash with good spread (public domain, bryc). */
function cyrb53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
