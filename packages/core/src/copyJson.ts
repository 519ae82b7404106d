import { DEV, fail } from "./errors";

/** Writes `key` as an own data property, so `__proto__` stays data and never swaps a prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  const proto = value !== null && typeof value === "object" && Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * The one deep copy into JSON-safe data, shared by validateMetadata (`strict`: a value JSON
 * cannot hold throws, with its path) and sanitizeMetadata (lenient: JSON.stringify's rules, except
 * that a BigInt becomes its decimal string and a circular reference is dropped). `drop` skips a
 * key (the sanitizer's sensitive keys). `__proto__` keys stay data.
 */
export function copyJson(
  value: unknown,
  path: string,
  strict: boolean,
  drop?: (key: string, path: string) => boolean,
  ancestors: Set<object> = new Set(),
): unknown {
  const unsupported = (what: string | false) => {
    if (!strict) return;
    throw fail(
      "METADATA_UNSUPPORTED_VALUE",
      DEV &&
        `userMetadata holds ${what} at ${path}. Pass only strings, numbers, booleans, null, arrays, plain objects or Dates.`,
      { details: { path } },
    );
  };
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
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
    case "undefined":
      return undefined;
  }
  if (value === null) return null;
  const object = value as Record<string, unknown>;
  if (ancestors.has(object)) {
    if (!strict) return undefined;
    throw fail(
      "METADATA_CIRCULAR",
      DEV && `userMetadata has a circular reference at ${path}. Pass plain, tree-shaped data.`,
      { details: { path } },
    );
  }
  if (object instanceof Date) {
    if (!Number.isNaN(object.getTime())) return object.toISOString();
    unsupported(DEV && "an invalid Date");
    return null;
  }
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      return Array.from(object, (item, index) => {
        const copied = copyJson(item, `${path}[${index}]`, strict, drop, ancestors);
        return copied === undefined ? null : copied;
      });
    }
    if (!isPlainObject(object))
      unsupported(DEV && `an instance of ${(value as object).constructor?.name ?? "a class"}`);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      const keyPath = path ? `${path}.${key}` : key;
      if (drop?.(key, keyPath)) continue;
      const copied = copyJson(object[key], keyPath, strict, drop, ancestors);
      if (copied !== undefined) setOwn(out, key, copied);
    }
    return out;
  } finally {
    ancestors.delete(object);
  }
}
