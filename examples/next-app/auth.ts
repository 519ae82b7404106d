// The app's one auth module: next-auth v4 (auth.v4.ts) or, when the server runs with
// NAMETAG_EXAMPLE_NEXT_AUTH=5, next-auth v5 (auth.v5.ts). Both export what the rest of the app
// uses: `auth()` (the server session, as @nametag/next/server reads it) and next-auth's route
// `handlers`.
import type { Session } from "next-auth";
import * as v4 from "./auth.v4";
import * as v5 from "./auth.v5";

const selected = process.env.NAMETAG_EXAMPLE_NEXT_AUTH === "5" ? v5 : v4;

/** The server session (v5's `auth()`, or v4's `getServerSession(authOptions)`). */
export const auth = (): Promise<Session | null> => selected.auth();

/** next-auth's `GET`/`POST` for app/api/auth/[...nextauth]/route.ts. */
export const handlers = selected.handlers;
