import { AuthControls } from "./components/AuthControls";
import { ChatPanel } from "./components/ChatPanel";
import { IdentityPanel } from "./components/IdentityPanel";
import { SupportForm } from "./components/SupportForm";

export default function Home() {
  return (
    <main className="layout">
      <header className="topbar">
        <h1>Nametag · Next.js</h1>
        <AuthControls />
      </header>
      <ChatPanel />
      <aside className="sidebar">
        <IdentityPanel />
        <SupportForm />
      </aside>
    </main>
  );
}
