import { createNametag as createNametagClient } from "@nametag/core";
import type { NametagClient, NametagOptions } from "@nametag/core";
import type { App } from "vue";
import { nametagKey } from "./keys";

/** Options for a new client, or `{ client }` to share one you created with `@nametag/core`. */
export type NametagPluginOptions = NametagOptions | { client: NametagClient };

/** What `createNametag()` returns: pass it to `app.use()`. */
export interface NametagPlugin {
  install(app: App): void;
  /** The client the plugin provides, for code outside components (stores, router guards). */
  readonly client: NametagClient;
}

/**
 * Creates the Vue plugin. `install` provides the client to every component and mounts it (core
 * counts mounts); the app's unmount releases it. On the server nothing is mounted, so SSR sends
 * no request and touches no `window`.
 */
export function createNametag(options: NametagPluginOptions): NametagPlugin {
  const client = "client" in options ? options.client : createNametagClient(options);
  return {
    client,
    install(app) {
      app.provide(nametagKey, client);
      if (typeof window === "undefined") return;
      client.mount();
      // app.onUnmount arrived in Vue 3.5; on 3.3/3.4 wrap app.unmount instead.
      if (typeof app.onUnmount === "function") {
        app.onUnmount(client.unmount);
      } else {
        const unmountApp = app.unmount;
        app.unmount = () => {
          unmountApp();
          client.unmount();
        };
      }
    },
  };
}
