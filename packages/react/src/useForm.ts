import type { FormSchema, Identity, NametagError } from "@nametag/core";
import { useCallback } from "react";
import { useClient } from "./context";
import { useSelection } from "./useIdentity";
import { useResource } from "./useResource";

export interface UseFormResult {
  /** The resolved schema, fields pre-filled from metadata; `undefined` until it resolves. */
  schema: FormSchema | undefined;
  loading: boolean;
  error: NametagError | undefined;
}

// Resolve again when the user or their metadata changes, not on a status change alone (a string,
// so the selection compares by value).
const selectUser = (identity: Identity) => JSON.stringify([identity.userId, identity.userMetadata]);

/**
 * Resolves a form (`client.forms.resolve(nameOrSchema, args)`) and resolves it again when the
 * user changes. `nameOrSchema` and `args` are compared by value, so inline objects are fine.
 */
export function useForm(
  nameOrSchema: string | FormSchema,
  args?: Record<string, unknown>,
): UseFormResult {
  const client = useClient("useForm");
  const key = JSON.stringify([nameOrSchema, args]);
  const resolve = useCallback(
    () => client.forms.resolve(...(JSON.parse(key) as [FormSchema, Record<string, unknown>])),
    [client, key],
  );
  const [{ data, loading, error }] = useResource(
    resolve,
    useSelection("useForm", selectUser),
    undefined,
  );
  return { schema: data, loading, error };
}
