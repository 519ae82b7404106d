import { computed, toValue } from "vue";
import type { ComputedRef, MaybeRefOrGetter } from "vue";
import { watchIdentity } from "./useIdentity";
import { injectNametag } from "./useNametag";

/**
 * Renders a message template (`"Hello {{userMetadata.name}}!"`) from the sanitized identity.
 * Re-renders when the identity or the template changes; missing values render as "".
 */
export function useTemplate(template: MaybeRefOrGetter<string>): ComputedRef<string> {
  const client = injectNametag("useTemplate");
  const identity = watchIdentity("useTemplate");
  return computed(() => (identity.value, client.render(toValue(template))));
}
