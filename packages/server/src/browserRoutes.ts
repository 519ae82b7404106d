import { MAX_PAGE_LIMIT } from "@nametag/core";

/** The browser routes a host proxy serves; everything else is refused without a request. */
export type BrowserRouteName =
  | "link"
  | "updateMetadata"
  | "listConversations"
  | "createConversation"
  | "getConversation"
  | "listMessages"
  | "sendMessage";

/** A browser request the proxy may forward: which route, and the backend path to call. */
export interface BrowserRoute {
  name: BrowserRouteName;
  method: string;
  /** The backend path, rebuilt from the checked segments (never the browser's raw text). */
  path: string;
  /** Lists only: the validated `cursor` / `limit`, re-encoded. */
  query: URLSearchParams;
}

/** Why a request matches no browser route, with the status the proxy answers. */
export type BrowserRouteRefusal =
  | { status: 404; code: "NOT_FOUND"; message: string }
  | { status: 405; code: "METHOD_NOT_ALLOWED"; message: string; allow: string[] }
  | { status: 400; code: "VALIDATION_FAILED"; message: string; details: Record<string, string> };

/** Ids of conversations: letters, digits, `_` and `-`, at most 64 characters (no dots, no `%`). */
export const BROWSER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Cursors are opaque, but only URL-safe and at most 1024 characters. */
const CURSOR_PATTERN = /^[A-Za-z0-9_.~:=+/-]{1,1024}$/;

/** Literal segments and `:id` placeholders, matched segment by segment. */
const BROWSER_ROUTES: ReadonlyArray<{
  segments: readonly string[];
  methods: Readonly<Record<string, BrowserRouteName>>;
  paginated: boolean;
}> = [
  {
    segments: ["v1", "identity"],
    methods: { POST: "link", PATCH: "updateMetadata" },
    paginated: false,
  },
  {
    segments: ["v1", "conversations"],
    methods: { GET: "listConversations", POST: "createConversation" },
    paginated: true,
  },
  {
    segments: ["v1", "conversations", ":id"],
    methods: { GET: "getConversation" },
    paginated: false,
  },
  {
    segments: ["v1", "conversations", ":id", "messages"],
    methods: { GET: "listMessages", POST: "sendMessage" },
    paginated: true,
  },
];

const NOT_FOUND: BrowserRouteRefusal = {
  status: 404,
  code: "NOT_FOUND",
  message:
    "This route is not available through the Nametag proxy: a browser may reach only /v1/identity and /v1/conversations (see @nametag/server's README, Proxy).",
};

/**
 * Matches `method` and the URL path after the proxy's base path (`/v1/...`) against the browser
 * routes. The path is taken as the URL parser left it: percent-escapes (an encoded `/`, `.` or
 * `%`), empty segments (`//`), dot segments and over-long or odd ids are all refused, and the
 * backend path is rebuilt from the checked segments.
 */
export function matchBrowserRoute(
  method: string,
  pathname: string,
  search: string,
): BrowserRoute | BrowserRouteRefusal {
  if (!pathname.startsWith("/")) return NOT_FOUND;
  const segments = pathname.slice(1).split("/");
  const route = BROWSER_ROUTES.find(
    (candidate) =>
      candidate.segments.length === segments.length &&
      candidate.segments.every((expected, index) => {
        const actual = segments[index] as string;
        return expected === ":id" ? BROWSER_ID_PATTERN.test(actual) : expected === actual;
      }),
  );
  if (!route) return NOT_FOUND;
  const name = route.methods[method];
  if (name === undefined) {
    const allow = Object.keys(route.methods);
    return {
      status: 405,
      code: "METHOD_NOT_ALLOWED",
      message: `${method} is not allowed on this route; use ${allow.join(" or ")}.`,
      allow,
    };
  }
  const query = readQuery(search, route.paginated && method === "GET");
  if ("status" in query) return query;
  return { name, method, path: "/" + segments.join("/"), query };
}

/** `cursor` and `limit` on list reads, checked and re-encoded; no other parameter anywhere. */
function readQuery(search: string, paginated: boolean): URLSearchParams | BrowserRouteRefusal {
  const raw = search.startsWith("?") ? search.slice(1) : search;
  const checked = new URLSearchParams();
  if (raw === "") return checked;
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(raw)) {
    if (!paginated || (name !== "cursor" && name !== "limit")) {
      return invalidQuery(
        name,
        paginated
          ? `Query parameter ${JSON.stringify(name.slice(0, 40))} is not accepted; lists take only cursor and limit.`
          : "This route takes no query parameters.",
      );
    }
    if (seen.has(name)) {
      return invalidQuery(name, `Query parameter ${name} was given twice; send it once.`);
    }
    seen.add(name);
    if (name === "limit") {
      if (!/^[1-9][0-9]{0,2}$/.test(value) || Number(value) > MAX_PAGE_LIMIT) {
        return invalidQuery(name, `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}.`);
      }
    } else if (!CURSOR_PATTERN.test(value)) {
      return invalidQuery(name, "cursor must be the nextCursor of the previous page, unchanged.");
    }
    checked.set(name, value);
  }
  return checked;
}

function invalidQuery(parameter: string, message: string): BrowserRouteRefusal {
  return {
    status: 400,
    code: "VALIDATION_FAILED",
    message,
    details: { parameter: parameter.slice(0, 40) },
  };
}
