/** A tiny typed event emitter. A throwing handler never stops the others (it is reported). */
export interface Emitter<Events extends object> {
  on<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): () => void;
  emit<E extends keyof Events>(event: E, payload: Events[E]): void;
  clear(): void;
}

export function createEmitter<Events extends object>(
  onHandlerError: (error: unknown) => void,
): Emitter<Events> {
  const handlers = new Map<keyof Events, Set<(payload: never) => void>>();
  return {
    on(event, handler) {
      const set = handlers.get(event) ?? new Set();
      handlers.set(event, set.add(handler));
      return () => {
        set.delete(handler);
      };
    },
    emit(event, payload) {
      // A copy: a handler may unsubscribe itself (or another) while the event is delivered.
      for (const handler of [...(handlers.get(event) ?? [])]) {
        try {
          (handler as (payload: unknown) => void)(payload);
        } catch (error) {
          onHandlerError(error);
        }
      }
    },
    clear() {
      handlers.clear();
    },
  };
}
