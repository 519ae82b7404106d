import type { OwnedResource, ResourceState } from "@nametag/core";
import { useSyncExternalStore } from "react";

/**
 * Internal: binds one of core's owned resources ("load for the current owner, newest wins, empty
 * the moment the owner changes") to React. The rule lives in core; this only subscribes. The
 * server snapshot is the same (empty, loading): nothing is loaded during a server render.
 */
export function useResource<T>(resource: OwnedResource<T>): ResourceState<T> {
  return useSyncExternalStore(resource.subscribe, resource.getSnapshot, resource.getSnapshot);
}
