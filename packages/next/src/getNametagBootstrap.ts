import type { SensitiveKeyPattern } from "@nametag/core";
import { sanitizeMetadata } from "@nametag/core";
import type { NametagBootstrap } from "./NametagBootstrap";
import type { NametagSession } from "./mapSession";
import type { NametagServerAuthOptions } from "./serverAuth";
import { readSessionUser, resolveIdentitySecret, signCredentials } from "./serverAuth";

export interface NametagBootstrapOptions<
  S extends NametagSession = NametagSession,
> extends NametagServerAuthOptions<S> {
  /** Extra sensitive key patterns, as in `createNametag({ sensitiveKeys })`. */
  sensitiveKeys?: SensitiveKeyPattern[];
}

/**
 * Reads the session on the server and returns what `<NametagIdentityProvider bootstrap>` needs
 * so the first client render is already identified (and matches the server's markup), or `null`
 * when nobody is signed in. The metadata is sanitized: the result is serialised into the page.
 *
 * ```tsx
 * const bootstrap = await getNametagBootstrap({ auth }); // v4: () => getServerSession(authOptions)
 * ```
 */
export async function getNametagBootstrap<S extends NametagSession = NametagSession>(
  options: NametagBootstrapOptions<S>,
): Promise<NametagBootstrap | null> {
  const user = await readSessionUser(options);
  if (!user) return null;
  const { userId, userMetadata, labels, assignedAgent } = user;
  const initialIdentity: NametagBootstrap["initialIdentity"] = { userId };
  if (userMetadata !== undefined) {
    initialIdentity.userMetadata = sanitizeMetadata(userMetadata, {
      sensitiveKeys: options.sensitiveKeys,
    }).value;
  }
  if (labels !== undefined) initialIdentity.labels = [...labels];
  if (assignedAgent !== undefined) initialIdentity.assignedAgent = assignedAgent;
  const bootstrap: NametagBootstrap = { initialIdentity };
  const credentials = await signCredentials(userId, resolveIdentitySecret(options.identitySecret));
  if (credentials) {
    bootstrap.userHash = credentials.userHash;
    bootstrap.identityToken = credentials.identityToken;
  }
  return bootstrap;
}
