import type { NametagClient } from "@nametag/core";
import type { InjectionKey } from "vue";

/** Where the plugin provides the client; `inject(nametagKey)` is what `useNametag()` does. */
export const nametagKey: InjectionKey<NametagClient> = Symbol("nametag");
