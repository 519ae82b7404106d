"use client";
import { signIn, signOut, useSession } from "next-auth/react";
import { DEMO_PASSWORD, DEMO_USERS } from "../../lib/demoUsers";

/** The host app's login (next-auth, Credentials): two demo accounts and a sign-out. */
export function AuthControls() {
  const { data, status } = useSession();
  const signedIn = status === "authenticated" ? data?.user : undefined;
  return (
    <nav className="login-bar" aria-label="Account">
      {signedIn && <span className="signed-in">Signed in as {signedIn.name}</span>}
      {Object.values(DEMO_USERS).map((user) => (
        <button
          key={user.id}
          type="button"
          data-testid={`login-${user.id.replace(/^user_/, "")}`}
          disabled={status !== "unauthenticated"}
          onClick={() =>
            void signIn("credentials", {
              userId: user.id,
              password: DEMO_PASSWORD,
              redirect: false,
            })
          }
        >
          Sign in as {user.name} ({user.plan})
        </button>
      ))}
      {signedIn && (
        <button
          type="button"
          data-testid="logout"
          onClick={() => void signOut({ redirect: false })}
        >
          Sign out
        </button>
      )}
    </nav>
  );
}
