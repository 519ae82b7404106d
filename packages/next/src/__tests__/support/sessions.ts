// next-auth `useSession()` values for the provider tests, shaped like v4's and v5's alike.
import type { NametagSession } from "../../mapSession";

type Status = "loading" | "authenticated" | "unauthenticated";

export interface SessionValue {
  data: (NametagSession & { expires: string }) | null;
  status: Status;
  update: () => Promise<null>;
}

const EXPIRES = "2999-01-01T00:00:00.000Z";
const update = () => Promise.resolve(null);

export const jane = { id: "user_jane", name: "Jane Smith", email: "jane@example.com" };
export const omar = { id: "user_omar", name: "Omar Haddad", email: "omar@example.com" };

export const loading = (): SessionValue => ({ data: null, status: "loading", update });
export const signedOut = (): SessionValue => ({ data: null, status: "unauthenticated", update });
export const signedIn = (user: NametagSession["user"]): SessionValue => ({
  data: { user: user ? { ...user } : user, expires: EXPIRES },
  status: "authenticated",
  update,
});
