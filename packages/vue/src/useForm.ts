import { createOwnedResource } from "@nametag/core";
import type { FormSchema, Identity, NametagError } from "@nametag/core";
import { computed, getCurrentScope, onScopeDispose, shallowRef, toValue, watch } from "vue";
import type { MaybeRefOrGetter, Ref } from "vue";
import { bindResource } from "./useConversations";
import { injectNametag } from "./useNametag";

export interface UseFormResult {
  /** The resolved schema (fields pre-filled from userMetadata by exact name); undefined until resolved. */
  schema: Readonly<Ref<FormSchema | undefined>>;
  loading: Readonly<Ref<boolean>>;
  error: Readonly<Ref<NametagError | undefined>>;
}

// Resolve again when the user or their metadata changes, not on a status change alone.
const selectUser = (identity: Identity) => JSON.stringify([identity.userId, identity.userMetadata]);

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
  const bind = (key: string) =>
    bindResource(
      createOwnedResource<FormSchema | undefined>(client, {
        owner: selectUser,
        load: () =>
          client.forms.resolve(...(JSON.parse(key) as [FormSchema, Record<string, unknown>])),
        empty: undefined,
      }),
    );
  const key = computed(() => JSON.stringify([toValue(nameOrSchema), toValue(args)]));
  const current = shallowRef(bind(key.value));
  if (getCurrentScope()) onScopeDispose(() => current.value.stop());
  // Another form or other args: a new resource (the old one's late answer is never shown).
  watch(key, (next) => {
    current.value.stop();
    current.value = bind(next);
    current.value.start();
  });
  const state = computed(() => current.value.state.value);
  return {
    schema: computed(() => state.value.data),
    loading: computed(() => state.value.loading),
    error: computed(() => state.value.error),
  };
}
