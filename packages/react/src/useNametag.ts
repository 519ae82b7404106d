import type { NametagClient } from "@nametag/core";
import { useClient } from "./context";

/** The client of the nearest `<NametagProvider>`: identify, reset, conversations, events. */
export function useNametag(): NametagClient {
  return useClient("useNametag");
}
