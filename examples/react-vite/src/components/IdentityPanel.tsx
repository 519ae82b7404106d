import { useIdentity, useNametag, useVisitorId } from "@nametag/react";
import { PERSISTENCE_KEY, sessionIds } from "../nametag";

/** Who Nametag thinks is chatting, and exactly what the agent is allowed to see. */
export function IdentityPanel() {
  const nametag = useNametag();
  const { status, userId } = useIdentity();
  const visitorId = useVisitorId();
  // Sanitized: sensitive keys (authToken, password, …) are removed before the agent sees them.
  const agentContext = nametag.getAgentContext();

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
          <code data-testid="visitor-id">{visitorId}</code>
        </dd>
        <dt>User id</dt>
        <dd>
          <code data-testid="user-id">{userId ?? ""}</code>
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
          checked={sessionIds}
          onChange={(event) => {
            localStorage.setItem(
              PERSISTENCE_KEY,
              event.target.checked ? "sessionStorage" : "localStorage",
            );
            location.reload(); // the client reads its persistence once, at creation
          }}
        />
        Session-based visitor ids (a closed window starts fresh)
      </label>
    </section>
  );
}
