import type { NametagClient, NametagOptions } from "@nametag/core";
import { NametagError, createNametag } from "@nametag/core";
import type { ReactNode } from "react";
import { useContext, useEffect, useState } from "react";
import { NametagContext } from "./context";

/** Pass a client you created with `createNametag()`, or the options to create one with. */
export type NametagProviderProps = { children?: ReactNode } & (
  { client: NametagClient; options?: never } | { options: NametagOptions; client?: never }
);

/**
 * Makes a Nametag client available to the hooks below it. The client is created once (never
 * during a re-render) and mounted in an effect: no I/O during render, and StrictMode's double
 * mount is harmless because core reference-counts `mount()` / `unmount()`.
 */
export function NametagProvider({ client, options, children }: NametagProviderProps) {
  if (useContext(NametagContext)) {
    throw new NametagError(
      "NESTED_PROVIDER",
      "<NametagProvider> is nested in another: keep one at the root of your app and read it with useNametag().",
    );
  }
  // Created once; creating a client has no side effects (core opens nothing before mount()).
  const [owned] = useState(() => (client ? null : createNametag(options as NametagOptions)));
  const active = client ?? (owned as NametagClient);
  useEffect(() => {
    active.mount();
    return active.unmount;
  }, [active]);
  return <NametagContext.Provider value={active}>{children}</NametagContext.Provider>;
}
NametagProvider.displayName = "NametagProvider";
