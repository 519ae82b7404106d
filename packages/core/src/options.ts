import { DEV, fail } from "./errors";
import type { NametagOptions, StorageLike } from "./types";

const isPatternList = (value: unknown): boolean =>
  value === undefined ||
  (Array.isArray(value) && value.every((key) => typeof key === "string" || key instanceof RegExp));

const check = (valid: unknown, message: string | false) => {
  if (!valid) throw fail("INVALID_OPTIONS", message);
};

/**
 * Throws INVALID_OPTIONS, with what to pass instead, for the first option that is wrong. Only
 * apiUrl is checked in production builds; the rest are development-build help (`DEV &&` folds the
 * call away, so production bundles carry neither the checks nor their messages).
 */
export function assertOptions(options: NametagOptions | undefined): void {
  check(
    typeof options?.apiUrl === "string" && options.apiUrl.trim(),
    DEV &&
      'createNametag() needs apiUrl: your backend URL or proxy route, e.g. createNametag({ apiUrl: "/api/nametag" }).',
  );
  // eslint-disable-next-line @typescript-eslint/no-unused-expressions
  DEV && assertDevOptions(options as NametagOptions);
}

function assertDevOptions(options: NametagOptions): void {
  const { persistence, sensitiveKeys, allowKeys } = options as NametagOptions;
  check(
    persistence === undefined ||
      ["localStorage", "sessionStorage", "memory"].includes(persistence as string) ||
      (["getItem", "setItem", "removeItem"] as const).every(
        (method) => typeof (persistence as Partial<StorageLike> | null)?.[method] === "function",
      ),
    'persistence must be "localStorage", "sessionStorage", "memory" or an object with getItem, setItem and removeItem.',
  );
  for (const name of ["timeoutMs", "maxMetadataBytes"] as const) {
    const value = options[name];
    check(
      value === undefined || (typeof value === "number" && value > 0),
      `${name} must be a positive number of ${name === "timeoutMs" ? "milliseconds" : "bytes"}.`,
    );
  }
  check(isPatternList(sensitiveKeys), "sensitiveKeys must be an array of strings or RegExps.");
  check(isPatternList(allowKeys), "allowKeys must be an array of strings or RegExps.");
}
