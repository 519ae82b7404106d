import { createNametag } from "@nametag/core";

/** Where the "session-based ids" checkbox keeps its choice across the reload it triggers. */
export const PERSISTENCE_KEY = "nametag-demo:persistence";

function readChoice(): boolean {
  try {
    return localStorage.getItem(PERSISTENCE_KEY) === "sessionStorage";
  } catch {
    return false; // storage blocked: keep the default
  }
}

/** Chatvisor-style session-based ids: a closed window starts with a fresh visitor. */
export const sessionIds = readChoice();

export const nametag = createNametag({
  // Same-origin route: vite.config.ts proxies it to nametag-mock.
  apiUrl: "/api/nametag",
  agent: "support",
  persistence: sessionIds ? "sessionStorage" : "localStorage",
  onError: (error) => console.warn(`[demo] Nametag: ${error.code}: ${error.message}`),
});

// The support form. Core pre-fills a field only when its name equals a userMetadata key exactly,
// so `user_email` stays empty on purpose (there is no `user_email` in the metadata).
nametag.forms.register("support", () => ({
  title: "Contact support",
  fields: [
    { name: "name", label: "Name", type: "text", required: true },
    { name: "email", label: "Email", type: "email", required: true },
    { name: "plan", label: "Plan", type: "text" },
    { name: "user_email", label: "Another email (optional)", type: "email" },
  ],
}));
