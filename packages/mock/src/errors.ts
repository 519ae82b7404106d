import type { BackendErrorCode } from "@nametag/core";

/** One problem found in a request body, reported in `details.issues` of `VALIDATION_FAILED`. */
export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `userMetadata` or `users[3].external_id`. */
  path: string;
  message: string;
}

/**
 * An error a route throws to answer with the envelope `{ error: { code, message, details? } }`.
 * The pipeline turns it into a response; nothing else may escape `handle()`.
 */
export class MockHttpError extends Error {
  override readonly name = "MockHttpError";

  constructor(
    readonly status: number,
    readonly code: BackendErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function validationFailed(issues: ValidationIssue[]): MockHttpError {
  const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
  return new MockHttpError(
    400,
    "VALIDATION_FAILED",
    `The request body is not valid (${summary}). Fix the listed fields and send it again.`,
    { issues },
  );
}

export function invalidUserId(value: unknown, where: string): MockHttpError {
  const shown = typeof value === "string" ? JSON.stringify(value.slice(0, 140)) : typeof value;
  return new MockHttpError(
    400,
    "INVALID_USER_ID",
    `${where} ${shown} is not a valid user id: use 1-128 characters from a-z, A-Z, 0-9, ".", "_" and "-".`,
    { field: where },
  );
}

export function scopeDenied(): MockHttpError {
  // One message for "not yours" and "does not exist", so a caller learns nothing about others.
  return new MockHttpError(
    403,
    "SCOPE_DENIED",
    "This resource is outside the caller's scope. A browser reaches only its own visitor's or user's data; an X-User-Token only that user's.",
  );
}

export function notFound(what: string): MockHttpError {
  return new MockHttpError(
    404,
    "NOT_FOUND",
    `${what} was not found. Check the id, or create it first.`,
  );
}
