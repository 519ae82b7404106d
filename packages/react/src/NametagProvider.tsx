import type { NametagClient, NametagOptions } from "@nametag/core";
import { NametagError, createNametag } from "@nametag/core";
import type { ReactNode } from "react";
import { useContext, useEffect, useRef, useState } from "react";
import { NametagContext } from "./context";

/** Pass a client you created with `createNametag()`, or the options to create one with. */
export type NametagProviderProps = { children?: ReactNode } & (
  { client: NametagClient; options?: never } | { options: NametagOptions; client?: never }
);

// Functions are skipped (an inline `onError` is new on every render, and harmless).
const comparable = (value: unknown) =>
  JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner == "function" ? 0 : inner instanceof RegExp ? `${inner}` : inner,
  );

/**
 * In development, warns once when `options` change after the first render: the client was
 * created from the first ones and keeps them, so the change would be silently ignored.
 */
function useWarnOnChangedOptions(options?: NametagOptions): void {
  // The options the client was created with; cleared once warned (one warning per provider).
  const first = useRef(options);
  // Bundlers replace `process.env.NODE_ENV`: in production the check and its text are dropped.
  if (process.env.NODE_ENV !== "production" && first.current && options) {
    const initial: Record<string, unknown> = { ...first.current };
    const current: Record<string, unknown> = { ...options };
    const changed = Object.keys({ ...initial, ...current }).filter(
      (key) => comparable(initial[key]) != comparable(current[key]),
    );
    if (changed.length) {
      first.current = undefined;
      console.warn(
        `[nametag] provider options changed after the first render (${changed}): ignored, the ` +
          "client keeps the first ones. Key the provider (key={apiUrl}) or pass a client.",
      );
    }
  }
}

/**
 * Makes a Nametag client available to the hooks below it. The client is created once (never
 * during a re-render) and mounted in an effect: no I/O during render, and StrictMode's double
 * mount is harmless because core reference-counts `mount()` / `unmount()`. Its options are read
 * once: changing them later warns in development (key the provider to start a new client).
 */
export function NametagProvider({ client, options, children }: NametagProviderProps) {
  if (useContext(NametagContext)) {
    throw new NametagError(
      "NESTED_PROVIDER",
      "<NametagProvider> is nested in another: keep one at the root of your app and read it with useNametag().",
    );
  }
  useWarnOnChangedOptions(options);
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
