import type { IdentifyInput } from "@nametag/core";
import { signIdentity } from "@nametag/server";
import type { MapSession, NametagSession } from "./mapSession";
import { defaultMapSession } from "./mapSession";

/**
 * Reads the server session: next-auth v5's `auth` as is, or for v4
 * `() => getServerSession(authOptions)`.
 */
export type NametagAuth<S extends NametagSession = NametagSession> = () => Promise<
  S | null | undefined
>;

/** Options shared by `getNametagBootstrap()` and `createNametagRouteHandler()`. */
export interface NametagServerAuthOptions<S extends NametagSession = NametagSession> {
  /** next-auth v5: `auth`; v4: `() => getServerSession(authOptions)`. */
  auth: NametagAuth<S>;
  /** Session → identity. Default: `session.user.id` with `name`, `email`, `image`. */
  mapSession?: MapSession<S>;
  /**
   * Signs a credential for the session user (identity verification). Default:
   * `process.env.NAMETAG_IDENTITY_SECRET`; none → no credential.
   */
  identitySecret?: string;
}

/** The signed-in user of this request, or `null` when nobody is signed in (or has no id). */
export async function readSessionUser<S extends NametagSession>(
  options: NametagServerAuthOptions<S>,
): Promise<IdentifyInput | null> {
  const session = await options.auth();
  if (!session) return null;
  const mapSession = options.mapSession ?? (defaultMapSession as MapSession<S>);
  return mapSession(session);
}

/** The identity secret from the options, else from the environment; `undefined` when unset. */
export function resolveIdentitySecret(identitySecret: string | undefined): string | undefined {
  const secret = identitySecret ?? readEnv("NAMETAG_IDENTITY_SECRET");
  return secret === "" ? undefined : secret;
}

/** Both credentials for `userId`, or none when no identity secret is configured. */
export async function signCredentials(
  userId: string,
  identitySecret: string | undefined,
): Promise<{ userHash: string; identityToken: string } | null> {
  if (identitySecret === undefined) return null;
  const { userHash, identityToken } = await signIdentity({ userId }, identitySecret);
  return { userHash, identityToken };
}

export function readEnv(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[
    name
  ];
}
