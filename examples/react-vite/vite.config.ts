import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import type { ProxyOptions } from "vite";

// The app talks to the same-origin path /api/nametag; the dev and preview servers forward it,
// without the prefix, to nametag-mock (or any Nametag backend) at NAMETAG_MOCK_URL.
const target = process.env.NAMETAG_MOCK_URL ?? "http://127.0.0.1:4010";
const proxy: Record<string, ProxyOptions> = {
  "/api/nametag": {
    target,
    changeOrigin: true,
    rewrite: (path) => path.replace(/^\/api\/nametag/, ""),
  },
};

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, proxy },
  preview: { port: 5173, proxy },
});
