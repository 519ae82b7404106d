"use client";
import type { NametagBootstrap, NametagOptions } from "@nametag/next";
import { NametagIdentityProvider } from "@nametag/next";
import { SessionProvider } from "next-auth/react";
import type { ReactNode } from "react";
import { createContext, useContext, useState } from "react";
import { mapDemoSession } from "../lib/mapDemoSession";
import type { DemoPersistence } from "../lib/persistence";
import { readPersistence } from "../lib/persistence";

const PersistenceContext = createContext<DemoPersistence>("localStorage");

/** The persistence this page was created with (what the session-ids toggle shows). */
export const usePersistence = () => useContext(PersistenceContext);

export function Providers(props: {
  children: ReactNode;
  bootstrap: NametagBootstrap | null;
  persistence: DemoPersistence;
}) {
  // Created once: the session-ids toggle reloads the page to switch persistence.
  const [persistence] = useState(() => readPersistence(props.persistence));
  const [options] = useState<NametagOptions>(() => ({ apiUrl: "/api/nametag", persistence }));
  return (
    <SessionProvider>
      <NametagIdentityProvider
        options={options}
        bootstrap={props.bootstrap}
        mapSession={mapDemoSession}
      >
        <PersistenceContext.Provider value={persistence}>
          {props.children}
        </PersistenceContext.Provider>
      </NametagIdentityProvider>
    </SessionProvider>
  );
}
