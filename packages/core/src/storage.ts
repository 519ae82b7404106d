import { DEV } from "./errors";
import { USER_ID_PATTERN, VISITOR_ID_PATTERN } from "./protocol";
import type { UserMetadata } from "./protocol";
import type { Persistence, StorageLike } from "./types";

/** The one key Nametag writes in web storage. */
export const STORAGE_KEY = "nametag:state";
/** Bumped when the stored shape changes; other versions are discarded, never migrated blindly. */
export const STATE_VERSION = 1;

/**
 * What survives a reload. `userId` is set only once the backend confirmed the link; metadata is the
 * SANITIZED copy; `fingerprint` is a hash of the identify input, written only when that input holds
 * no secret (nothing the sanitizer removed, no userHash or identityToken), so an identical identify
 * after a reload sends nothing and storage holds nothing a secret can be recovered from. An identity
 * with secrets is stored with `fingerprint: null` and linked once per page load.
 */
export interface PersistedState {
  v: typeof STATE_VERSION;
  visitorId: string;
  userId: string | null;
  userMetadata: UserMetadata;
  fingerprint: string | null;
  /** The cross-tab order of the request this state answers (see identityState.ts). */
  seq?: number;
}

export function createMemoryStorage(): StorageLike {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
}

export interface ResolvedStorage {
  storage: StorageLike;
  /** Whether other tabs can see this storage (localStorage or a custom StorageLike). */
  shared: boolean;
}

/**
 * Picks the backing store. Web storage can throw on access (Safari private mode, sandboxed
 * iframes, blocked cookies: SecurityError) or on write (QuotaExceededError): either way Nametag
 * falls back to memory with ONE warning and keeps working. Without a `window` (a server, even one
 * with a global `localStorage` such as Deno or Node with Web Storage on) web storage is never
 * touched: memory, silently. Only an explicit StorageLike object is used everywhere.
 */
export function resolveStorage(
  persistence: Persistence | undefined,
  warn: (message: string) => void,
): ResolvedStorage {
  const choice = persistence ?? "localStorage";
  let web: StorageLike | undefined;
  if (typeof choice === "object") web = choice;
  else if (choice !== "memory" && typeof (globalThis as { window?: unknown }).window === "object") {
    try {
      web = (globalThis as unknown as Record<string, Storage | undefined>)[choice];
    } catch (error) {
      warn(fallbackWarning(error));
    }
  }
  return {
    storage: web ? withFallback(web, warn) : createMemoryStorage(),
    shared: !!web && choice !== "sessionStorage",
  };
}

// Production keeps a short warning (still one, still naming the error); the sentence is development help.
const fallbackWarning = (error: unknown) =>
  `Storage failed (${error instanceof Error ? error.name : String(error)}); ${
    (DEV && "Nametag keeps the identity in memory for this page only.") || "in memory"
  }`;

function withFallback(primary: StorageLike, warn: (message: string) => void): StorageLike {
  let active: StorageLike = primary;
  const wrapped = {} as Record<keyof StorageLike, (...args: string[]) => unknown>;
  for (const method of ["getItem", "setItem", "removeItem"] as const) {
    wrapped[method] = (...args) => {
      try {
        return (active[method] as (...a: string[]) => unknown)(...args);
      } catch (error) {
        if (active === primary) {
          active = createMemoryStorage();
          warn(fallbackWarning(error));
        }
        return (active[method] as (...a: string[]) => unknown)(...args);
      }
    };
  }
  return wrapped as unknown as StorageLike;
}

/** Parses a stored value; anything corrupt, of another shape or another version gives null. */
export function parseState(raw: string | null | undefined): PersistedState | null {
  try {
    const { v, visitorId, userId, userMetadata, fingerprint, seq } = JSON.parse(
      raw as string,
    ) as PersistedState;
    return v === STATE_VERSION &&
      typeof visitorId === "string" &&
      VISITOR_ID_PATTERN.test(visitorId) &&
      (userId === null || (typeof userId === "string" && USER_ID_PATTERN.test(userId))) &&
      !!userMetadata &&
      typeof userMetadata === "object" &&
      !Array.isArray(userMetadata) &&
      (fingerprint === null || typeof fingerprint === "string")
      ? { v, visitorId, userId, userMetadata, fingerprint, seq: +seq! || undefined }
      : null;
  } catch {
    // Not JSON, not an object (destructuring null throws), or corrupt: discarded.
    return null;
  }
}

export function readState(storage: StorageLike): PersistedState | null {
  return parseState(storage.getItem(STORAGE_KEY));
}

/** Writes `state` under STORAGE_KEY and returns the text written, which other tabs are sent. */
export function writeState(storage: StorageLike, state: Omit<PersistedState, "v">): string {
  const raw = JSON.stringify({ v: STATE_VERSION, ...state });
  storage.setItem(STORAGE_KEY, raw);
  return raw;
}
