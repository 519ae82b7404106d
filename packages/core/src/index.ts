// The client
export { createNametag, IDENTITY_UPDATE_MESSAGE } from "./createNametag";

// Pure functions, each usable (and tree-shaken) on its own
export {
  sanitizeMetadata,
  SENSITIVE_KEY_PATTERNS,
  SENSITIVE_KEY_WORDS,
  createSensitiveKeyMatcher,
  isSensitiveKey,
  normalizeKey,
  detectSecretValue,
} from "./sanitize";
export type {
  KeyMatcher,
  RemovalReason,
  SanitizeOptions,
  SanitizeRemoval,
  SanitizeResult,
  SensitiveKeyPattern,
} from "./sanitize";
export { compileTemplate, renderTemplate, clearTemplateCache } from "./template";
export type { CompiledTemplate, TemplateContext, TemplateData, TemplatePart } from "./template";
export { resolveHttpTool } from "./httpTool";
export { prefillForm, createFormRegistry } from "./forms";
export type { FormRegistry, PrefillOptions } from "./forms";
export {
  validateUserId,
  isValidUserId,
  JUNK_USER_IDS,
  validateMetadata,
  DEFAULT_MAX_METADATA_BYTES,
} from "./validate";
export { MAX_METADATA_DEPTH } from "./copyJson";
export type { ValidateMetadataOptions } from "./validate";
export { createVisitorId } from "./visitorId";
export { createOwnedResource, createConversationsResource, createFormResource } from "./resource";
export type {
  ConversationsResource,
  FormRequest,
  OwnedResource,
  ResourceOptions,
  ResourceState,
} from "./resource";
export type { PersistedState } from "./storage";

// Wire contract, errors and transport (shared with @nametag/server and @nametag/mock)
export * from "./protocol";
export { NametagError, isNametagError } from "./errors";
export type { ClientErrorCode, NametagErrorCode, NametagErrorOptions } from "./errors";
export { createTransport, MAX_RETRY_AFTER_MS, MAX_TOTAL_WAIT_MS } from "./transport";
export type {
  RetryOptions,
  Transport,
  TransportOptions,
  TransportRequest,
  TransportResponse,
} from "./transport";
export type * from "./types";
