import type { NextConfig } from "next";
import { fileURLToPath } from "node:url";

// The same app builds against next-auth v4 (default) or v5 (NAMETAG_EXAMPLE_NEXT_AUTH=5, built
// into .next/auth5 so both builds coexist; `next start` needs the same variable). The server
// side picks its auth module at run time (auth.ts); the browser side — this app's components and
// @nametag/next's provider — imports `next-auth/react`, which the v5 build points at v5.
const nextAuthV5 = process.env.NAMETAG_EXAMPLE_NEXT_AUTH === "5";

const nextConfig: NextConfig = {
  // create-next-app's default: request data (the session, cookies) is read inside <Suspense>.
  cacheComponents: true,
  // The monorepo root, where pnpm's lockfile and node_modules live.
  turbopack: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    resolveAlias: nextAuthV5 ? { "next-auth/react": "next-auth-v5/react" } : {},
  },
  distDir: nextAuthV5 ? ".next/auth5" : ".next",
  poweredByHeader: false,
};

export default nextConfig;
