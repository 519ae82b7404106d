import { createFormResource } from "@nametag/core";
import type { FormRequest, FormSchema, NametagError } from "@nametag/core";
import { useMemo } from "react";
import { useClient } from "./context";
import { useResource } from "./useResource";

export interface UseFormResult {
  /** The resolved schema, fields pre-filled from metadata; `undefined` until it resolves. */
  schema: FormSchema | undefined;
  loading: boolean;
  error: NametagError | undefined;
}

/**
 * Resolves a form (`client.forms.resolve(nameOrSchema, args)`) and resolves it again when the
 * user changes; a new user never sees the previous user's values, not even for one render.
 * `nameOrSchema` and `args` are compared by value, so inline objects are fine.
 */
export function useForm(
  nameOrSchema: string | FormSchema,
  args?: Record<string, unknown>,
): UseFormResult {
  const client = useClient("useForm");
  const key = JSON.stringify([nameOrSchema, args]);
  const resource = useMemo(() => {
    // Parsed once per key: the form asked for stays the same for this resource.
    const form = JSON.parse(key) as FormRequest;
    return createFormResource(client, () => form);
  }, [client, key]);
  const { data, loading, error } = useResource(resource);
  return { schema: data, loading, error };
}
