// app/layout.tsx
import { getNametagBootstrap } from "@nametag/next/server";
import { Suspense } from "react";
import { auth } from "@/auth";
import { Providers } from "./providers";
import "./globals.css";

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body>
        <Suspense>
          <NametagProviders>{children}</NametagProviders>
        </Suspense>
      </body>
    </html>
  );
}

// Reads the session on the server, so the first render in the browser is already identified.
async function NametagProviders({ children }: { children: React.ReactNode }) {
  const bootstrap = await getNametagBootstrap({ auth });
  return <Providers bootstrap={bootstrap}>{children}</Providers>;
}
