import type { AuthUser } from "@nametag/core";
import { toRaw, toValue, watch } from "vue";
import type { MaybeRefOrGetter, WatchStopHandle } from "vue";
import { injectNametag } from "./useNametag";

/**
 * Keeps Nametag in step with your auth state: pass a ref, computed or getter that returns the
 * signed-in user (`{ userId, userMetadata, ... }`), `null` when signed out, or `undefined` while
 * auth is loading. Every change goes to `client.syncAuth()`, which dedupes and decides whether to
 * identify or reset. Returns the watcher's stop handle.
 */
export function useAutoIdentify(source: MaybeRefOrGetter<AuthUser>): WatchStopHandle {
  const client = injectNametag("useAutoIdentify");
  // Returning the promise lets Vue route a rejection to app.config.errorHandler.
  // toRaw: hand core the plain object, not a reactive proxy (stores and refs give proxies).
  // During SSR a watcher that is not immediate never runs: the server sends nothing, and the
  // identity the server knows comes from the client's `initialIdentity` instead.
  return watch(
    () => toValue(source),
    (user) => client.syncAuth(toRaw(user)),
    {
      immediate: typeof window !== "undefined",
      deep: true,
    },
  );
}
