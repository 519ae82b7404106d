import type { BackendErrorCode, ErrorEnvelope } from "./protocol";
import { HEADERS } from "./protocol";

/** Codes the SDK raises itself, before or instead of a backend answer. */
export type ClientErrorCode =
  | "INVALID_USER_ID"
  | "INVALID_METADATA"
  | "METADATA_TOO_LARGE"
  | "METADATA_CIRCULAR"
  | "METADATA_UNSUPPORTED_VALUE"
  | "METADATA_TOO_DEEP"
  | "INVALID_OPTIONS"
  | "INVALID_ARGUMENT"
  | "INVALID_TEMPLATE"
  | "UNSAFE_HEADER_VALUE"
  | "UNSAFE_URL_VALUE"
  | "FORM_NOT_FOUND"
  | "NOT_IDENTIFIED"
  | "NETWORK_ERROR"
  | "TIMEOUT"
  | "ABORTED"
  | "DESTROYED"
  | "UNSUPPORTED_ENVIRONMENT"
  | "IDENTITY_TOKEN_UNAVAILABLE"
  | "MISSING_API_KEY"
  | "MISSING_IDENTITY_SECRET"
  | "NESTED_PROVIDER"
  | "VUE_OUTSIDE_SETUP"
  | "VUE_PLUGIN_MISSING"
  | "INVALID_RESPONSE";

/**
 * True outside production builds. Bundlers replace `process.env.NODE_ENV`, so in production every
 * `DEV && "long message"` folds to `false` and the long text is dropped from the bundle.
 */
export const DEV =
  (typeof process === "undefined" ? "production" : process.env.NODE_ENV) !== "production";

export type NametagErrorCode = ClientErrorCode | BackendErrorCode;

export interface NametagErrorOptions {
  /** HTTP status, when the error came from a response. */
  status?: number;
  /** The backend's `x-request-id`, to quote when reporting a problem. */
  requestId?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error type of every Nametag package. `code` is stable and safe to branch on; the
 * message says what to do about it.
 */
export class NametagError extends Error {
  // `declare`: assigned in the constructor, so no class-field helper is emitted for ES2020.
  declare readonly name: "NametagError";
  declare readonly code: NametagErrorCode | (string & {});
  declare readonly status: number | undefined;
  declare readonly requestId: string | undefined;
  declare readonly details: Record<string, unknown> | undefined;

  constructor(
    code: NametagErrorCode | (string & {}),
    message: string,
    options: NametagErrorOptions = {},
  ) {
    super(
      message || `Nametag error ${code}: see https://nametag.dev/errors#${code}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    (this as { name: string }).name = "NametagError";
    this.code = code;
    this.status = options.status;
    this.requestId = options.requestId;
    this.details = options.details;
  }
}

/**
 * Internal: a `NametagError` whose message is `dev` in development and, in production builds
 * (`dev` folded to `false`), the short pointer `Nametag error CODE: see https://nametag.dev/errors#CODE`.
 */
export const fail = (
  code: NametagErrorCode,
  dev: string | false,
  options?: NametagErrorOptions,
): NametagError => new NametagError(code, dev || "", options);

/**
 * True for a `NametagError`, also one created by another copy of this package (checked by shape,
 * which covers this copy's instances too).
 */
export function isNametagError(value: unknown): value is NametagError {
  return value instanceof Error && value.name === "NametagError" && "code" in value;
}

/** Internal: the backend's `x-request-id` of a response. */
export const requestIdOf = (response: Response): string | undefined =>
  response.headers.get(HEADERS.requestId) ?? undefined;

/** Builds a `NametagError` from a non-2xx backend response (the error envelope, or its absence). */
export async function errorFromResponse(response: Response): Promise<NametagError> {
  const options = { status: response.status, requestId: requestIdOf(response) };
  // A body that is not JSON is the same as no envelope.
  const envelope = (await response.json().catch(() => undefined)) as
    Partial<ErrorEnvelope> | undefined;
  const error = envelope?.error;
  if (error && typeof error.code === "string" && typeof error.message === "string") {
    return new NametagError(error.code, error.message, { ...options, details: error.details });
  }
  return fail(
    response.status >= 500 ? "UNAVAILABLE" : "INVALID_RESPONSE",
    DEV &&
      `The Nametag backend answered ${response.status} without an error body. Check that apiUrl points at a Nametag backend or proxy route.`,
    options,
  );
}
