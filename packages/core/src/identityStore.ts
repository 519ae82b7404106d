import { stableStringify } from "./fingerprint";
import type { UserMetadata } from "./protocol";
import type { Identity, IdentityStatus } from "./types";

export interface IdentityStore {
  /** The current identity: the same frozen object until something changes. */
  getSnapshot(): Identity;
  /** Replaces the identity; returns false (and keeps the old reference) when nothing changed. */
  set(next: {
    status: IdentityStatus;
    visitorId: string;
    userId: string | null;
    userMetadata: UserMetadata;
  }): boolean;
  subscribe(listener: () => void): () => void;
  /**
   * Starts a new identity generation. Work started under an older generation (a late link
   * response after a reset) checks `isCurrent` and is dropped.
   */
  nextGeneration(): number;
  readonly generation: number;
  isCurrent(generation: number): boolean;
  clear(): void;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export function createIdentityStore(initial: Identity): IdentityStore {
  let snapshot: Identity = deepFreeze({ ...initial });
  let metadataKey = stableStringify(snapshot.userMetadata);
  let generation = 0;
  const listeners = new Set<() => void>();
  return {
    getSnapshot: () => snapshot,
    set(next) {
      const sameIds =
        next.status === snapshot.status &&
        next.visitorId === snapshot.visitorId &&
        next.userId === snapshot.userId;
      // The same metadata object (the client reuses its sanitized copy) needs no serialising.
      if (sameIds && next.userMetadata === snapshot.userMetadata) return false;
      const nextKey = stableStringify(next.userMetadata);
      if (sameIds && nextKey === metadataKey) return false;
      snapshot = deepFreeze({
        status: next.status,
        visitorId: next.visitorId,
        userId: next.userId,
        userMetadata: next.userMetadata,
      });
      metadataKey = nextKey;
      for (const listener of [...listeners]) listener();
      return true;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    nextGeneration: () => ++generation,
    get generation() {
      return generation;
    },
    isCurrent: (candidate) => candidate === generation,
    clear: () => listeners.clear(),
  };
}
