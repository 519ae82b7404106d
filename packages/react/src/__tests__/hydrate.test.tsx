import type { IdentifyInput } from "@nametag/core";
import { act, waitFor } from "@testing-library/react";
import { hydrateRoot } from "react-dom/client";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { NametagProvider, useIdentity, useTemplate } from "../index";
import { API_URL, JANE, setupBackend } from "./testBackend";

const backend = setupBackend();

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
      // Mounted in the browser: core links the bootstrapped user at most once.
      await waitFor(() => expect(backend.linkRequests().length).toBeLessThanOrEqual(1));
    }
    act(() => root.unmount());
    container.remove();
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
