"use client";
import { useIdentity, useNametag, useTemplate } from "@nametag/next";
import { useHydrated } from "../../lib/useHydrated";

export const INITIAL_MESSAGE = "Hello {{userMetadata.name}}! How can I help you today?";

/** Who Nametag thinks is here, and what the agent is allowed to see. */
export function IdentityPanel() {
  const identity = useIdentity();
  const nametag = useNametag();
  const initialMessage = useTemplate(INITIAL_MESSAGE);
  // Re-read on every identity change (useIdentity re-renders this component).
  const agentContext = nametag.getAgentContext();
  // The visitor id lives in this browser's storage, so the server cannot render it. A signed-in
  // user is known to the server (the bootstrap) and shown from the first byte; an anonymous
  // visitor only once the page runs in the browser.
  const hydrated = useHydrated();
  const status = hydrated || identity.status !== "anonymous" ? identity.status : "";

  return (
    <section className="panel">
      <h2>Identity</h2>
      <dl>
        <dt>Status</dt>
        <dd data-testid="identity-status">{status}</dd>
        <dt>Visitor id</dt>
        <dd data-testid="visitor-id">{hydrated ? identity.visitorId : ""}</dd>
        <dt>User id</dt>
        <dd data-testid="user-id">{identity.userId ?? ""}</dd>
      </dl>
      <h3>Greeting</h3>
      <p data-testid="initial-message">{initialMessage}</p>
      <h3>What the agent sees</h3>
      <pre data-testid="agent-context">{JSON.stringify(agentContext, null, 2)}</pre>
    </section>
  );
}
