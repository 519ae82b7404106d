import type { NametagClient } from "@nametag/core";
import { NametagError } from "@nametag/core";
import { createContext, useContext } from "react";

/** Holds the client of the nearest `<NametagProvider>`; `null` outside one. */
export const NametagContext = /* @__PURE__ */ createContext<NametagClient | null>(null);
NametagContext.displayName = "NametagContext";

/** The provider's client, or a `MISSING_PROVIDER` error that names the hook and the fix. */
export function useClient(hook: string): NametagClient {
  const client = useContext(NametagContext);
  if (!client) {
    throw new NametagError(
      "MISSING_PROVIDER",
      `${hook}() must be used inside <NametagProvider>: wrap your app in <NametagProvider options={{ apiUrl }}>.`,
    );
  }
  return client;
}
