// next-auth `useSession()` values for the provider tests, shaped like v4's and v5's alike.
import { DEMO_USERS } from "@nametag/mock";
import type { DemoUser } from "@nametag/mock";
import type { NametagSession } from "../../mapSession";

type Status = "loading" | "authenticated" | "unauthenticated";

export interface SessionValue {
  data: (NametagSession & { expires: string }) | null;
  status: Status;
  update: () => Promise<null>;
}

const EXPIRES = "2999-01-01T00:00:00.000Z";
const update = () => Promise.resolve(null);

/** A next-auth session user from one of @nametag/mock's demo users. */
function sessionUser({ userId, userMetadata }: DemoUser) {
  return { id: userId, name: userMetadata.name, email: userMetadata.email };
}
export const jane = sessionUser(DEMO_USERS.jane);
export const omar = sessionUser(DEMO_USERS.omar);

export const loading = (): SessionValue => ({ data: null, status: "loading", update });
export const signedOut = (): SessionValue => ({ data: null, status: "unauthenticated", update });
export const signedIn = (user: NametagSession["user"]): SessionValue => ({
  data: { user: user ? { ...user } : user, expires: EXPIRES },
  status: "authenticated",
  update,
});
