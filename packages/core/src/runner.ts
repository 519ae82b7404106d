/**
 * Runs a pure transition function and performs its effects. An event dispatched while effects are
 * being performed (a handler or listener calling back into the client) is queued and run after the
 * current transition's effects: never recursively, never lost. Effects that start async work
 * (a link) capture the generation and check it again before anything is sent.
 */
export interface Runner<State, Event> {
  readonly state: State;
  /** True while effects are performed: a dispatch now is re-entrant and will be queued. */
  readonly busy: boolean;
  /** Applies `event` now, or after the current one when called from one of its effects. */
  dispatch(event: Event): void;
}

export function createRunner<State, Event, Effect>(
  initial: State,
  transition: (state: State, event: Event) => [State, Effect[]],
  perform: (effect: Effect, state: State) => void,
): Runner<State, Event> {
  let state = initial;
  const queue: Event[] = [];
  let running = false;
  return {
    get state() {
      return state;
    },
    get busy() {
      return running;
    },
    dispatch(event) {
      queue.push(event);
      if (running) return;
      running = true;
      try {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          const [after, effects] = transition(state, next);
          state = after;
          for (const effect of effects) perform(effect, state);
        }
      } finally {
        running = false;
        queue.length = 0;
      }
    },
  };
}
