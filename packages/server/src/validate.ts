import { NametagError, USER_ID_PATTERN, isValidUserId } from "@nametag/core";

function describe(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return value === null ? "null" : typeof value;
}

/**
 * Checks an id against core's one userId rule (`isValidUserId`: `^[a-zA-Z0-9._-]{1,128}$`, not
 * only punctuation such as `.` or `..`, which URLs read as dot segments, and none of core's
 * JUNK_USER_IDS such as "undefined", "0" or "false") before any request, so a bad id fails with a
 * clear message instead of a round trip. The browser SDK refuses exactly the same ids.
 */
export function assertUserId(value: unknown, field: string): asserts value is string {
  if (!isValidUserId(value)) {
    throw new NametagError(
      "INVALID_USER_ID",
      `${field} must match ${String(USER_ID_PATTERN)} (letters, digits, ".", "_", "-"; 1 to 128 characters; not only punctuation, not a placeholder such as "undefined", "null", "0" or "false"), got ${describe(value)}. Pass your own stable id, not an email or an unset value.`,
      { details: { field } },
    );
  }
}

/** Checks a required, non-empty string argument. */
export function assertText(value: unknown, field: string): asserts value is string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new NametagError(
      "INVALID_ARGUMENT",
      `${field} must be a non-empty string, got ${describe(value)}.`,
      {
        details: { field },
      },
    );
  }
}

/** Checks that an argument is a plain object (`{ ... }`), so a missing argument fails clearly. */
export function assertObject(
  value: unknown,
  method: string,
): asserts value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new NametagError(
      "INVALID_ARGUMENT",
      `${method} takes an object argument, got ${describe(value)}.`,
      {
        details: { method },
      },
    );
  }
}

/**
 * Checks an id that goes into a URL path. `.` and `..` are refused because URL parsing treats them
 * (even percent-encoded) as dot segments and would send the request to another route.
 */
export function assertPathId(value: unknown, field: string): asserts value is string {
  assertText(value, field);
  if (value === "." || value === ".." || value.length > 256) {
    throw new NametagError("INVALID_ARGUMENT", `${field} is not a valid id: ${describe(value)}.`, {
      details: { field },
    });
  }
}

/** An Idempotency-Key the backend accepts: 1 to 255 visible ASCII characters. */
export function assertIdempotencyKey(value: unknown): asserts value is string {
  if (typeof value !== "string" || !/^[\x21-\x7e]{1,255}$/.test(value)) {
    throw new NametagError(
      "INVALID_ARGUMENT",
      "idempotencyKey must be 1 to 255 visible ASCII characters (a few fewer for a contacts upsert split into batches); crypto.randomUUID() is a good choice.",
      { details: { field: "idempotencyKey" } },
    );
  }
}
