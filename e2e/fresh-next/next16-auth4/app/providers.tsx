// app/providers.tsx
"use client";
import { NametagIdentityProvider, type NametagBootstrap } from "@nametag/next";
import { SessionProvider } from "next-auth/react";

// Module scope: the provider reads its options once (see "Options are read once" below).
const options = { apiUrl: "/api/nametag" };

export function Providers(props: {
  children: React.ReactNode;
  bootstrap: NametagBootstrap | null;
}) {
  return (
    <SessionProvider>
      <NametagIdentityProvider options={options} bootstrap={props.bootstrap}>
        {props.children}
      </NametagIdentityProvider>
    </SessionProvider>
  );
}
