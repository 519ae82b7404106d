export * from "./protocol";
export { NametagError, isNametagError, errorFromResponse } from "./errors";
export type { ClientErrorCode, NametagErrorCode, NametagErrorOptions } from "./errors";
export { createTransport, joinUrl, backoffDelay, parseRetryAfter } from "./transport";
export type {
  RetryOptions,
  Transport,
  TransportOptions,
  TransportRequest,
  TransportResponse,
} from "./transport";
export type * from "./types";
export {
  sanitizeMetadata,
  SENSITIVE_KEY_PATTERNS,
  createSensitiveKeyMatcher,
  isSensitiveKey,
} from "./sanitize";
export type { KeyMatcher, SanitizeOptions, SanitizeResult, SensitiveKeyPattern } from "./sanitize";
