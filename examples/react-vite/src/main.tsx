import { NametagProvider } from "@nametag/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { AuthProvider } from "./auth";
import { nametag } from "./nametag";
import "./style.css";

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <NametagProvider client={nametag}>
      <AuthProvider>
        <App />
      </AuthProvider>
    </NametagProvider>
  </StrictMode>,
);
