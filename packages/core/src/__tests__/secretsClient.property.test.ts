import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createNametag } from "../createNametag";
import { createMemoryStorage } from "../storage";
import type { StorageLike } from "../types";
import { plantedSecretArb } from "./secretArbitraries";
import { API_URL, backend, browserWindow, linkRequests, recordWire, server } from "./setup";

// The client end of issue 15's property: a secret planted by key (from the published list, in
// any disguise) or by value shape (under an innocent key), at any depth, never reaches what the
// client shows or keeps (snapshot, agent context, render, events, postMessage, web storage, which
// is also what the cross-tab channel carries), and always reaches the backend, with its pointer.

afterEach(() => vi.unstubAllGlobals());

const contains = (text: string, secret: string) =>
  text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1));

describe("a planted secret never leaves the client except to the backend (properties)", () => {
  it("identify(): not in the snapshot, agent context, render, events, postMessage or storage; in the link request", async () => {
    await fc.assert(
      fc.asyncProperty(plantedSecretArb, async (planted) => {
        backend.reset();
        server.events.removeAllListeners(); // one wire recorder per run
        const sent = recordWire();
        const posted: unknown[] = [];
        vi.stubGlobal(
          "window",
          Object.assign(browserWindow(), {
            postMessage: (message: unknown) => posted.push(message),
          }),
        );
        const stored: string[] = [];
        const memory = createMemoryStorage();
        const storage: StorageLike = {
          getItem: (key) => memory.getItem(key),
          setItem: (key, value) => {
            stored.push(value);
            memory.setItem(key, value);
          },
          removeItem: (key) => memory.removeItem(key),
        };
        const client = createNametag({ apiUrl: API_URL, persistence: storage, crossTab: false });
        const events: unknown[] = [];
        client.on("identityUpdate", (identity) => events.push(identity));
        client.mount();
        try {
          await client.identify({ userId: "user_planted", userMetadata: planted.metadata });
          expect(client.getIdentity().status).toBe("identified");
          const seen = JSON.stringify([
            client.getIdentity(),
            client.getAgentContext(),
            client.render("{{userMetadata}}"),
            events,
            posted,
            stored,
          ]);
          expect(contains(seen, planted.secret)).toBe(false);

          expect(linkRequests()).toHaveLength(1);
          const links = (await sent()).filter(
            (request) => request.method === "POST" && request.path === "/v1/identity",
          );
          expect(links).toHaveLength(1);
          expect(contains(JSON.stringify(links[0]!.body), planted.secret)).toBe(true);
          const pointer = [...planted.path, planted.leafKey]
            .map((segment) => "/" + String(segment).replace(/~/g, "~0").replace(/\//g, "~1"))
            .join("");
          expect((links[0]!.body as { sensitivePaths?: string[] }).sensitivePaths).toContain(
            pointer,
          );
        } finally {
          client.destroy();
        }
      }),
      { numRuns: 60 },
    );
  });
});
