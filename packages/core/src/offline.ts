import { getWindow } from "./snapshot";

/**
 * Calls `onOnline` when the browser comes back online (a link kept while offline is then resent
 * with its Idempotency-Key). Returns the unsubscribe; a no-op without a window.
 */
export function watchOnline(onOnline: () => void): () => void {
  const target = getWindow();
  if (!target) return () => undefined;
  target.addEventListener("online", onOnline);
  return () => target.removeEventListener("online", onOnline);
}
