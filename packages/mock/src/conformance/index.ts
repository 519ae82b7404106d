// The contract's conformance suite: `nametag-mock conformance` and the in-process test run it.
export { CONFORMANCE_CASES } from "./cases";
export type { ConformanceCase } from "./cases";
export { ConformanceFailure, formatConformanceReport, runConformance } from "./runConformance";
export { CONFORMANCE_HELP, conformanceCommand } from "./cli";
export type {
  CallOptions as ConformanceCallOptions,
  CaseContext,
  CaseOutcome,
  CaseResult,
  ConformanceOptions,
  ConformanceReport,
  Exchange,
  Reply as ConformanceReply,
} from "./runConformance";
