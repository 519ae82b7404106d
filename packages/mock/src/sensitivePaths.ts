import { MAX_SENSITIVE_PATHS, sanitizeMetadata } from "@nametag/core";
import type { UserMetadata } from "@nametag/core";
import type { Issues } from "./validate";
import { cloneJson, isPlainObject } from "./validate";

/**
 * The host's `sensitivePaths`: JSON Pointers (RFC 6901) into `userMetadata` whose values the
 * backend keeps (server-scope reads return them, for HTTP tools) but removes from the agent's
 * context and from every answer a browser or a proxy receives.
 */

/** The longest pointer accepted, in characters. */
export const MAX_SENSITIVE_PATH_LENGTH = 1024;

/** `/a/b~1c/0`: one or more segments, `~` only as `~0` or `~1`. The root pointer "" is refused. */
const POINTER = /^(?:\/(?:[^~/]|~[01])*)+$/;

export function isJsonPointer(value: unknown): value is string {
  return (
    typeof value === "string" && value.length <= MAX_SENSITIVE_PATH_LENGTH && POINTER.test(value)
  );
}

/** Adds the issues of an optional `sensitivePaths` field to `issues`. */
export function checkSensitivePaths(body: Record<string, unknown>, issues: Issues): void {
  const value = body.sensitivePaths;
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    issues.add("sensitivePaths", "must be an array of JSON Pointers such as /ssn or /billing/card");
    return;
  }
  if (value.length > MAX_SENSITIVE_PATHS) {
    issues.add("sensitivePaths", `must have at most ${MAX_SENSITIVE_PATHS} entries`);
    return;
  }
  value.forEach((item, index) => {
    if (!isJsonPointer(item)) {
      issues.add(
        `sensitivePaths[${index}]`,
        `must be a JSON Pointer (RFC 6901) of at most ${MAX_SENSITIVE_PATH_LENGTH} characters: "/" then the key, "~0" for "~" and "~1" for "/"`,
      );
    }
  });
}

function segmentsOf(pointer: string): string[] {
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The container and key a pointer ends at, when every step before it exists. */
function locate(root: unknown, pointer: string): { parent: unknown; key: string } | undefined {
  const segments = segmentsOf(pointer);
  let parent: unknown = root;
  for (let index = 0; index < segments.length - 1; index += 1) {
    parent = child(parent, segments[index] as string);
    if (parent === undefined) return undefined;
  }
  return { parent, key: segments[segments.length - 1] as string };
}

function child(container: unknown, key: string): unknown {
  if (Array.isArray(container))
    return /^(?:0|[1-9]\d*)$/.test(key) ? container[Number(key)] : undefined;
  if (isPlainObject(container) && Object.hasOwn(container, key)) return container[key];
  return undefined;
}

/** True when `pointer` names a value in `root`. */
export function pointerExists(root: unknown, pointer: string): boolean {
  const found = locate(root, pointer);
  return found !== undefined && child(found.parent, found.key) !== undefined;
}

/**
 * A copy of `metadata` without the values at `paths`: an object key is deleted, an array
 * element becomes `null` (so the other pointers into the array stay right).
 */
export function removePaths(metadata: UserMetadata, paths: readonly string[]): UserMetadata {
  if (paths.length === 0) return metadata;
  const copy = cloneJson(metadata);
  for (const pointer of paths) {
    const found = locate(copy, pointer);
    if (!found) continue;
    if (Array.isArray(found.parent)) {
      if (child(found.parent, found.key) !== undefined) found.parent[Number(found.key)] = null;
    } else if (isPlainObject(found.parent)) {
      delete found.parent[found.key];
    }
  }
  return copy;
}

/** What a browser, a proxy or the agent may see: the host's paths removed, then sanitized. */
export function browserMetadata(metadata: UserMetadata, paths: readonly string[]): UserMetadata {
  return sanitizeMetadata(removePaths(metadata, paths)).value;
}

/**
 * The paths kept after an update: the old ones plus the new ones, without duplicates, minus
 * those whose value no longer exists (a key set to null or replaced by an identify).
 */
export function mergeSensitivePaths(
  current: readonly string[],
  added: readonly string[],
  metadata: UserMetadata,
): string[] {
  return [...new Set([...current, ...added])].filter((pointer) => pointerExists(metadata, pointer));
}
