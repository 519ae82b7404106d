import type { ReactNode } from "react";
import { createContext, useContext, useEffect, useMemo, useState } from "react";
import type { DemoUser, DemoUserKey } from "./demoUsers";
import { demoUsers } from "./demoUsers";

/** Your app's auth, faked: which demo user is signed in, shared by every tab like a session cookie. */
export interface Auth {
  user: DemoUser | null;
  login(key: DemoUserKey): void;
  logout(): void;
}

const SESSION_KEY = "nametag-demo:session";
const AuthContext = createContext<Auth | null>(null);

function readSession(): DemoUserKey | null {
  try {
    const key = localStorage.getItem(SESSION_KEY);
    return key === "jane" || key === "omar" ? key : null;
  } catch {
    return null;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<DemoUserKey | null>(readSession);

  // Written in an effect, so it lands after Nametag's own effect (children's effects run first):
  // another tab then hears Nametag's reset before it hears the signed-out session.
  useEffect(() => {
    try {
      if (session) localStorage.setItem(SESSION_KEY, session);
      else localStorage.removeItem(SESSION_KEY);
    } catch {
      // storage blocked: the session lives in this tab only
    }
  }, [session]);

  // A login or logout in another tab reaches this one, as a shared session cookie would.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === SESSION_KEY || event.key === null) setSession(readSession());
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, []);

  const auth = useMemo<Auth>(
    () => ({
      user: session ? demoUsers[session] : null,
      login: setSession,
      logout: () => setSession(null),
    }),
    [session],
  );
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth() must be used inside <AuthProvider>.");
  return auth;
}
