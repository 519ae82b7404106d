"use client";
import { useIdentity, useNametag } from "@nametag/next";
import { savePersistence } from "../../lib/persistence";
import { useHydrated } from "../../lib/useHydrated";
import { usePersistence } from "../providers";

/** Who Nametag thinks is chatting, and exactly what the agent is allowed to see. */
export function IdentityPanel() {
  const identity = useIdentity();
  const nametag = useNametag();
  const persistence = usePersistence();
  // Sanitized: sensitive keys (authToken, password, …) are removed before the agent sees them.
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
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`badge badge-${status}`} data-testid="identity-status">
            {status}
          </span>
        </dd>
        <dt>Visitor id</dt>
        <dd>
          <code data-testid="visitor-id">{hydrated ? identity.visitorId : ""}</code>
        </dd>
        <dt>User id</dt>
        <dd>
          <code data-testid="user-id">{identity.userId ?? ""}</code>
        </dd>
      </dl>
      <h3>What the agent sees</h3>
      <pre className="context" data-testid="agent-context">
        {JSON.stringify(agentContext, null, 2)}
      </pre>
      <label className="toggle">
        <input
          type="checkbox"
          data-testid="session-ids-toggle"
          checked={persistence === "sessionStorage"}
          onChange={(event) => {
            savePersistence(event.target.checked ? "sessionStorage" : "localStorage");
            window.location.reload(); // the client reads its persistence once, at creation
          }}
        />
        Session-based visitor ids (a closed window starts fresh)
      </label>
    </section>
  );
}
