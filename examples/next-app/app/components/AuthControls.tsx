"use client";
import { signIn, signOut, useSession } from "next-auth/react";
import { DEMO_PASSWORD, DEMO_USERS } from "../../lib/demoUsers";
import { savePersistence } from "../../lib/persistence";
import { usePersistence } from "../providers";

/** Sign in as a demo user, sign out, and the session-ids toggle. */
export function AuthControls() {
  const { status } = useSession();
  const persistence = usePersistence();
  const login = (userId: string) =>
    signIn("credentials", { userId, password: DEMO_PASSWORD, redirect: false });

  return (
    <div className="auth">
      {Object.values(DEMO_USERS).map((user) => (
        <button
          key={user.id}
          type="button"
          data-testid={`login-${user.id.replace(/^user_/, "")}`}
          onClick={() => void login(user.id)}
        >
          Sign in as {user.name.split(" ")[0]}
        </button>
      ))}
      <button
        type="button"
        data-testid="logout"
        disabled={status === "unauthenticated"}
        onClick={() => void signOut({ redirect: false })}
      >
        Sign out
      </button>
      <label className="toggle">
        <input
          type="checkbox"
          data-testid="session-ids-toggle"
          checked={persistence === "sessionStorage"}
          onChange={(event) => {
            savePersistence(event.target.checked ? "sessionStorage" : "localStorage");
            window.location.reload();
          }}
        />
        Session-based ids
      </label>
    </div>
  );
}
