import { stableStringify } from "./fingerprint";
import type { IdentityState } from "./identityState";
import type { Identity } from "./types";

/** The `postMessage` type of identity updates, sent to the page's own origin only. */
export const IDENTITY_UPDATE_MESSAGE = "nametag:identityUpdate";

export type WindowLike = Pick<
  Window,
  "addEventListener" | "removeEventListener" | "postMessage"
> & {
  location?: { origin?: string };
};

export function getWindow(): WindowLike | undefined {
  const candidate = (globalThis as { window?: WindowLike }).window;
  return candidate && typeof candidate.addEventListener === "function" ? candidate : undefined;
}

function freeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) freeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * The published identity: frozen, the same reference until status, visitor, user or the sanitized
 * metadata change (React's useSyncExternalStore and Vue's shallowRef rely on it).
 */
export function createSnapshot(state: IdentityState) {
  const of = (state: IdentityState): Identity =>
    freeze({
      status: state.status,
      visitorId: state.visitorId,
      userId: state.user?.userId ?? null,
      userMetadata: state.user?.sanitized ?? {},
    });
  let snapshot = of(state);
  let metadataKey = stableStringify(snapshot.userMetadata);
  return {
    get: () => snapshot,
    /** Returns the new snapshot when `state` publishes a change, else undefined. */
    update(state: IdentityState): Identity | undefined {
      const userMetadata = state.user?.sanitized ?? {};
      const same =
        state.status === snapshot.status &&
        state.visitorId === snapshot.visitorId &&
        (state.user?.userId ?? null) === snapshot.userId;
      if (same && userMetadata === snapshot.userMetadata) return undefined;
      const key = stableStringify(userMetadata);
      if (same && key === metadataKey) return undefined;
      metadataKey = key;
      return (snapshot = of(state));
    },
  };
}

/** Tells the page (e.g. a widget iframe host) about a change: own origin, sanitized data only. */
export function postIdentity(snapshot: Identity): void {
  const target = getWindow();
  const origin = target?.location?.origin;
  if (!target || typeof target.postMessage !== "function" || !origin || origin === "null") return;
  try {
    target.postMessage({ type: IDENTITY_UPDATE_MESSAGE, data: snapshot }, origin);
  } catch {
    // A page that cannot receive messages is not an error worth surfacing.
  }
}
