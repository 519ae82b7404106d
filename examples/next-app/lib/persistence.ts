// The demo's session-ids toggle. The choice lives in localStorage (the examples' contract) and
// is mirrored into a cookie so the server renders the same checkbox state as the browser.
export type DemoPersistence = "localStorage" | "sessionStorage";

export const PERSISTENCE_KEY = "nametag-demo:persistence";
export const PERSISTENCE_COOKIE = "nametag-demo-persistence";

export function parsePersistence(value: string | null | undefined): DemoPersistence {
  return value === "sessionStorage" ? "sessionStorage" : "localStorage";
}

/** The stored choice in the browser; `fallback` (from the cookie) on the server. */
export function readPersistence(fallback: DemoPersistence): DemoPersistence {
  if (typeof window === "undefined") return fallback;
  try {
    return parsePersistence(window.localStorage.getItem(PERSISTENCE_KEY) ?? fallback);
  } catch {
    return fallback;
  }
}

export function savePersistence(value: DemoPersistence): void {
  window.localStorage.setItem(PERSISTENCE_KEY, value);
  document.cookie = `${PERSISTENCE_COOKIE}=${value}; path=/; max-age=31536000; samesite=lax`;
}
