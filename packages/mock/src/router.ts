import { MockHttpError } from "./errors";
import type { Route } from "./context";

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/**
 * Finds the route for a method and path. Routes are tried in order, so literal paths
 * (`/v1/users/me`) must come before parameter paths (`/v1/users/:id`). A known path with
 * another method is 405 with `Allow`; an unknown path is 404.
 */
export function createRouter(routes: readonly Route[]) {
  const compiled = routes.map((route) => ({
    route,
    segments: route.pattern.split("/").filter(Boolean),
  }));

  return function match(method: string, path: string): RouteMatch {
    const parts = path.split("/").filter(Boolean);
    const allowed = new Set<string>();
    for (const { route, segments } of compiled) {
      const params = matchSegments(segments, parts);
      if (!params) continue;
      if (route.method === method) return { route, params };
      allowed.add(route.method);
    }
    if (allowed.size > 0) {
      const allow = [...allowed].join(", ");
      throw new MockHttpError(
        405,
        "METHOD_NOT_ALLOWED",
        `${method} is not supported on ${path}. Use ${allow}.`,
        { allow: [...allowed] },
        { allow },
      );
    }
    throw new MockHttpError(
      404,
      "NOT_FOUND",
      `No endpoint ${method} ${path}. Every endpoint starts with /v1; see API.md of @nametag/mock.`,
    );
  };
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index] as string;
    const part = parts[index] as string;
    if (segment.startsWith(":")) {
      params[segment.slice(1)] = decodeSegment(part);
    } else if (segment !== part) {
      return undefined;
    }
  }
  return params;
}

function decodeSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new MockHttpError(
      400,
      "BAD_REQUEST",
      `The path segment ${JSON.stringify(part)} is not valid percent-encoding.`,
    );
  }
}
