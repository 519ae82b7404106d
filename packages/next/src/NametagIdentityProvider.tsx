import type { AuthUser, NametagClient, NametagOptions } from "@nametag/core";
import { NametagProvider, useAutoIdentify } from "@nametag/react";
import { useSession } from "next-auth/react";
import type { ReactNode } from "react";
import { useMemo, useState } from "react";
import type { NametagBootstrap } from "./NametagBootstrap";
import type { MapSession, NametagSession } from "./mapSession";
import { defaultMapSession } from "./mapSession";

export type NametagIdentityProviderProps<S extends NametagSession = NametagSession> = {
  children?: ReactNode;
  /** Session → identity. Default: `session.user.id` with `name`, `email`, `image`; never the email as id. */
  mapSession?: MapSession<S>;
  /**
   * From `getNametagBootstrap()` in a Server Component: the user is identified from the first
   * render, without waiting for `useSession()`. Applies when the provider creates the client.
   */
  bootstrap?: NametagBootstrap | null;
} & ({ client: NametagClient; options?: never } | { options: NametagOptions; client?: never });

type SessionStatus = "loading" | "authenticated" | "unauthenticated";

/** next-auth's status as `syncAuth()`'s argument: loading → undefined, signed out → null. */
function toAuthUser<S extends NametagSession>(
  status: SessionStatus,
  session: S | null | undefined,
  mapSession: MapSession<S>,
): AuthUser {
  if (status === "loading") return undefined;
  if (status === "unauthenticated") return null;
  return session ? mapSession(session) : undefined;
}

function SessionSync({ user }: { user: AuthUser }) {
  useAutoIdentify(user);
  return null;
}

/**
 * `<NametagProvider>` that follows next-auth: sign-in identifies the user, sign-out resets
 * (core's `syncAuth()` decides what is sent). Render it inside next-auth's `<SessionProvider>`.
 */
export function NametagIdentityProvider<S extends NametagSession = NametagSession>(
  props: NametagIdentityProviderProps<S>,
) {
  const { children, bootstrap } = props;
  const mapSession = props.mapSession ?? (defaultMapSession as MapSession<S>);
  const { data, status } = useSession();
  const user = useMemo(
    () => toAuthUser(status, data as S | null, mapSession),
    [status, data, mapSession],
  );
  // The bootstrap applies to the client the provider creates, so it is read once. The options
  // go through as given: <NametagProvider> warns in development when they change later.
  const [initialIdentity] = useState(() =>
    bootstrap
      ? {
          ...bootstrap.initialIdentity,
          userHash: bootstrap.userHash,
          identityToken: bootstrap.identityToken,
        }
      : undefined,
  );
  const options = useMemo(
    () =>
      props.options && initialIdentity ? { ...props.options, initialIdentity } : props.options,
    [props.options, initialIdentity],
  );
  const provider = props.client ? { client: props.client } : { options: options as NametagOptions };
  return (
    <NametagProvider {...provider}>
      <SessionSync user={user} />
      {children}
    </NametagProvider>
  );
}
NametagIdentityProvider.displayName = "NametagIdentityProvider";
