import { NametagError } from "./errors";
import { USER_ID_PATTERN } from "./protocol";
import type { UserMetadata } from "./protocol";

/** Default ceiling of serialised userMetadata, in UTF-8 bytes. */
export const DEFAULT_MAX_METADATA_BYTES = 32 * 1024;

// Strings that pass the regex but are almost always a bug in the caller (String(undefined)…).
const SUSPICIOUS_USER_IDS = new Set(["undefined", "null", "nan", "[object object]"]);

function describe(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return "null";
  return typeof value;
}

/**
 * Returns `userId` when it is a usable host user id; throws `INVALID_USER_ID` otherwise.
 * The rule is `^[a-zA-Z0-9._-]{1,128}$`, and "undefined", "null", "NaN", "[object Object]" are refused.
 */
export function validateUserId(userId: unknown): string {
  if (
    typeof userId !== "string" ||
    !USER_ID_PATTERN.test(userId) ||
    SUSPICIOUS_USER_IDS.has(userId.toLowerCase())
  ) {
    throw new NametagError(
      "INVALID_USER_ID",
      `userId ${describe(userId)} is not valid. Pass your app's stable user id: 1-128 characters of letters, digits, ".", "_" or "-" (never an email or a stringified undefined).`,
      { details: { rule: USER_ID_PATTERN.source } },
    );
  }
  return userId;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Writes `key` as an own data property, so `__proto__` stays data and never swaps a prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

function copyJson(value: unknown, path: string, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (!Number.isFinite(value)) throw unsupported(path, "a non-finite number");
      return value;
    case "undefined":
      return undefined;
    case "bigint":
      throw unsupported(path, "a BigInt");
    case "function":
      throw unsupported(path, "a function");
    case "symbol":
      throw unsupported(path, "a symbol");
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.has(object)) {
    throw new NametagError(
      "METADATA_CIRCULAR",
      `userMetadata has a circular reference at ${path}. Pass plain, tree-shaped data.`,
      {
        details: { path },
      },
    );
  }
  if (object instanceof Date) {
    if (Number.isNaN(object.getTime())) throw unsupported(path, "an invalid Date");
    return object.toISOString();
  }
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      return object.map((item, index) => {
        const copied = copyJson(item, `${path}[${index}]`, ancestors);
        return copied === undefined ? null : copied;
      });
    }
    if (!isPlainObject(object))
      throw unsupported(path, `an instance of ${object.constructor?.name ?? "a class"}`);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      const copied = copyJson(object[key], `${path}.${key}`, ancestors);
      if (copied !== undefined) setOwn(out, key, copied);
    }
    return out;
  } finally {
    ancestors.delete(object);
  }
}

function unsupported(path: string, what: string): NametagError {
  return new NametagError(
    "METADATA_UNSUPPORTED_VALUE",
    `userMetadata holds ${what} at ${path}. Pass only strings, numbers, booleans, null, arrays, plain objects or Dates.`,
    { details: { path } },
  );
}

export interface ValidateMetadataOptions {
  /** Serialised UTF-8 size ceiling. Default 32 KB. */
  maxBytes?: number;
  /** The name used in messages ("userMetadata"). */
  name?: string;
}

/** UTF-8 byte length of a string, without TextEncoder allocations for ASCII-only text. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Checks metadata and returns a detached, JSON-safe deep copy (the input is never mutated, frozen
 * input works). Throws INVALID_METADATA, METADATA_CIRCULAR, METADATA_UNSUPPORTED_VALUE or
 * METADATA_TOO_LARGE, each with a message that says what to change.
 */
export function validateMetadata(
  metadata: unknown,
  options: ValidateMetadataOptions = {},
): UserMetadata {
  const name = options.name ?? "userMetadata";
  if (metadata === undefined) return {};
  if (!isPlainObject(metadata)) {
    const kind = Array.isArray(metadata)
      ? "an array"
      : metadata === null
        ? "null"
        : typeof metadata === "object"
          ? "a class instance"
          : typeof metadata;
    throw new NametagError(
      "INVALID_METADATA",
      `${name} must be a plain object ({ key: value }), not ${kind}.`,
    );
  }
  const copy = copyJson(metadata, name, new Set()) as UserMetadata;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_METADATA_BYTES;
  const size = utf8Length(JSON.stringify(copy));
  if (size > maxBytes) {
    throw new NametagError(
      "METADATA_TOO_LARGE",
      `${name} is ${size} bytes serialised, over the ${maxBytes}-byte limit. Send only what personalisation needs, or raise maxMetadataBytes.`,
      { details: { size, maxBytes } },
    );
  }
  return copy;
}

/** Checks `labels`: an array of non-empty strings. */
export function validateLabels(labels: unknown): string[] | undefined {
  if (labels === undefined) return undefined;
  if (
    !Array.isArray(labels) ||
    labels.some((label) => typeof label !== "string" || label.length === 0)
  ) {
    throw new NametagError("INVALID_ARGUMENT", "labels must be an array of non-empty strings.");
  }
  return [...(labels as string[])];
}

/** Checks an optional string argument such as assignedAgent, userHash or identityToken. */
export function validateOptionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length === 0 || /[\r\n\0]/.test(value)) {
    throw new NametagError(
      "INVALID_ARGUMENT",
      `${name} must be a non-empty string without line breaks.`,
    );
  }
  return value;
}
