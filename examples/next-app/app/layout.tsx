import { getNametagBootstrap } from "@nametag/next/server";
import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { auth } from "../auth";
import { mapDemoSession } from "../lib/mapDemoSession";
import { nametagServerConfig } from "../lib/nametagServerConfig";
import { PERSISTENCE_COOKIE, parsePersistence } from "../lib/persistence";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: "Nametag · Next.js example",
  description: "Nametag identity with the App Router and next-auth",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Read on the server so the first render is already identified (no anonymous flash).
  const bootstrap = await getNametagBootstrap({
    auth,
    mapSession: mapDemoSession,
    identitySecret: nametagServerConfig().identitySecret,
  });
  const persistence = parsePersistence((await cookies()).get(PERSISTENCE_COOKIE)?.value);
  return (
    <html lang="en">
      <body>
        <Providers bootstrap={bootstrap} persistence={persistence}>
          {children}
        </Providers>
      </body>
    </html>
  );
}
