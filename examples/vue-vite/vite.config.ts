import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";
import type { ProxyOptions } from "vite";

// The app talks to the same-origin path /api/nametag; dev and preview servers forward it to a
// running nametag-mock (or any Nametag backend), without the prefix.
const target = process.env.NAMETAG_MOCK_URL ?? "http://127.0.0.1:4010";
const proxy: Record<string, ProxyOptions> = {
  "/api/nametag": {
    target,
    changeOrigin: true,
    rewrite: (path) => path.replace(/^\/api\/nametag/, ""),
  },
};

export default defineConfig({
  plugins: [vue()],
  server: { port: 5174, proxy },
  preview: { port: 5174, proxy },
});
