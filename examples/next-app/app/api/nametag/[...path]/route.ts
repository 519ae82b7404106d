// The browser's only way to the Nametag backend: /api/nametag/* → NAMETAG_API_URL/*, through
// @nametag/server's createNametagProxy. The API key (as `NametagProxy`, browser scope only) and the
// signed-in user are added here on the server; the browser never has either, and whatever identity
// it claims is dropped.
import { createNametagRouteHandler } from "@nametag/next/server";
import { auth } from "../../../../auth";
import { serverOnlyMetadata } from "../../../../lib/demoSecrets";
import { mapDemoSession } from "../../../../lib/mapDemoSession";
import { nametagServerConfig } from "../../../../lib/nametagServerConfig";

export const { GET, POST, PATCH, DELETE } = createNametagRouteHandler({
  ...nametagServerConfig(),
  auth,
  mapSession: (session) => {
    const identity = mapDemoSession(session);
    if (!identity) return null;
    return {
      ...identity,
      userMetadata: { ...identity.userMetadata, ...serverOnlyMetadata(identity.userId) },
    };
  },
});
