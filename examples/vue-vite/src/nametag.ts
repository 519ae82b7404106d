import { createNametag } from "@nametag/vue";

/** Where the "session-based ids" checkbox keeps its choice across the reload it triggers. */
export const PERSISTENCE_KEY = "nametag-demo:persistence";

function sessionIdsChosen(): boolean {
  try {
    return localStorage.getItem(PERSISTENCE_KEY) === "sessionStorage";
  } catch {
    return false;
  }
}

export const sessionIds = sessionIdsChosen();

export const nametag = createNametag({
  // Same-origin proxy route: vite.config.ts forwards it to nametag-mock.
  apiUrl: "/api/nametag",
  agent: "support",
  persistence: sessionIds ? "sessionStorage" : "localStorage",
});

// The support form: core pre-fills a field only when its name equals a userMetadata key, so
// user_email stays empty on purpose.
nametag.client.forms.register("support", () => ({
  title: "Contact support",
  fields: [
    { name: "name", label: "Name", type: "text", required: true },
    { name: "email", label: "Email", type: "email", required: true },
    { name: "plan", label: "Plan", type: "text" },
    { name: "user_email", label: "Another email (optional)", type: "email" },
  ],
}));
