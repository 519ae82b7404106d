import { copyJson } from "./copyJson";
import { detectSecretValue } from "./secretValues";
import type { RemovalReason } from "./secretValues";
import { hasSensitiveWord, normalizeKey } from "./sensitiveWords";

/**
 * The sanitizer: removes every field that holds a credential, by its key (the published word
 * list, your `sensitiveKeys`, minus your `allowKeys`) or by the shape of its value (a JWT, a
 * `Bearer` credential, a card number…), before identity data reaches an LLM, an event, a log,
 * `postMessage` or web storage. Pure, never mutates its input.
 */
export { SENSITIVE_KEY_PATTERNS, SENSITIVE_KEY_WORDS, normalizeKey } from "./sensitiveWords";
export { detectSecretValue } from "./secretValues";
export type { RemovalReason } from "./secretValues";

/**
 * An extra sensitive key: a string (matched after normalisation, case-insensitively, anywhere in
 * the key: `"ssn"` also removes `ssnLast4`) or a RegExp tested on the key as written and on its
 * normalised form.
 */
export type SensitiveKeyPattern = string | RegExp;

export interface SanitizeOptions {
  /** Extra patterns, added to (never replacing) the default list. They win over `allowKeys`. */
  sensitiveKeys?: readonly SensitiveKeyPattern[];
  /**
   * Keys the default list would remove that the agent may see: a string equals the key after
   * normalisation (`"authorName"` also allows `author_name`), a RegExp is tested on the key as
   * written. An allowed key's string value also skips the value checks.
   */
  allowKeys?: readonly SensitiveKeyPattern[];
}

/** One removal: where it was, and why. */
export interface SanitizeRemoval {
  /** `billing.card.token`, `accounts[0].apiKey`. */
  path: string;
  /** The same place as a JSON Pointer: `/billing/card/token`. */
  pointer: string;
  reason: RemovalReason;
}

export interface SanitizeResult<T = Record<string, unknown>> {
  /** A deep, JSON-serialisable copy without the sensitive fields. */
  value: T;
  /** Paths of the removed fields, e.g. `authToken`, `billing.card.token`, `accounts[0].apiKey`. */
  removedPaths: string[];
  /** The same removals as JSON Pointers (`/billing/card/token`): what the backend is sent. */
  removedPointers: string[];
  /** The same removals with the reason of each (a key match, or a value shape such as `"jwt"`). */
  removed: SanitizeRemoval[];
}

export type KeyMatcher = (key: string) => boolean;

/** 0: keep, 1: sensitive, 2: allowed by allowKeys although the defaults match it. */
type KeyVerdict = (key: string) => 0 | 1 | 2;

const NONE: readonly SensitiveKeyPattern[] = /* @__PURE__ */ Object.freeze([]);
/** The allowKeys it was built for, its verdict, and its matcher (the same function every call). */
type Policy = [allowKeys: readonly SensitiveKeyPattern[], verdict: KeyVerdict, matcher: KeyMatcher];
const cache = new WeakMap<readonly SensitiveKeyPattern[], Policy>();

function policy(
  sensitiveKeys: readonly SensitiveKeyPattern[] = NONE,
  allowKeys: readonly SensitiveKeyPattern[] = NONE,
): Policy {
  // Frozen lists cannot change, so their policy is built once (the client freezes its copies).
  const frozen = Object.isFrozen(sensitiveKeys) && Object.isFrozen(allowKeys);
  let built = frozen ? cache.get(sensitiveKeys) : undefined;
  if (built?.[0] !== allowKeys) {
    const verdict = buildVerdict(sensitiveKeys, allowKeys);
    built = [allowKeys, verdict, (key) => verdict(key) === 1];
    if (frozen) cache.set(sensitiveKeys, built);
  }
  return built;
}

/**
 * A list's strings, normalised by `word`, and its RegExps without g/y, so `test` stays stateless
 * (a global RegExp remembers lastIndex). Anything else in the list is ignored.
 */
function split(
  list: readonly SensitiveKeyPattern[],
  word: (pattern: string) => string,
): [string[], RegExp[]] {
  const words: string[] = [];
  const patterns: RegExp[] = [];
  for (const pattern of list) {
    if (typeof pattern === "string") words.push(word(pattern));
    else if (pattern instanceof RegExp)
      patterns.push(new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, "")));
  }
  return [words, patterns];
}

function buildVerdict(
  sensitiveKeys: readonly SensitiveKeyPattern[],
  allowKeys: readonly SensitiveKeyPattern[],
): KeyVerdict {
  // Extra strings are compared without spaces: "api key" also removes "myApiKeyV2" (an empty one
  // would match every key, so it is left out).
  const [extraWords, extraPatterns] = split(sensitiveKeys, (pattern) =>
    normalizeKey(pattern).replace(/ /g, ""),
  );
  const [allowWords, allowPatterns] = split(allowKeys, normalizeKey);
  // Keys repeat across a metadata tree and across identifies: remember the verdicts (bounded).
  const known = new Map<string, 0 | 1 | 2>();
  return (key) => {
    let verdict = known.get(key);
    if (verdict === undefined) {
      const words = normalizeKey(key);
      const joined = words.replace(/ /g, "");
      verdict =
        extraWords.some((word) => word && joined.includes(word)) ||
        extraPatterns.some((pattern) => pattern.test(key) || pattern.test(words))
          ? 1
          : hasSensitiveWord(words)
            ? allowWords.includes(words) || allowPatterns.some((pattern) => pattern.test(key))
              ? 2
              : 1
            : 0;
      // Bounded: at most 8,192 keys of at most 64 characters (about 1 MB).
      if (key.length <= 64) {
        if (known.size >= 8192) known.clear();
        known.set(key, verdict);
      }
    }
    return verdict;
  };
}

/** One matcher for the default list plus `sensitiveKeys`, minus `allowKeys`. */
export function createSensitiveKeyMatcher(
  sensitiveKeys?: readonly SensitiveKeyPattern[],
  allowKeys?: readonly SensitiveKeyPattern[],
): KeyMatcher {
  return policy(sensitiveKeys, allowKeys)[2];
}

/**
 * Returns a sanitized deep copy of `metadata` and what it removed, and why. Anything that is not
 * an object (null, undefined, a string…) sanitizes to `{}`. Never throws: a value that cannot be
 * read (a throwing getter, a Proxy trap) or that nests past MAX_METADATA_DEPTH is dropped and
 * reported.
 */
export function sanitizeMetadata<T = Record<string, unknown>>(
  metadata: unknown,
  options: SanitizeOptions = {},
): SanitizeResult<T> {
  const removed: SanitizeRemoval[] = [];
  let value: unknown = {};
  try {
    if (metadata && typeof metadata === "object" && !Array.isArray(metadata)) {
      value = copyJson(metadata, "", false, {
        key: policy(options.sensitiveKeys, options.allowKeys)[1],
        value: detectSecretValue,
        removed: (reason, path, pointer) => removed.push({ path, pointer, reason }),
      });
    }
  } catch {
    // A revoked Proxy as the root: nothing can be read from it.
    value = {};
  }
  return {
    value: (value ?? {}) as T,
    removedPaths: removed.map((removal) => removal.path),
    removedPointers: removed.map((removal) => removal.pointer),
    removed,
  };
}

/** True when `key` matches the default list or `sensitiveKeys` (and is not in `allowKeys`). */
export function isSensitiveKey(
  key: string,
  sensitiveKeys?: readonly SensitiveKeyPattern[],
  allowKeys?: readonly SensitiveKeyPattern[],
): boolean {
  return createSensitiveKeyMatcher(sensitiveKeys, allowKeys)(key);
}
