/** A tiny typed event emitter. A throwing handler never stops the others (it is reported). */
export interface Emitter<Events extends object> {
  on<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): () => void;
  emit<E extends keyof Events>(event: E, payload: Events[E]): void;
  clear(): void;
}

export function createEmitter<Events extends object>(
  onHandlerError?: (error: unknown) => void,
): Emitter<Events> {
  const handlers = new Map<keyof Events, Set<(payload: never) => void>>();
  return {
    on(event, handler) {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      const entry = handler as (payload: never) => void;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    emit(event, payload) {
      const set = handlers.get(event);
      if (!set) return;
      for (const handler of [...set]) {
        try {
          (handler as (payload: unknown) => void)(payload);
        } catch (error) {
          onHandlerError?.(error);
        }
      }
    },
    clear() {
      handlers.clear();
    },
  };
}
