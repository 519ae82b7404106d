// Server-only entry (`@nametag/next/server`): importing it from a Client Component fails the
// build, so the API key and identity secret it handles can never end up in a browser bundle.
import "server-only";

export { getNametagBootstrap } from "./getNametagBootstrap";
export type { NametagBootstrapOptions } from "./getNametagBootstrap";
export { createNametagRouteHandler } from "./createNametagRouteHandler";
export type {
  NametagRouteContext,
  NametagRouteHandlerFunction,
  NametagRouteHandlerOptions,
  NametagRouteHandlers,
} from "./createNametagRouteHandler";
export type { NametagAuth, NametagServerAuthOptions } from "./serverAuth";
export { defaultMapSession } from "./mapSession";
export type { MapSession, NametagSession, NametagSessionUser } from "./mapSession";
export type { NametagBootstrap } from "./NametagBootstrap";
