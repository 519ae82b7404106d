// Server-only metadata: the route handler adds it to the link request, so the backend's HTTP
// tools can use it, but it never reaches the browser (not in the session, not in the page).
import "server-only";

const AUTH_TOKENS: Record<string, string> = {
  user_jane: "demo-jane-auth-token-7f3a",
};

export function serverOnlyMetadata(userId: string): Record<string, string> {
  const authToken = AUTH_TOKENS[userId];
  return authToken ? { authToken } : {};
}
