import type { NametagError } from "@nametag/core";
import { useCallback, useEffect, useRef, useState } from "react";

export interface Resource<T> {
  data: T;
  loading: boolean;
  error: NametagError | undefined;
}

/**
 * Internal: runs `load()` now and whenever `load` or `owner` changes, starting from `empty` each
 * time so one user's data is never shown for the next. Only the newest load writes the state.
 */
export function useResource<T>(load: () => Promise<T>, owner: unknown, empty: T) {
  const [state, setState] = useState<Resource<T>>({ data: empty, loading: true, error: undefined });
  const newest = useRef(0);
  const reload = useCallback(async () => {
    const current = ++newest.current;
    setState((previous) => ({ ...previous, loading: true }));
    try {
      const data = await load();
      if (current === newest.current) setState({ data, loading: false, error: undefined });
    } catch (error) {
      if (current === newest.current)
        setState({ data: empty, loading: false, error: error as NametagError });
    }
  }, [load, empty]);
  useEffect(() => {
    setState({ data: empty, loading: true, error: undefined });
    void reload();
  }, [reload, empty, owner]);
  return [state, reload] as const;
}
