import type { MockAgent } from "./agent";
import type { MockStore } from "./store";

/** Configuration and state every route can read. */
export interface BackendRuntime {
  store: MockStore;
  apiKey: string;
  identitySecret: string | undefined;
  agents: ReadonlyMap<string, MockAgent>;
  defaultAgent: string;
  now: () => number;
}

/**
 * A browser request: its visitor id and, once identified, the host's user id. `vouched` is true
 * when a host proxy sent it (`Authorization: NametagProxy <apiKey>`), whose key stands in for a
 * verification credential; it never widens the browser's scope.
 */
export interface BrowserCaller {
  kind: "browser";
  visitorId: string;
  externalId: string | null;
  vouched: boolean;
}

/** A request with `Authorization: Bearer <apiKey>`; `scopeUserId` is set when `X-User-Token` narrows it to one user. */
export interface ServerCaller {
  kind: "server";
  scopeUserId: string | null;
}

export type Caller = BrowserCaller | ServerCaller;

/** Who may call a route: browsers, API-key servers, either, or nobody needs to (mock admin). */
export type RouteAccess = "browser" | "server" | "any" | "admin";

export interface RouteContext {
  request: Request;
  url: URL;
  /** The path after the backend's base path, e.g. `/v1/users/usr_1`. */
  path: string;
  params: Record<string, string>;
  /** The parsed JSON body; `undefined` when there is none. */
  body: unknown;
  caller: Caller;
  runtime: BackendRuntime;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** The user a result belongs to (a GDPR delete forgets its idempotent replay). */
  userId?: string;
}

export interface Route {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Segments, `:name` for a parameter: `/v1/conversations/:id/messages`. */
  pattern: string;
  access: Exclude<RouteAccess, "admin">;
  /**
   * Whether the caller's `X-Nametag-User-Id` must verify before the route runs. The link route
   * verifies the body's userId itself.
   */
  verifyUser?: boolean;
  /**
   * Checks that run before the idempotency lookup, so a replay passes them too (the link
   * route's body credentials). Throws to refuse.
   */
  precheck?: (context: RouteContext) => void | Promise<void>;
  handler: (context: RouteContext) => RouteResult | Promise<RouteResult>;
}
