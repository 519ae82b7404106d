import { DEV, NametagError, fail } from "./errors";
import type { RemovalReason } from "./secretValues";

/**
 * How deep metadata may nest (the root object is level 1). Deeper input is refused by
 * validateMetadata (METADATA_TOO_DEEP) and dropped by the sanitizer, so no input can exhaust
 * the stack and surface as a RangeError.
 */
export const MAX_METADATA_DEPTH = 64;

export const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  const proto = value !== null && typeof value === "object" && Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** Formats a path kept as segments ("billing", "cards", 0) the way messages show it. */
const formatPath = (segments: readonly (string | number)[]): string => {
  let path = "";
  for (const segment of segments)
    path += typeof segment === "number" ? `[${segment}]` : path ? `.${segment}` : segment;
  return path;
};

/** The same place as a JSON Pointer (RFC 6901: "~" is "~0" and "/" is "~1" inside a segment). */
const formatPointer = (segments: readonly (string | number)[]): string => {
  let pointer = "";
  for (const segment of segments)
    pointer +=
      typeof segment === "number" || !/[~/]/.test(segment)
        ? `/${segment}`
        : `/${segment.replace(/~/g, "~0").replace(/\//g, "~1")}`;
  return pointer;
};

/** What the sanitizer plugs into the copy. */
export interface CopyHooks {
  /** Called before a key's value is read: 1 drops it unread, 2 keeps it without value checks, 0 keeps it. */
  key(key: string): 0 | 1 | 2;
  /** The reason a string value must go, or undefined. */
  value(value: string): RemovalReason | undefined;
  /** Told about every removal, with the path in both notations. */
  removed(reason: RemovalReason, path: string, pointer: string): void;
}

/**
 * The one deep copy into JSON-safe data, shared by validateMetadata (`strict`: a value JSON
 * cannot hold, a getter, a Proxy trap that throws or nesting past MAX_METADATA_DEPTH throws a
 * NametagError with its path) and sanitizeMetadata (lenient: JSON.stringify's rules, except that a
 * BigInt becomes its decimal string, a circular reference is dropped, and what cannot be read or
 * nests too deep is dropped and reported). `__proto__` keys stay data. The path is kept as a stack
 * of segments and only formatted when a message or a removal needs it: building a string per node
 * made sanitizing 1 MB four times slower than a JSON copy.
 */
export function copyJson(
  value: unknown,
  root: string,
  strict: boolean,
  hooks?: CopyHooks,
): unknown {
  const segments: (string | number)[] = root ? [root] : [];
  const ancestors = new Set<object>();
  const path = () => formatPath(segments);
  const remove = (reason: RemovalReason) => hooks?.removed(reason, path(), formatPointer(segments));
  const unsupported = (what: string | false, cause?: unknown) => {
    if (!strict) return;
    throw fail(
      "METADATA_UNSUPPORTED_VALUE",
      DEV &&
        `userMetadata holds ${what} at ${path()}. Pass only strings, numbers, booleans, null, arrays, plain objects or Dates.`,
      { details: { path: path() }, cause },
    );
  };
  // A getter or a Proxy trap that throws: refused in strict mode, dropped and reported otherwise.
  const unreadable = (cause: unknown) => {
    if (cause instanceof NametagError) throw cause;
    unsupported(DEV && "a value that throws when read (a getter or a Proxy)", cause);
    remove("unreadable");
  };
  // Strict: one read of the own property descriptor, so a getter (an accessor) is refused rather
  // than run, and a Proxy cannot answer differently on a second read. (Lenient reads are plain.)
  const read = (object: Record<string | number, unknown>, key: string | number): unknown => {
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    if (descriptor && !("value" in descriptor))
      unsupported(DEV && "a getter (an accessor property)");
    return descriptor?.value;
  };
  const copy = (value: unknown, depth: number): unknown => {
    switch (typeof value) {
      case "number":
        if (Number.isFinite(value)) return strict ? value : value + 0; // lenient: no -0, as JSON
        unsupported(DEV && "a non-finite number");
        return null;
      case "bigint":
        unsupported(DEV && "a BigInt");
        return value.toString();
      case "function":
      case "symbol":
        unsupported(DEV && `a ${typeof value}`);
        return undefined;
      case "object":
        if (value !== null) {
          try {
            return copyObject(value, depth + 1);
          } catch (error) {
            // No longer being copied: another reference to it is not a cycle.
            ancestors.delete(value);
            unreadable(error);
            return undefined;
          }
        }
        break;
      case "string":
        if (hooks) {
          const reason = hooks.value(value);
          if (reason) {
            remove(reason);
            return undefined;
          }
        }
    }
    return value; // a string, a boolean, null or undefined
  };
  const copyObject = (object: object, depth: number): unknown => {
    if (ancestors.has(object)) {
      if (!strict) return undefined;
      throw fail(
        "METADATA_CIRCULAR",
        DEV && `userMetadata has a circular reference at ${path()}. Pass plain, tree-shaped data.`,
        { details: { path: path() } },
      );
    }
    if (depth > MAX_METADATA_DEPTH) {
      if (strict) {
        throw fail(
          "METADATA_TOO_DEEP",
          DEV &&
            `userMetadata nests deeper than ${MAX_METADATA_DEPTH} levels at ${path()}. Flatten it: the agent only needs a few levels.`,
          { details: { path: path(), maxDepth: MAX_METADATA_DEPTH } },
        );
      }
      remove("too-deep");
      return undefined;
    }
    if (object instanceof Date) {
      // The ISO string, or null for an invalid Date: what JSON.stringify writes.
      const iso = object.toJSON();
      if (iso === null) unsupported(DEV && "an invalid Date");
      return iso;
    }
    ancestors.add(object);
    let out: unknown[] | Record<string, unknown>;
    const source = object as Record<string | number, unknown>;
    if (Array.isArray(object)) {
      out = [];
      const length = object.length;
      for (let index = 0; index < length; index++) {
        segments.push(index);
        let item: unknown;
        try {
          item = copy(strict ? read(source, index) : source[index], depth);
        } catch (error) {
          unreadable(error);
        }
        out.push(item ?? null);
        segments.pop();
      }
    } else {
      if (!isPlainObject(object))
        unsupported(DEV && `an instance of ${object.constructor?.name ?? "a class"}`);
      // Key by key into a literal: collecting entries for Object.fromEntries is shorter but made
      // sanitizing 1.3–1.5× slower (bench: sanitize / JSON copy).
      out = {};
      for (const key of Object.keys(object)) {
        segments.push(key);
        let copied: unknown;
        const verdict = hooks ? hooks.key(key) : 0;
        if (verdict === 1) {
          remove("key");
        } else {
          try {
            const child = strict ? read(source, key) : source[key];
            // An allowed key's own string value skips the value checks (the host said so).
            copied = verdict === 2 && typeof child === "string" ? child : copy(child, depth);
          } catch (error) {
            unreadable(error);
          }
        }
        segments.pop();
        if (copied === undefined) continue; // dropped, or left out as JSON does
        if (key === "__proto__") {
          // Defined, not assigned: the key stays data and never swaps the copy's prototype.
          Object.defineProperty(out, key, {
            value: copied,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          out[key] = copied;
        }
      }
    }
    ancestors.delete(object);
    return out;
  };
  // A root object that cannot be read is handled like any other (copy catches around objects).
  return copy(value, 0);
}
