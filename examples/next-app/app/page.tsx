import { AuthControls } from "./components/AuthControls";
import { ChatPanel } from "./components/ChatPanel";
import { IdentityPanel } from "./components/IdentityPanel";
import { SupportForm } from "./components/SupportForm";

export default function Home() {
  return (
    <>
      <header className="topbar">
        <h1>
          Acme support <small>· Nametag Next.js example</small>
        </h1>
        <AuthControls />
      </header>
      <main className="layout">
        <ChatPanel />
        <aside className="sidebar">
          <IdentityPanel />
          <SupportForm />
        </aside>
      </main>
    </>
  );
}
