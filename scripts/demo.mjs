#!/usr/bin/env node
// `npm run demo`: starts the two nametag mocks and the three built examples on friendly ports
// (a free one when a port is taken), prints their URLs, and keeps them up until Ctrl-C.
import { join } from "node:path";
import { APPS, ROOT, missingBuilds, startServers, stopOnSignals } from "../e2e/servers.mjs";

const PORTS = { mockA: 4010, mockB: 4011, react: 5173, vue: 5174, next: 3000 };

const missing = missingBuilds(Object.keys(APPS));
if (missing.length) {
  console.error(
    `${missing.map((id) => APPS[id].dir).join(", ")} not built. Run \`npm run demo\` (it builds first) ` +
      "or `node scripts/pnpm.mjs exec turbo run build`.",
  );
  process.exit(1);
}

console.log("Starting the Nametag demo…");
let servers;
// Ctrl-C is how the demo ends, so it exits 0 (pnpm would otherwise report "Command failed").
stopOnSignals(
  async () => {
    console.log("\nStopping the demo…");
    await servers?.stop();
  },
  { exitCode: 0 },
);
try {
  servers = await startServers({
    ports: PORTS,
    logDir: join(ROOT, "e2e/artifacts/demo-logs"),
    onLog: () => {},
  });
} catch (error) {
  console.error(`The demo could not start: ${error.message}`);
  process.exit(1);
}

const { mocks, apps } = servers;
console.log(`
Nametag demo is running:

  React + Vite         ${apps.react.url}
  Vue + Vite           ${apps.vue.url}
  Next.js App Router   ${apps.next.url}

  nametag-mock A       ${mocks.A.url}   (React and Vue; no identity secret)
  nametag-mock B       ${mocks.B.url}   (Next; identity secret "dev-identity-secret")

Log in as Jane Smith (enterprise) or Omar Haddad (pro) with the buttons on each page. Every
example talks to its mock through the same-origin path /api/nametag.
Server logs: ${join(ROOT, "e2e/artifacts/demo-logs")}
Press Ctrl-C to stop.`);
