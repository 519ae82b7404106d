// The provider under next-auth's real SessionProvider (v4, and v5 in the second project), which
// fetches /api/auth/session: the session endpoint is served by MSW next to the mock backend.
import { act, cleanup, render, screen, waitFor } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { SessionProvider } from "next-auth/react";
import { afterEach, describe, expect, it } from "vitest";
import { NametagIdentityProvider, useIdentity } from "../client";
import { API_URL, startMockBackend } from "./support/mockBackend";
import { jane } from "./support/sessions";

const { server, linkRequests } = startMockBackend();

afterEach(() => cleanup());

let session: object = {};
const sessionRequests: string[] = [];

function serveSession() {
  server.use(
    http.get("*/api/auth/session", ({ request }) => {
      sessionRequests.push(request.url);
      return HttpResponse.json(session);
    }),
  );
}

function Status() {
  const identity = useIdentity();
  return <span data-testid="status">{`${identity.status}:${identity.userId ?? ""}`}</span>;
}

function App() {
  return (
    <SessionProvider>
      <NametagIdentityProvider options={{ apiUrl: API_URL, persistence: "memory", retry: false }}>
        <Status />
      </NametagIdentityProvider>
    </SessionProvider>
  );
}

describe(`under next-auth v${process.env.NEXT_AUTH_MAJOR}'s SessionProvider`, () => {
  it("a session fetched from /api/auth/session identifies once; losing it resets", async () => {
    session = { user: jane, expires: "2999-01-01T00:00:00.000Z" };
    serveSession();
    render(<App />);
    expect(screen.getByTestId("status").textContent).toBe("anonymous:");
    await waitFor(() =>
      expect(screen.getByTestId("status").textContent).toBe("identified:user_jane"),
    );
    expect(sessionRequests.length).toBeGreaterThan(0);
    expect(linkRequests()).toHaveLength(1);

    // Signed out elsewhere: next-auth refetches when the tab becomes visible again.
    session = {};
    await act(async () => {
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await waitFor(() => expect(screen.getByTestId("status").textContent).toBe("anonymous:"));
    expect(linkRequests()).toHaveLength(1);
  });

  it("a signed-out session sends nothing to the backend", async () => {
    session = {};
    serveSession();
    sessionRequests.length = 0;
    render(<App />);
    await waitFor(() => expect(sessionRequests.length).toBeGreaterThan(0));
    await act(() => Promise.resolve());
    expect(screen.getByTestId("status").textContent).toBe("anonymous:");
    expect(linkRequests()).toHaveLength(0);
  });
});
