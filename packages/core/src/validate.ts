import { copyJson, isPlainObject } from "./copyJson";
import { DEV, fail } from "./errors";
import { USER_ID_PATTERN } from "./protocol";
import type { UserMetadata } from "./protocol";

/** Default ceiling of serialised userMetadata, in UTF-8 bytes. */
export const DEFAULT_MAX_METADATA_BYTES = 32 * 1024;

/**
 * Ids that pass USER_ID_PATTERN but are almost always a bug in the caller (`String(undefined)`,
 * `String(false)`, an unset numeric id): refused by the client and by `@nametag/server` alike,
 * compared case-insensitively. Ids made only of `.`, `_` and `-` are refused too (`.` and `..`
 * would climb a URL path).
 */
export const JUNK_USER_IDS: readonly string[] = /* @__PURE__ */ Object.freeze(
  "0 -1 false true null undefined nil none nan infinity [object Object]".split(" "),
);

function describe(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return "null";
  return typeof value;
}

/**
 * The one userId rule, shared by the client and `@nametag/server`: a string matching
 * `^[a-zA-Z0-9._-]{1,128}$`, not in JUNK_USER_IDS and not made only of `.`, `_` and `-`.
 */
export function isValidUserId(userId: unknown): userId is string {
  return (
    typeof userId === "string" &&
    USER_ID_PATTERN.test(userId) &&
    !/^[._-]+$/.test(userId) &&
    // The list is lower-case but for "[object Object]", which USER_ID_PATTERN already refuses.
    !JUNK_USER_IDS.includes(userId.toLowerCase())
  );
}

/** Returns `userId` when it is a usable host user id (isValidUserId); throws `INVALID_USER_ID` otherwise. */
export function validateUserId(userId: unknown): string {
  if (!isValidUserId(userId)) {
    throw fail(
      "INVALID_USER_ID",
      DEV &&
        `userId ${describe(userId)} is not valid. Pass your app's stable user id: 1-128 characters of letters, digits, ".", "_" or "-", not only punctuation, and never a stringified undefined, null, false or 0.`,
      { details: { rule: USER_ID_PATTERN.source } },
    );
  }
  return userId;
}

export interface ValidateMetadataOptions {
  /** Serialised UTF-8 size ceiling. Default 32 KB. */
  maxBytes?: number;
  /** The name used in messages ("userMetadata"). */
  name?: string;
}

/**
 * Checks metadata and returns a detached, JSON-safe deep copy (the input is never mutated, frozen
 * input works). Throws INVALID_METADATA, METADATA_CIRCULAR, METADATA_UNSUPPORTED_VALUE (also for a getter or a
 * Proxy trap that throws), METADATA_TOO_DEEP (past MAX_METADATA_DEPTH levels) or METADATA_TOO_LARGE,
 * each with a message that says what to change; never a raw RangeError or TypeError.
 */
export function validateMetadata(
  metadata: unknown,
  options: ValidateMetadataOptions = {},
): UserMetadata {
  const name = options.name ?? "userMetadata";
  if (metadata === undefined) return {};
  let plain: boolean;
  try {
    plain = isPlainObject(metadata);
  } catch (cause) {
    // A Proxy whose getPrototypeOf trap throws (or a revoked one).
    throw fail(
      "METADATA_UNSUPPORTED_VALUE",
      DEV && `${name} could not be read (a Proxy?). Pass a plain object.`,
      { cause },
    );
  }
  if (!plain) {
    throw fail(
      "INVALID_METADATA",
      DEV &&
        `${name} must be a plain object ({ key: value }), not ${
          Array.isArray(metadata)
            ? "an array"
            : metadata === null
              ? "null"
              : typeof metadata === "object"
                ? "a class instance"
                : typeof metadata
        }.`,
    );
  }
  const copy = copyJson(metadata, name, true) as UserMetadata;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_METADATA_BYTES;
  const size = new TextEncoder().encode(JSON.stringify(copy)).length;
  if (size > maxBytes) {
    throw fail(
      "METADATA_TOO_LARGE",
      DEV &&
        `${name} is ${size} bytes serialised, over the ${maxBytes}-byte limit. Send only what personalisation needs, or raise maxMetadataBytes.`,
      { details: { size, maxBytes } },
    );
  }
  return copy;
}

/** Checks `labels`: an array of non-empty strings. */
export function validateLabels(labels: unknown): string[] | undefined {
  if (labels === undefined) return undefined;
  if (!Array.isArray(labels) || labels.some((label) => typeof label !== "string" || label === "")) {
    throw fail("INVALID_ARGUMENT", DEV && "labels must be an array of non-empty strings.");
  }
  return [...(labels as string[])];
}

/** Checks an optional string argument such as assignedAgent, userHash or identityToken. */
export function validateOptionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  // Non-empty, with no CR, LF or NUL (it may end up in a header).
  if (typeof value !== "string" || !/^[^\r\n\0]+$/.test(value)) {
    throw fail(
      "INVALID_ARGUMENT",
      DEV && `${name} must be a non-empty string without line breaks.`,
    );
  }
  return value;
}
