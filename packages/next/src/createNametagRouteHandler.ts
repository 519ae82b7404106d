import type { NametagProxyOptions } from "@nametag/server";
import { createNametagProxy, isNametagError } from "@nametag/server";
import type { NametagSession } from "./mapSession";
import type { NametagServerAuthOptions } from "./serverAuth";
import { readEnv, readSessionUser, resolveIdentitySecret } from "./serverAuth";

export interface NametagRouteHandlerOptions<S extends NametagSession = NametagSession>
  extends
    NametagServerAuthOptions<S>,
    Pick<NametagProxyOptions, "basePath" | "timeoutMs" | "maxBodyBytes"> {
  /** The Nametag backend's base URL. Default: `process.env.NAMETAG_API_URL`. */
  apiUrl?: string;
  /** Your secret API key. Default: `process.env.NAMETAG_API_KEY`. Never sent to the browser. */
  apiKey?: string;
  /** The `fetch` used to reach the backend. Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/**
 * Next 15/16 pass `params` as a promise (a plain object is still awaited safely). Typed as the
 * promise only: Next 15's route type check rejects a union in a handler's second argument.
 */
export interface NametagRouteContext {
  params: Promise<{ path: string[] }>;
}

export type NametagRouteHandlerFunction = (
  request: Request,
  context: NametagRouteContext,
) => Promise<Response>;

export interface NametagRouteHandlers {
  GET: NametagRouteHandlerFunction;
  POST: NametagRouteHandlerFunction;
  PATCH: NametagRouteHandlerFunction;
  /** Answers 405 / 404 like every route the browser may not use; exported so a route file can re-export it. */
  DELETE: NametagRouteHandlerFunction;
}

/**
 * The handlers of `app/api/nametag/[...path]/route.ts`: `@nametag/server`'s
 * `createNametagProxy()` with next-auth's session as `getUser` (through `mapSession`). Every
 * proxy rule (routes, headers, identity, limits, timeouts, response fields) lives in that proxy.
 *
 * ```ts
 * export const { GET, POST, PATCH, DELETE } = createNametagRouteHandler({ auth });
 * ```
 */
export function createNametagRouteHandler<S extends NametagSession = NametagSession>(
  options: NametagRouteHandlerOptions<S>,
): NametagRouteHandlers {
  const handle: NametagRouteHandlerFunction = async (request) => {
    // Read per request: `next build` evaluates route modules without the runtime environment.
    const apiUrl = options.apiUrl ?? readEnv("NAMETAG_API_URL");
    const apiKey = options.apiKey ?? readEnv("NAMETAG_API_KEY");
    if (!apiUrl || !apiKey) {
      return configurationError(
        "The Nametag proxy route has no backend configured: pass apiUrl and apiKey to createNametagRouteHandler() or set NAMETAG_API_URL and NAMETAG_API_KEY.",
      );
    }
    let proxy: ReturnType<typeof createNametagProxy>;
    try {
      proxy = createNametagProxy({
        apiUrl,
        apiKey,
        identitySecret: resolveIdentitySecret(options.identitySecret),
        getUser: () => readSessionUser(options),
        basePath: options.basePath,
        timeoutMs: options.timeoutMs,
        maxBodyBytes: options.maxBodyBytes,
        fetch: options.fetch,
      });
    } catch (error) {
      return configurationError(
        isNametagError(error) ? error.message : "The Nametag proxy route is misconfigured.",
      );
    }
    return proxy(request);
  };
  return { GET: handle, POST: handle, PATCH: handle, DELETE: handle };
}

function configurationError(message: string): Response {
  return Response.json(
    { error: { code: "INVALID_OPTIONS", message } },
    { status: 500, headers: { "cache-control": "no-store" } },
  );
}
