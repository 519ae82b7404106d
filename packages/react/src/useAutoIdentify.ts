import type { AuthUser } from "@nametag/core";
import { useEffect } from "react";
import { useClient } from "./context";

const ignore = () => {};

/**
 * Keeps Nametag in step with your auth state: pass the signed-in user, `null` when signed out, or
 * `undefined` while auth is loading. Core's `syncAuth()` decides what to send (identical repeats
 * send nothing; `null` resets only a user who is identified), so calling this on every render is
 * fine. Invalid input throws (to your error boundary); request failures reach the client's
 * `onError` option and `"error"` event.
 */
export function useAutoIdentify(user: AuthUser): void {
  const client = useClient("useAutoIdentify");
  useEffect(() => {
    client.syncAuth(user).catch(ignore);
  }, [client, user]);
}
