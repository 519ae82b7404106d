import { useAuth } from "../auth";
import type { DemoUserKey } from "../demoUsers";
import { demoUsers } from "../demoUsers";

const keys = Object.keys(demoUsers) as DemoUserKey[];

/** The host app's (fake) login: two demo accounts and a sign-out. */
export function TopBar() {
  const { user, login, logout } = useAuth();
  return (
    <header className="topbar">
      <h1>
        Acme support <small>· Nametag React example</small>
      </h1>
      <nav className="login-bar" aria-label="Account">
        {user && <span className="signed-in">Signed in as {user.userMetadata.name}</span>}
        {keys.map((key) => (
          <button
            key={key}
            type="button"
            data-testid={`login-${key}`}
            disabled={user !== null}
            onClick={() => login(key)}
          >
            Sign in as {demoUsers[key].userMetadata.name} ({demoUsers[key].userMetadata.plan})
          </button>
        ))}
        {user && (
          <button type="button" data-testid="logout" onClick={logout}>
            Sign out
          </button>
        )}
      </nav>
    </header>
  );
}
