import { copyJson } from "./copyJson";

/**
 * The sanitizer: removes every key that looks like a credential before identity data reaches an
 * LLM, an event, a log, `postMessage` or web storage. Pure, never mutates its input.
 */

/**
 * Key patterns that are always sensitive (case-insensitive, matched anywhere in the key, at every
 * depth, arrays included). Frozen so no caller can weaken the default list at run time.
 */
export const SENSITIVE_KEY_PATTERNS: readonly RegExp[] = Object.freeze([
  /token/i,
  /secret/i,
  /password/i,
  /api[-_]?key/i,
  /access[-_]?token/i,
  /refresh[-_]?token/i,
  /auth/i,
  /credential/i,
  /private/i,
]);

/** An extra sensitive key: a string (case-insensitive substring) or a RegExp tested on the key. */
export type SensitiveKeyPattern = string | RegExp;

export interface SanitizeOptions {
  /** Extra patterns, added to (never replacing) SENSITIVE_KEY_PATTERNS. */
  sensitiveKeys?: readonly SensitiveKeyPattern[];
}

export interface SanitizeResult<T = Record<string, unknown>> {
  /** A deep, JSON-serialisable copy without the sensitive keys. */
  value: T;
  /** Paths of the removed keys, e.g. `authToken`, `billing.card.token`, `accounts[0].apiKey`. */
  removedPaths: string[];
  /** The same removals as JSON Pointers (`/billing/card/token`): what the backend is sent. */
  removedPointers: string[];
}

export type KeyMatcher = (key: string) => boolean;

const defaultMatcher: KeyMatcher = /* @__PURE__ */ buildMatcher([]);
const matcherCache = new WeakMap<readonly SensitiveKeyPattern[], KeyMatcher>();

/** Builds one matcher for the default patterns plus `sensitiveKeys` (strings or RegExps). */
export function createSensitiveKeyMatcher(
  sensitiveKeys?: readonly SensitiveKeyPattern[],
): KeyMatcher {
  if (!sensitiveKeys?.length) return defaultMatcher;
  // A frozen list cannot change, so its matcher is built once (the client freezes its own copy).
  if (!Object.isFrozen(sensitiveKeys)) return buildMatcher(sensitiveKeys);
  const matcher = matcherCache.get(sensitiveKeys) ?? buildMatcher(sensitiveKeys);
  matcherCache.set(sensitiveKeys, matcher);
  return matcher;
}

function buildMatcher(sensitiveKeys: readonly SensitiveKeyPattern[]): KeyMatcher {
  // Strings join the defaults in one case-insensitive RegExp (escaped); RegExps are tested as
  // given, minus g/y so `test` stays stateless (a global RegExp remembers lastIndex).
  const sources = SENSITIVE_KEY_PATTERNS.map((pattern) => pattern.source);
  const regexps: RegExp[] = [];
  for (const pattern of sensitiveKeys) {
    if (typeof pattern === "string") {
      if (pattern) sources.push(pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    } else if (pattern instanceof RegExp) {
      regexps.push(new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, "")));
    }
  }
  const combined = new RegExp(sources.join("|"), "i");
  return (key) => combined.test(key) || regexps.some((regexp) => regexp.test(key));
}

/**
 * Returns a sanitized deep copy of `metadata` and the paths it removed. Anything that is not an
 * object (null, undefined, a string…) sanitizes to `{}`.
 */
export function sanitizeMetadata<T = Record<string, unknown>>(
  metadata: unknown,
  options: SanitizeOptions = {},
): SanitizeResult<T> {
  const removedPaths: string[] = [];
  const removedPointers: string[] = [];
  if (!metadata || typeof metadata !== "object" || Array.isArray(metadata)) {
    return { value: {} as T, removedPaths, removedPointers };
  }
  const isSensitive = createSensitiveKeyMatcher(options.sensitiveKeys);
  const value = copyJson(metadata, "", false, (key, path, pointer) => {
    if (!isSensitive(key)) return false;
    removedPaths.push(path());
    removedPointers.push(pointer());
    return true;
  });
  return { value: value as T, removedPaths, removedPointers };
}

/** True when `key` matches the default patterns or `sensitiveKeys`. */
export function isSensitiveKey(
  key: string,
  sensitiveKeys?: readonly SensitiveKeyPattern[],
): boolean {
  return createSensitiveKeyMatcher(sensitiveKeys)(key);
}
