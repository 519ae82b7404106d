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
}

export type KeyMatcher = (key: string) => boolean;

const DEFAULT_SOURCE = SENSITIVE_KEY_PATTERNS.map((pattern) => pattern.source).join("|");
const DEFAULT_MATCHER_REGEX = new RegExp(DEFAULT_SOURCE, "i");
const defaultMatcher: KeyMatcher = (key) => DEFAULT_MATCHER_REGEX.test(key);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Builds one matcher for the default patterns plus `sensitiveKeys` (strings or RegExps). */
export function createSensitiveKeyMatcher(
  sensitiveKeys?: readonly SensitiveKeyPattern[],
): KeyMatcher {
  if (!sensitiveKeys || sensitiveKeys.length === 0) return defaultMatcher;
  // A frozen list cannot change, so its matcher is built once (the client freezes its own copy).
  const frozen = Object.isFrozen(sensitiveKeys);
  const cached = frozen ? matcherCache.get(sensitiveKeys) : undefined;
  if (cached) return cached;
  const matcher = buildMatcher(sensitiveKeys);
  if (frozen) matcherCache.set(sensitiveKeys, matcher);
  return matcher;
}

const matcherCache = new WeakMap<readonly SensitiveKeyPattern[], KeyMatcher>();

function buildMatcher(sensitiveKeys: readonly SensitiveKeyPattern[]): KeyMatcher {
  const strings: string[] = [];
  const regexps: RegExp[] = [];
  for (const pattern of sensitiveKeys) {
    if (typeof pattern === "string") {
      if (pattern.length > 0) strings.push(escapeRegExp(pattern));
    } else if (pattern instanceof RegExp) {
      // Drop g/y so `test` stays stateless (a global RegExp remembers lastIndex between calls).
      regexps.push(new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, "")));
    }
  }
  const combined = new RegExp([DEFAULT_SOURCE, ...strings].join("|"), "i");
  if (regexps.length === 0) return (key) => combined.test(key);
  return (key) => combined.test(key) || regexps.some((regexp) => regexp.test(key));
}

function childPath(parent: string, key: string): string {
  return parent === "" ? key : `${parent}.${key}`;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * Copies a value into JSON-safe data, dropping sensitive keys. Values JSON cannot hold follow
 * JSON.stringify's rules (undefined/functions/symbols dropped, or null inside arrays), except
 * BigInt, which becomes its decimal string instead of throwing. A circular reference is dropped.
 */
function copyValue(
  value: unknown,
  path: string,
  isSensitive: KeyMatcher,
  removedPaths: string[],
  ancestors: Set<object>,
): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // JSON has no NaN/Infinity (null) and no -0 (0): the copy equals its own JSON round trip.
      return Number.isFinite(value) ? value + 0 : null;
    case "bigint":
      return value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null || !isPlainRecord(value)) return null;
  if (ancestors.has(value)) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();

  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const out: unknown[] = new Array(value.length);
      for (let index = 0; index < value.length; index++) {
        const copied = copyValue(
          value[index],
          `${path}[${index}]`,
          isSensitive,
          removedPaths,
          ancestors,
        );
        out[index] = copied === undefined ? null : copied;
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const keyPath = childPath(path, key);
      if (isSensitive(key)) {
        removedPaths.push(keyPath);
        continue;
      }
      const copied = copyValue(value[key], keyPath, isSensitive, removedPaths, ancestors);
      if (copied === undefined) continue;
      if (key === "__proto__") {
        // An own "__proto__" key stays data; plain assignment would replace the prototype instead.
        Object.defineProperty(out, key, {
          value: copied,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        out[key] = copied;
      }
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
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
  if (!isPlainRecord(metadata) || Array.isArray(metadata)) {
    return { value: {} as T, removedPaths };
  }
  const matcher = createSensitiveKeyMatcher(options.sensitiveKeys);
  const value = copyValue(metadata, "", matcher, removedPaths, new Set());
  return { value: (value ?? {}) as T, removedPaths };
}

/** True when `key` matches the default patterns or `sensitiveKeys`. */
export function isSensitiveKey(
  key: string,
  sensitiveKeys?: readonly SensitiveKeyPattern[],
): boolean {
  return createSensitiveKeyMatcher(sensitiveKeys)(key);
}
