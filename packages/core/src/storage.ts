import { USER_ID_PATTERN, VISITOR_ID_PATTERN } from "./protocol";
import type { UserMetadata } from "./protocol";
import type { Persistence, StorageLike } from "./types";

/** The one key Nametag writes in web storage. */
export const STORAGE_KEY = "nametag:state";
/** Bumped when the stored shape changes; other versions are discarded, never migrated blindly. */
export const STATE_VERSION = 1;

/**
 * What survives a reload. `userId` is set only once the backend confirmed the link; metadata is the
 * SANITIZED copy; `fingerprint` is a hash of the full identify input, so an identical identify after
 * a reload sends nothing without any sensitive value being written.
 */
export interface PersistedState {
  v: typeof STATE_VERSION;
  visitorId: string;
  userId: string | null;
  userMetadata: UserMetadata;
  fingerprint: string | null;
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
 * falls back to memory with ONE warning and keeps working. On a server there is no storage: memory,
 * silently.
 */
export function resolveStorage(
  persistence: Persistence | undefined,
  warn: (message: string) => void,
): ResolvedStorage {
  const choice = persistence ?? "localStorage";
  if (choice === "memory") return { storage: createMemoryStorage(), shared: false };
  if (typeof choice === "object" && choice !== null)
    return { storage: withFallback(choice, warn), shared: true };
  let web: Storage | undefined;
  try {
    web = (globalThis as unknown as Record<string, Storage | undefined>)[choice];
  } catch (error) {
    warn(
      `${choice} is not accessible (${errorName(error)}); Nametag keeps the identity in memory for this page only.`,
    );
    return { storage: createMemoryStorage(), shared: false };
  }
  if (!web) return { storage: createMemoryStorage(), shared: false };
  return { storage: withFallback(web, warn), shared: choice === "localStorage" };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : String(error);
}

function withFallback(primary: StorageLike, warn: (message: string) => void): StorageLike {
  let active: StorageLike = primary;
  const fallBack = (error: unknown) => {
    if (active !== primary) return;
    active = createMemoryStorage();
    warn(
      `Storage failed (${errorName(error)}); Nametag keeps the identity in memory for this page only.`,
    );
  };
  return {
    getItem(key) {
      try {
        return active.getItem(key);
      } catch (error) {
        fallBack(error);
        return active.getItem(key);
      }
    },
    setItem(key, value) {
      try {
        active.setItem(key, value);
      } catch (error) {
        fallBack(error);
        active.setItem(key, value);
      }
    },
    removeItem(key) {
      try {
        active.removeItem(key);
      } catch (error) {
        fallBack(error);
        active.removeItem(key);
      }
    },
  };
}

/** Parses a stored value; anything corrupt, of another shape or another version gives null. */
export function parseState(raw: string | null | undefined): PersistedState | null {
  if (!raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const state = value as Record<string, unknown>;
  if (state.v !== STATE_VERSION) return null;
  if (typeof state.visitorId !== "string" || !VISITOR_ID_PATTERN.test(state.visitorId)) return null;
  if (
    state.userId !== null &&
    (typeof state.userId !== "string" || !USER_ID_PATTERN.test(state.userId))
  )
    return null;
  const metadata = state.userMetadata;
  if (!metadata || typeof metadata !== "object" || Array.isArray(metadata)) return null;
  if (state.fingerprint !== null && typeof state.fingerprint !== "string") return null;
  return {
    v: STATE_VERSION,
    visitorId: state.visitorId,
    userId: state.userId,
    userMetadata: metadata as UserMetadata,
    fingerprint: state.fingerprint,
  };
}

export function readState(storage: StorageLike): PersistedState | null {
  const state = parseState(storage.getItem(STORAGE_KEY));
  return state;
}

export function serializeState(state: Omit<PersistedState, "v">): string {
  return JSON.stringify({ v: STATE_VERSION, ...state });
}

export function writeState(storage: StorageLike, state: Omit<PersistedState, "v">): string {
  const raw = serializeState(state);
  storage.setItem(STORAGE_KEY, raw);
  return raw;
}
