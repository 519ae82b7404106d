import type { IdentifyInput } from "@nametag/core";
import { NametagError } from "@nametag/core";

/** The user of a next-auth session (v4 and v5 alike). `id` is what Nametag identifies by. */
export interface NametagSessionUser {
  id?: string | null;
  name?: string | null;
  email?: string | null;
  image?: string | null;
}

/** The part of a next-auth session (v4 `Session`, v5 `Session`) Nametag reads. */
export interface NametagSession {
  user?: NametagSessionUser | null;
}

/**
 * Turns a signed-in session into the identity Nametag links, or `null` when the session cannot
 * be identified. The same function should run on the server (bootstrap, route handler) and in
 * the browser (provider) so both sides agree on the identity.
 */
export type MapSession<S extends NametagSession = NametagSession> = (
  session: S,
) => IdentifyInput | null;

const MISSING_ID_SNIPPET = `// auth.ts (next-auth v5) or your authOptions (v4)
callbacks: {
  jwt({ token, user }) {
    if (user) token.id = user.id;
    return token;
  },
  session({ session, token }) {
    session.user.id = token.id as string; // or token.sub
    return session;
  },
},`;

let reportedMissingId = false;

/** Reports, once per process and only in development, a session that carries no `user.id`. */
function reportMissingUserId(): void {
  if (reportedMissingId || !isDevelopment()) return;
  reportedMissingId = true;
  const error = new NametagError(
    "SESSION_USER_ID_MISSING",
    "next-auth's session has no user.id, so Nametag leaves this user anonymous (it never falls back " +
      "to the email, which can change and be reused). Expose the id in next-auth's callbacks:\n\n" +
      MISSING_ID_SNIPPET +
      "\n\nor pass your own mapSession to NametagIdentityProvider / getNametagBootstrap.",
  );
  console.error(error);
}

function isDevelopment(): boolean {
  // Written out in full so bundlers replace it; a browser without `process` counts as production.
  try {
    return process.env.NODE_ENV !== "production";
  } catch {
    return false;
  }
}

/**
 * The default mapping: `session.user.id` as the userId, and `name`, `email`, `image` (when set)
 * as metadata. Without an id it returns `null`: the user stays anonymous.
 */
export function defaultMapSession(session: NametagSession): IdentifyInput | null {
  const user = session.user;
  const userId = user?.id;
  if (!user || typeof userId !== "string" || userId === "") {
    if (user) reportMissingUserId();
    return null;
  }
  const userMetadata: Record<string, string> = {};
  for (const key of ["name", "email", "image"] as const) {
    const value = user[key];
    if (typeof value === "string") userMetadata[key] = value;
  }
  return { userId, userMetadata };
}
