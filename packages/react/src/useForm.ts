import { createOwnedResource } from "@nametag/core";
import type { FormSchema, Identity, NametagError } from "@nametag/core";
import { useMemo } from "react";
import { useClient } from "./context";
import { useResource } from "./useResource";

export interface UseFormResult {
  /** The resolved schema, fields pre-filled from metadata; `undefined` until it resolves. */
  schema: FormSchema | undefined;
  loading: boolean;
  error: NametagError | undefined;
}

// Resolve again when the user or their metadata changes, not on a status change alone.
const selectUser = (identity: Identity) => JSON.stringify([identity.userId, identity.userMetadata]);

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
  const resource = useMemo(
    () =>
      createOwnedResource<FormSchema | undefined>(client, {
        owner: selectUser,
        load: () =>
          client.forms.resolve(...(JSON.parse(key) as [FormSchema, Record<string, unknown>])),
        empty: undefined,
      }),
    [client, key],
  );
  const { data, loading, error } = useResource(resource);
  return { schema: data, loading, error };
}
