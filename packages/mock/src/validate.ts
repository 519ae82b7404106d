import { USER_ID_PATTERN } from "@nametag/core";
import type { ValidationIssue } from "./errors";
import { invalidUserId, validationFailed } from "./errors";

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Collects every problem of a body, so one 400 lists them all instead of one per round trip. */
export class Issues {
  readonly list: ValidationIssue[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw validationFailed(this.list);
  }

  optionalString(body: Record<string, unknown>, key: string, options: { nullable?: boolean } = {}) {
    const value = body[key];
    if (value === undefined) return;
    if (value === null && options.nullable) return;
    if (typeof value !== "string")
      this.add(key, options.nullable ? "must be a string or null" : "must be a string");
  }

  optionalObject(body: Record<string, unknown>, key: string): void {
    const value = body[key];
    if (value !== undefined && !isPlainObject(value)) this.add(key, "must be a JSON object");
  }

  optionalStringArray(body: Record<string, unknown>, key: string): void {
    const value = body[key];
    if (value === undefined) return;
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
      this.add(key, "must be an array of strings");
    } else if (value.length > 100) {
      this.add(key, "must have at most 100 entries");
    }
  }
}

/** The parsed JSON body as an object, or 400 VALIDATION_FAILED for `[]`, `"x"`, `42`, `null`. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (!isPlainObject(body))
    throw validationFailed([{ path: "(body)", message: "must be a JSON object" }]);
  return body;
}

/** The optional user fields of a validated body, with absent ones left out (not set to undefined). */
export function userFields(input: Record<string, unknown>): {
  userMetadata?: Record<string, unknown>;
  labels?: string[];
  assignedAgent?: string;
} {
  return {
    ...(input.userMetadata === undefined
      ? {}
      : { userMetadata: input.userMetadata as Record<string, unknown> }),
    ...(input.labels === undefined ? {} : { labels: input.labels as string[] }),
    ...(input.assignedAgent === undefined ? {} : { assignedAgent: input.assignedAgent as string }),
  };
}

/** Throws 400 INVALID_USER_ID unless `value` matches USER_ID_PATTERN (Bookbag's rule). */
export function assertUserId(value: unknown, where: string): asserts value is string {
  if (typeof value !== "string" || !USER_ID_PATTERN.test(value)) throw invalidUserId(value, where);
}

/** Copies JSON data without letting a `__proto__` key reach any prototype. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, item: unknown) =>
    key === "__proto__" ? undefined : item,
  ) as T;
}

/** Shallow merge for PATCH semantics: a key set to `null` is removed, `__proto__` is ignored. */
export function mergeMetadata(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (key === "__proto__") continue;
    if (value === null) delete result[key];
    else
      Object.defineProperty(result, key, {
        value: cloneJson(value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return result;
}
