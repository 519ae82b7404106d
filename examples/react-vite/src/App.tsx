import { useAutoIdentify, useIdentity } from "@nametag/react";
import { useAuth } from "./auth";
import { Chat } from "./components/Chat";
import { IdentityPanel } from "./components/IdentityPanel";
import { SupportForm } from "./components/SupportForm";
import { TopBar } from "./components/TopBar";

export function App() {
  // The whole auth integration: the signed-in user, or null when signed out. Nametag links the
  // visitor on login, resets on logout, and sends nothing for repeats.
  useAutoIdentify(useAuth().user);

  // A new visitor or user gets a fresh chat: nothing of the previous one stays on screen.
  const owner = useIdentity((identity) => `${identity.visitorId}:${identity.userId ?? ""}`);

  return (
    <>
      <TopBar />
      <main className="layout">
        <Chat key={owner} />
        <aside className="sidebar">
          <IdentityPanel />
          <SupportForm />
        </aside>
      </main>
    </>
  );
}
