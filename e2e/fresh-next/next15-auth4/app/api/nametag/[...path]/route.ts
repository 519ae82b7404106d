// app/api/nametag/[...path]/route.ts
import { createNametagRouteHandler } from "@nametag/next/server";
import { auth } from "@/auth";

// Reads NAMETAG_API_URL, NAMETAG_API_KEY and NAMETAG_IDENTITY_SECRET from the environment.
export const { GET, POST, PATCH } = createNametagRouteHandler({ auth });
