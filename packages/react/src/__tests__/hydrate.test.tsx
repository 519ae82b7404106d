import type { IdentifyInput, NametagClient, StorageLike } from "@nametag/core";
import { act, waitFor } from "@testing-library/react";
import { http } from "msw";
import { hydrateRoot } from "react-dom/client";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { NametagProvider, useIdentity, useTemplate } from "../index";
import { API_URL, JANE, setupBackend } from "./testBackend";

const backend = setupBackend();

/** Holds every link request at the backend until `release()`: nothing it answers can start more. */
function holdLinks(): () => void {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  backend.server.use(
    http.post(`${API_URL}/v1/identity`, async ({ request }) => {
      await gate;
      return backend.backend.handle(request);
    }),
  );
  return release;
}

/** A storage that outlives one page load, as localStorage does across a reload. */
function reloadableStorage(): StorageLike & { text(): string } {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    text: () => [...items.values()].join("\n"),
  };
}

/** Jane without any sensitive field: an unchanged identity like this is linked once, ever. */
const PLAIN_JANE: IdentifyInput = {
  userId: "user_jane",
  userMetadata: { name: "Jane Smith", plan: "enterprise" },
};

function Page() {
  const identity = useIdentity();
  const greeting = useTemplate("Hello {{userMetadata.name}}! How can I help you today?");
  return (
    <main>
      <p data-testid="status">{identity.status}</p>
      <p data-testid="user-id">{identity.userId ?? ""}</p>
      <p data-testid="greeting">{greeting}</p>
    </main>
  );
}

// Server and browser each create their own client from the same options, as an SSR app does.
const app = (initialIdentity: IdentifyInput | null) => (
  <NametagProvider
    options={{ apiUrl: API_URL, persistence: "memory", crossTab: false, initialIdentity }}
  >
    <Page />
  </NametagProvider>
);

describe("hydration", () => {
  it.each([
    ["anonymous", null],
    ["signed in (server bootstrap)", JANE],
  ])("hydrates %s server markup without a warning, then mounts", async (_, initialIdentity) => {
    const html = renderToString(app(initialIdentity));
    expect(backend.requests).toEqual([]);

    const container = document.createElement("div");
    container.innerHTML = html;
    document.body.append(container);
    const consoleError = vi.spyOn(console, "error");
    const recoverable: unknown[] = [];
    const root = await act(async () =>
      hydrateRoot(container, app(initialIdentity), {
        onRecoverableError: (error) => recoverable.push(error),
      }),
    );

    expect(recoverable).toEqual([]);
    expect(consoleError).not.toHaveBeenCalled();
    expect(container.innerHTML).toBe(html);
    if (initialIdentity) {
      // Mounted in the browser: core links the bootstrapped user exactly once.
      await waitFor(() => expect(backend.linkRequests()).toHaveLength(1));
    } else {
      expect(backend.requests).toEqual([]);
    }
    act(() => root.unmount());
    container.remove();
  });

  it("a bootstrapped user is linked exactly once on the first load, and not again on a reload", async () => {
    const storage = reloadableStorage();
    const html = renderToString(app(PLAIN_JANE));

    async function pageLoad(): Promise<{ client: NametagClient; unmount(): void }> {
      const client = backend.createClient({ persistence: storage, initialIdentity: PLAIN_JANE });
      const container = document.createElement("div");
      container.innerHTML = html;
      document.body.append(container);
      const root = await act(async () =>
        hydrateRoot(
          container,
          <NametagProvider client={client}>
            <Page />
          </NametagProvider>,
        ),
      );
      expect(container.innerHTML).toBe(html);
      return {
        client,
        unmount() {
          act(() => root.unmount());
          container.remove();
        },
      };
    }

    // First load: the link is held at the backend, so nothing it answers can trigger another.
    const release = holdLinks();
    const first = await pageLoad();
    await waitFor(() => expect(backend.linkRequests()).toHaveLength(1));
    // A later request queues behind any link the mount started: it is the barrier.
    const listed = first.client.conversations.list();
    release();
    await listed;
    expect(backend.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      "POST /v1/identity",
      "GET /v1/conversations",
    ]);
    await waitFor(() => expect(storage.text()).toContain("user_jane"));
    first.unmount();

    // Reload: the confirmed link is in storage; the same identity sends no link at all.
    backend.requests.length = 0;
    const second = await pageLoad();
    await second.client.conversations.list();
    expect(backend.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      "GET /v1/conversations",
    ]);
    expect(backend.linkRequests()).toHaveLength(0);
    second.unmount();
  });

  it("control: markup for another user does produce a hydration error", async () => {
    const container = document.createElement("div");
    container.innerHTML = renderToString(app(JANE));
    document.body.append(container);
    vi.spyOn(console, "error").mockImplementation(() => {});
    const recoverable: unknown[] = [];
    const root = await act(async () =>
      hydrateRoot(container, app(null), { onRecoverableError: (error) => recoverable.push(error) }),
    );
    expect(recoverable.length).toBeGreaterThan(0);
    expect(container.querySelector('[data-testid="status"]')?.textContent).toBe("anonymous");
    act(() => root.unmount());
    container.remove();
  });
});
