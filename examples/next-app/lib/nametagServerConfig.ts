// Where the route handler and the bootstrap find the backend and their secrets. The defaults
// match `pnpm demo` (a nametag-mock on port 4011 started with this key and identity secret).
import "server-only";

export function nametagServerConfig() {
  return {
    apiUrl: process.env.NAMETAG_API_URL ?? "http://127.0.0.1:4011",
    apiKey: process.env.NAMETAG_API_KEY ?? "sk_test_nametag",
    identitySecret: process.env.NAMETAG_IDENTITY_SECRET ?? "dev-identity-secret",
  };
}
