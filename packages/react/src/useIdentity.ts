import type { Identity } from "@nametag/core";
import { useMemo, useSyncExternalStore } from "react";
import { useClient } from "./context";

const whole = (identity: Identity) => identity;

/**
 * The current identity (`{ status, visitorId, userId, userMetadata }`, sanitized), or the part a
 * selector picks. With a selector the component re-renders only when the selected value changes
 * (`Object.is`): `useIdentity(s => s.userId)` ignores metadata updates.
 */
export function useIdentity(): Identity;
export function useIdentity<T>(selector: (identity: Identity) => T): T;
export function useIdentity<T>(selector?: (identity: Identity) => T): T | Identity {
  return useSelection<T | Identity>("useIdentity", selector ?? whole);
}

/** Subscribes through `useSyncExternalStore`; the server snapshot is the same side-effect-free `getIdentity()`. */
export function useSelection<T>(hook: string, selector: (identity: Identity) => T): T {
  const client = useClient(hook);
  const getSelection = useMemo(() => {
    // Cache per snapshot so a selector that builds a new object does not make React loop.
    let last: [Identity, T] | undefined;
    return () => {
      const identity = client.getIdentity();
      if (!last || last[0] !== identity) {
        const next = selector(identity);
        last = [identity, last && Object.is(last[1], next) ? last[1] : next];
      }
      return last[1];
    };
  }, [client, selector]);
  return useSyncExternalStore(client.subscribe, getSelection, getSelection);
}
