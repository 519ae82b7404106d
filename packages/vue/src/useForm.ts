import { createFormResource } from "@nametag/core";
import type { FormRequest, FormSchema, NametagError } from "@nametag/core";
import { computed, toValue, watch } from "vue";
import type { MaybeRefOrGetter, Ref } from "vue";
import { bindResource } from "./useConversations";
import { injectNametag } from "./useNametag";

export interface UseFormResult {
  /** The resolved schema (fields pre-filled from userMetadata by exact name); undefined until resolved. */
  schema: Readonly<Ref<FormSchema | undefined>>;
  loading: Readonly<Ref<boolean>>;
  error: Readonly<Ref<NametagError | undefined>>;
}

/**
 * Resolves a form (a name registered with `client.forms.register()`, or a schema) for the current
 * user. Resolves again when the identity, the name or the args change; a late answer for an
 * older input is dropped, and a new user never sees the previous user's values.
 */
export function useForm(
  nameOrSchema: MaybeRefOrGetter<string | FormSchema>,
  args?: MaybeRefOrGetter<Record<string, unknown> | undefined>,
): UseFormResult {
  const client = injectNametag("useForm");
  const key = computed(() => JSON.stringify([toValue(nameOrSchema), toValue(args)]));
  // The form and its args are part of the owner: another form is a new, empty state too.
  const resource = createFormResource(client, () => JSON.parse(key.value) as FormRequest);
  const { start, field } = bindResource(resource);
  watch(key, () => {
    start();
    void resource.refresh();
  });
  return {
    schema: field((state) => state.data),
    loading: field((state) => state.loading),
    error: field((state) => state.error),
  };
}
