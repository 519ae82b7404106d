// NametagIdentityProvider reads its options once (the client is created from them): changing
// them later is ignored, and development says so once, with the fix.
import { cleanup, render, screen } from "@testing-library/react";
import { useSession } from "next-auth/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { NametagBootstrap } from "../client";
import { NametagIdentityProvider, useIdentity, useNametag } from "../client";
import { API_URL, startMockBackend } from "./support/mockBackend";
import type { SessionValue } from "./support/sessions";
import { jane, signedIn } from "./support/sessions";

vi.mock("next-auth/react", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  useSession: vi.fn(),
}));

startMockBackend();
afterEach(() => cleanup());

const bootstrap: NametagBootstrap = { initialIdentity: { userId: jane.id! } };

describe("NametagIdentityProvider options", () => {
  it("warns once when apiUrl changes after the first render, and keeps the first client", () => {
    vi.mocked(useSession).mockReturnValue(
      signedIn(jane) as SessionValue as unknown as ReturnType<typeof useSession>,
    );
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const clients = new Set<unknown>();
    function Probe() {
      clients.add(useNametag());
      return <p data-testid="user">{useIdentity().userId}</p>;
    }
    const tree = (apiUrl: string) => (
      <NametagIdentityProvider
        options={{ apiUrl, persistence: "memory", retry: false }}
        bootstrap={bootstrap}
      >
        <Probe />
      </NametagIdentityProvider>
    );
    const view = render(tree(API_URL));
    // A new options object with the same values (and the bootstrap) is not a change.
    view.rerender(tree(API_URL));
    expect(warn).toHaveBeenCalledTimes(0);
    view.rerender(tree("http://elsewhere.test"));
    view.rerender(tree("http://third.test"));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toContain("options changed after the first render (apiUrl)");
    expect(warn.mock.calls[0]?.[0]).toContain("Key the provider (key={apiUrl}) or pass a client");
    expect(clients.size).toBe(1);
    expect(screen.getByTestId("user").textContent).toBe(jane.id);
  });
});
