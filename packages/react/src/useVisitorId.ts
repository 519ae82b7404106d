import type { Identity } from "@nametag/core";
import { useSelection } from "./useIdentity";

const selectVisitorId = (identity: Identity) => identity.visitorId;

/** The anonymous visitor id (`v_<epoch ms>_<base36>`); it changes when the user is reset. */
export function useVisitorId(): string {
  return useSelection("useVisitorId", selectVisitorId);
}
