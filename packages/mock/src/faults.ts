import type { BackendErrorCode } from "@nametag/core";
import { MockHttpError } from "./errors";
import { Issues, bodyObject } from "./validate";

/** A fault to inject: the next `count` matching requests answer `status` with the envelope. */
export interface MockFault {
  status: number;
  count: number;
  /** Only requests with this method (any when absent). */
  method?: string;
  /** Only this path (relative to the base URL, e.g. `/v1/identity`); a trailing `*` matches a prefix. */
  path?: string;
  /** Error code of the envelope; defaults from the status (503 → UNAVAILABLE, 429 → RATE_LIMITED, …). */
  code?: string;
  /** Seconds for a `Retry-After` header. */
  retryAfter?: number;
}

const CODE_BY_STATUS: Record<number, BackendErrorCode> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "SCOPE_DENIED",
  404: "NOT_FOUND",
  413: "PAYLOAD_TOO_LARGE",
  429: "RATE_LIMITED",
  500: "INTERNAL",
};

/** Parses `POST /__mock/faults` bodies; 400 VALIDATION_FAILED on anything else. */
export function parseFault(body: unknown): MockFault {
  const input = bodyObject(body);
  const issues = new Issues();
  const status = input.status;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 400 || status > 599) {
    issues.add("status", "is required: an HTTP error status from 400 to 599");
  }
  const count = input.count ?? 1;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1)
    issues.add("count", "must be a positive integer");
  issues.optionalString(input, "method");
  issues.optionalString(input, "path");
  issues.optionalString(input, "code");
  if (
    input.retryAfter !== undefined &&
    (typeof input.retryAfter !== "number" || input.retryAfter < 0)
  ) {
    issues.add("retryAfter", "must be a number of seconds");
  }
  issues.throwIfAny();
  return {
    status: status as number,
    count: count as number,
    ...(typeof input.method === "string" ? { method: input.method.toUpperCase() } : {}),
    ...(typeof input.path === "string" ? { path: input.path } : {}),
    ...(typeof input.code === "string" ? { code: input.code } : {}),
    ...(typeof input.retryAfter === "number" ? { retryAfter: input.retryAfter } : {}),
  };
}

export function createFaults() {
  let faults: MockFault[] = [];
  return {
    add(fault: MockFault): void {
      faults.push({ ...fault });
    },
    list(): MockFault[] {
      return faults.map((fault) => ({ ...fault }));
    },
    clear(): void {
      faults = [];
    },
    /** Uses up one matching fault and returns its error, or undefined. */
    take(method: string, path: string): MockHttpError | undefined {
      const fault = faults.find(
        (item) =>
          (item.method === undefined || item.method === method) &&
          (item.path === undefined ||
            (item.path.endsWith("*")
              ? path.startsWith(item.path.slice(0, -1))
              : item.path === path)),
      );
      if (!fault) return undefined;
      fault.count -= 1;
      if (fault.count <= 0) faults = faults.filter((item) => item !== fault);
      const code = (fault.code ??
        CODE_BY_STATUS[fault.status] ??
        (fault.status >= 500 ? "UNAVAILABLE" : "BAD_REQUEST")) as BackendErrorCode;
      return new MockHttpError(
        fault.status,
        code,
        `Injected fault (POST /__mock/faults): this request answers ${fault.status}. Retry, or clear faults with POST /__mock/reset.`,
        undefined,
        fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) },
      );
    },
  };
}
