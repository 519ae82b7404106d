export { createMockBackend } from "./createMockBackend";
export type { MockBackend, MockBackendOptions, MockRequestInfo } from "./createMockBackend";
export { DEMO_USERS } from "./demoUsers";
export type { DemoUser, DemoUserMetadata } from "./demoUsers";
export { startMockServer } from "./node/startMockServer";
export type { MockServer, MockServerOptions } from "./node/startMockServer";
export { MockStore } from "./store";
export type {
  CreateUserInput,
  IdempotencyRecord,
  MockStoreSnapshot,
  UpdateUserInput,
} from "./store";
export { supportAgent } from "./agent";
export type { AgentReplyContext, MockAgent } from "./agent";
export type { RateLimitOptions } from "./rateLimit";
export type { MockFault } from "./faults";
export type { MockRequestLogEntry } from "./requestLog";
export type { ValidationIssue } from "./errors";
export {
  CONFORMANCE_CASES,
  CONFORMANCE_HELP,
  ConformanceFailure,
  conformanceCommand,
  formatConformanceReport,
  runConformance,
} from "./conformance";
export type {
  CaseContext,
  CaseOutcome,
  CaseResult,
  ConformanceCallOptions,
  ConformanceCase,
  ConformanceOptions,
  ConformanceReply,
  ConformanceReport,
  Exchange,
} from "./conformance";
