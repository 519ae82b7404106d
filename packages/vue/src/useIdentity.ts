import type { Identity } from "@nametag/core";
import { getCurrentScope, onScopeDispose, shallowReadonly, shallowRef } from "vue";
import type { ShallowRef } from "vue";
import { injectNametag } from "./useNametag";

/** Subscribes to the client; the subscription ends with the calling component or effect scope. */
export function watchIdentity(composable: string): Readonly<ShallowRef<Identity>> {
  const client = injectNametag(composable);
  // Core returns the same frozen object until the identity changes, so a shallowRef is enough.
  const identity = shallowRef(client.getIdentity());
  const unsubscribe = client.subscribe(() => {
    identity.value = client.getIdentity();
  });
  if (getCurrentScope()) onScopeDispose(unsubscribe);
  return shallowReadonly(identity);
}

/**
 * The current identity, sanitized (`{ status, visitorId, userId, userMetadata }`), as a readonly
 * ref that updates on every identity change. Derive parts with `computed()`.
 */
export function useIdentity(): Readonly<ShallowRef<Identity>> {
  return watchIdentity("useIdentity");
}
