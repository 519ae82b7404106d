import type { FormSchema } from "@nametag/core";
import { ref, shallowRef, toValue, watch } from "vue";
import type { MaybeRefOrGetter, Ref, ShallowRef } from "vue";
import { watchIdentity } from "./useIdentity";
import { injectNametag } from "./useNametag";

export interface UseFormResult {
  /** The resolved schema (fields pre-filled from userMetadata by exact name); undefined until resolved. */
  schema: Readonly<ShallowRef<FormSchema | undefined>>;
  loading: Readonly<Ref<boolean>>;
  error: Readonly<ShallowRef<unknown>>;
}

/**
 * Resolves a form (a name registered with `client.forms.register()`, or a schema) for the current
 * user. Resolves again when the identity, the name or the args change; a late answer for an
 * older input is dropped.
 */
export function useForm(
  nameOrSchema: MaybeRefOrGetter<string | FormSchema>,
  args?: MaybeRefOrGetter<Record<string, unknown> | undefined>,
): UseFormResult {
  const client = injectNametag("useForm");
  const identity = watchIdentity("useForm");
  const schema = shallowRef<FormSchema>();
  const loading = ref(true);
  const error = shallowRef<unknown>();
  watch(
    [identity, () => toValue(nameOrSchema), () => toValue(args)],
    async ([, form, formArgs], _old, onCleanup) => {
      let stale = false;
      onCleanup(() => (stale = true));
      loading.value = true;
      try {
        const resolved = await client.forms.resolve(form, formArgs);
        if (!stale) [schema.value, error.value] = [resolved, undefined];
      } catch (reason) {
        if (!stale) error.value = reason;
      }
      if (!stale) loading.value = false;
    },
    // Not during SSR: a provider may fetch, and the server must send nothing.
    { immediate: typeof window !== "undefined", deep: true },
  );
  return { schema, loading, error };
}
