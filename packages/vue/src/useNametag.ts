import { NametagError } from "@nametag/core";
import type { NametagClient } from "@nametag/core";
import { hasInjectionContext, inject } from "vue";
import { nametagKey } from "./keys";

/** Injects the client; the errors name the composable that was called and how to fix it. */
export function injectNametag(composable: string): NametagClient {
  if (!hasInjectionContext()) {
    throw new NametagError(
      "VUE_OUTSIDE_SETUP",
      `${composable}() must be called inside setup() (or app.runWithContext()). Outside components, use createNametag(...).client.`,
    );
  }
  const client = inject(nametagKey, null);
  if (!client) {
    throw new NametagError(
      "VUE_PLUGIN_MISSING",
      `${composable}() needs app.use(createNametag(...)) before the app mounts.`,
    );
  }
  return client;
}

/** The client the plugin provides. Call it in `setup()` (or `app.runWithContext()`). */
export function useNametag(): NametagClient {
  return injectNametag("useNametag");
}
