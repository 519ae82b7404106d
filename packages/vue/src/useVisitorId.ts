import { computed } from "vue";
import type { ComputedRef } from "vue";
import { watchIdentity } from "./useIdentity";

/** The anonymous visitor id (`v_<ms>_<random>`); it changes when the user logs out. */
export function useVisitorId(): ComputedRef<string> {
  const identity = watchIdentity("useVisitorId");
  return computed(() => identity.value.visitorId);
}
