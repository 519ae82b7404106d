import { getNametagBootstrap } from "@nametag/next/server";
import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { Suspense } from "react";
import { auth } from "../auth";
import { mapDemoSession } from "../lib/mapDemoSession";
import { nametagServerConfig } from "../lib/nametagServerConfig";
import { PERSISTENCE_COOKIE, parsePersistence } from "../lib/persistence";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: "Nametag · Next.js example",
  description: "Nametag identity with the App Router and next-auth",
  // No /favicon.ico request (and no 404) on every load.
  icons: { icon: "data:," },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  // The session and the cookie are request data: with cacheComponents they are read inside
  // <Suspense>, so the static shell is the page frame and the rest streams in the same response.
  return (
    <html lang="en">
      <body>
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <NametagProviders>{children}</NametagProviders>
        </Suspense>
      </body>
    </html>
  );
}

// Read on the server so the first render is already identified (no anonymous flash).
async function NametagProviders({ children }: { children: ReactNode }) {
  const bootstrap = await getNametagBootstrap({
    auth,
    mapSession: mapDemoSession,
    identitySecret: nametagServerConfig().identitySecret,
  });
  const persistence = parsePersistence((await cookies()).get(PERSISTENCE_COOKIE)?.value);
  return (
    <Providers bootstrap={bootstrap} persistence={persistence}>
      {children}
    </Providers>
  );
}
