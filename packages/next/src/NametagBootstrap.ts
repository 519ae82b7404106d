import type { IdentifyInput } from "@nametag/core";

/**
 * What `getNametagBootstrap()` reads on the server and `<NametagIdentityProvider bootstrap>`
 * applies before the first render: the signed-in identity (sanitized: it is serialised into the
 * page) and, when an identity secret is configured, a credential signed for that user. Plain
 * JSON, safe to pass from a Server Component to a Client Component.
 */
export interface NametagBootstrap {
  initialIdentity: Omit<IdentifyInput, "userHash" | "identityToken">;
  /** Hex HMAC-SHA256 of the userId, signed with the identity secret. */
  userHash?: string;
  /** HS256 JWT (`sub` = userId), signed with the identity secret. */
  identityToken?: string;
}
