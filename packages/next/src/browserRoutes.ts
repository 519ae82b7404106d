/**
 * The backend routes a browser may reach through the proxy. Everything else (the API-key
 * endpoints: users, contacts, attributes; the mock's admin routes) answers 404 here, so a page
 * can never borrow the server's API key for them.
 */
const BROWSER_ROUTES: ReadonlyArray<{ pattern: RegExp; methods: readonly string[] }> = [
  { pattern: /^\/v1\/identity$/, methods: ["POST", "PATCH"] },
  { pattern: /^\/v1\/conversations$/, methods: ["GET", "POST"] },
  { pattern: /^\/v1\/conversations\/[^/]+$/, methods: ["GET"] },
  { pattern: /^\/v1\/conversations\/[^/]+\/messages$/, methods: ["GET", "POST"] },
];

/** Path segments as an API path, or `null` when a segment could escape its place ("..", "/"). */
export function toBackendPath(segments: readonly string[]): string | null {
  if (segments.length === 0) return null;
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") return null;
    if (/[/\\?#%]/.test(segment) || hasControlCharacter(segment)) return null;
  }
  return "/" + segments.map((segment) => encodeURIComponent(segment)).join("/");
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    if (text.charCodeAt(index) < 0x20 || text.charCodeAt(index) === 0x7f) return true;
  }
  return false;
}

/** "allowed", "method" (the path exists but not for this method) or "unknown". */
export function matchBrowserRoute(method: string, path: string): "allowed" | "method" | "unknown" {
  const route = BROWSER_ROUTES.find(({ pattern }) => pattern.test(path));
  if (!route) return "unknown";
  return route.methods.includes(method) ? "allowed" : "method";
}
