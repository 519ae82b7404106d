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
  if (value && typeof value === "object") Object.values(value).map(freeze);
  return Object.freeze(value);
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
  const keyOf = (state: IdentityState) =>
    stableStringify([state.status, state.visitorId, state.user?.userId, state.user?.sanitized]);
  let snapshot = of(state);
  let key = keyOf(state);
  return {
    get: () => snapshot,
    /** Returns the new snapshot when `state` publishes a change, else undefined. */
    update(state: IdentityState): Identity | undefined {
      const next = keyOf(state);
      if (next === key) return undefined;
      key = next;
      return (snapshot = of(state));
    },
  };
}

/** Tells the page (e.g. a widget iframe host) about a change: own origin, sanitized data only. */
export function postIdentity(snapshot: Identity): void {
  const target = getWindow();
  const origin = target?.location?.origin;
  if (!origin || origin === "null") return;
  try {
    // A window without postMessage throws here, like one that cannot receive messages.
    target!.postMessage({ type: IDENTITY_UPDATE_MESSAGE, data: snapshot }, origin);
  } catch {
    // A page that cannot receive messages is not an error worth surfacing.
  }
}
