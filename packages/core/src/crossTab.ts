import { getWindow } from "./snapshot";
import { parseState } from "./storage";
import type { PersistedState } from "./storage";

export interface CrossTabOptions {
  /** The storage key whose changes are followed (for the `storage` event fallback). */
  storageKey: string;
  /** Called with the state another tab wrote. */
  onState: (state: PersistedState) => void;
}

export interface CrossTabLink {
  /** Tells the other tabs about a state this tab just wrote. */
  publish(raw: string): void;
  close(): void;
}

type BroadcastChannelLike = {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: MessageEvent) => void) | null;
  unref?: () => void;
};

/**
 * Keeps tabs that share localStorage in step: through BroadcastChannel where it exists, else
 * through the `storage` event (which the browser fires in every OTHER tab on a write). Returns
 * null where neither exists (a server).
 */
export function openCrossTab({ storageKey, onState }: CrossTabOptions): CrossTabLink | null {
  // Both ways deliver the raw stored text; anything that is not a valid state is ignored.
  const forward = (raw: string | null) => {
    const state = parseState(raw);
    if (state) onState(state);
  };
  const Channel = (globalThis as { BroadcastChannel?: new (name: string) => BroadcastChannelLike })
    .BroadcastChannel;
  if (typeof Channel === "function") {
    const channel = new Channel(`nametag:${storageKey}`);
    // Node keeps the process alive for an open channel; a browser has no unref.
    channel.unref?.();
    channel.onmessage = (event) => forward(typeof event.data === "string" ? event.data : null);
    return {
      publish: (raw) => channel.postMessage(raw),
      close: () => {
        channel.onmessage = null;
        channel.close();
      },
    };
  }
  const target = getWindow();
  if (!target) return null;
  const onStorage = (event: Event) => {
    const { key, newValue } = event as StorageEvent;
    if (key === storageKey) forward(newValue);
  };
  target.addEventListener("storage", onStorage);
  return {
    // The write itself is the message: the browser fires `storage` in the other tabs.
    publish: () => undefined,
    close: () => target.removeEventListener("storage", onStorage),
  };
}
