import type { AuthUser, NametagClient } from "@nametag/core";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { Component, StrictMode, createContext, useContext, useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { NametagProvider, useAutoIdentify, useIdentity } from "../index";
import { JANE, OMAR, setupBackend } from "./testBackend";

const backend = setupBackend();

function AutoIdentify({ user }: { user: AuthUser }) {
  useAutoIdentify(user);
  const identity = useIdentity();
  return (
    <p data-testid="status">
      {identity.status}:{identity.userId ?? ""}
    </p>
  );
}

const status = () => screen.getByTestId("status").textContent;

function countResets(client: NametagClient) {
  const resets: unknown[] = [];
  client.on("reset", (event) => resets.push(event));
  return resets;
}

describe("useAutoIdentify", () => {
  it("in StrictMode: one link per sign-in, one more per user switch, one reset on sign-out", async () => {
    const client = backend.createClient();
    const resets = countResets(client);
    const tree = (user: AuthUser) => (
      <StrictMode>
        <NametagProvider client={client}>
          <AutoIdentify user={user} />
        </NametagProvider>
      </StrictMode>
    );

    const view = render(tree(undefined)); // auth still loading: nothing happens
    expect(status()).toBe("anonymous:");
    view.rerender(tree({ ...JANE }));
    await waitFor(() => expect(status()).toBe("identified:user_jane"));
    expect(backend.linkRequests()).toHaveLength(1);

    view.rerender(tree({ ...JANE })); // an equal but new object: core's dedupe sends nothing
    view.rerender(tree({ ...OMAR }));
    await waitFor(() => expect(status()).toBe("identified:user_omar"));
    expect(backend.linkRequests()).toHaveLength(2);

    // Core resets Jane before linking Omar, so he never inherits her visitor's history.
    expect(resets).toHaveLength(1);

    const visitorBefore = client.getVisitorId();
    view.rerender(tree(null));
    await waitFor(() => expect(status()).toBe("anonymous:"));
    view.rerender(tree(null));
    expect(resets).toHaveLength(2);
    expect(client.getVisitorId()).not.toBe(visitorBefore);
    expect(backend.linkRequests()).toHaveLength(2);
  });

  it("a first anonymous page load (signed out) keeps its visitor id and resets nothing", () => {
    const client = backend.createClient();
    const resets = countResets(client);
    const visitorId = client.getVisitorId();
    render(
      <StrictMode>
        <NametagProvider client={client}>
          <AutoIdentify user={null} />
        </NametagProvider>
      </StrictMode>,
    );
    expect(status()).toBe("anonymous:");
    expect(client.getVisitorId()).toBe(visitorId);
    expect(resets).toHaveLength(0);
  });

  it("a user signed in at the first render, before the provider mounts the client, is identified once", async () => {
    const client = backend.createClient();
    // Child effects run before the provider's: syncAuth() is called before mount().
    render(
      <StrictMode>
        <NametagProvider client={client}>
          <AutoIdentify user={JANE} />
        </NametagProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(status()).toBe("identified:user_jane"));
    expect(backend.linkRequests()).toHaveLength(1);
    expect(backend.backend.store.findUserByExternalId("user_jane")?.userMetadata).toMatchObject({
      plan: "enterprise",
    });
  });

  it("an invalid user reaches the nearest error boundary as INVALID_USER_ID, and nothing is sent", () => {
    const client = backend.createClient();
    const caught: unknown[] = [];
    class Boundary extends Component<{ children: ReactNode }, { failed: boolean }> {
      override state = { failed: false };
      static getDerivedStateFromError() {
        return { failed: true };
      }
      override componentDidCatch(error: unknown) {
        caught.push(error);
      }
      override render() {
        return this.state.failed ? <p data-testid="status">failed</p> : this.props.children;
      }
    }
    vi.spyOn(console, "error").mockImplementation(() => {});
    const swallow = (event: ErrorEvent) => event.preventDefault(); // React 18 re-dispatches it
    window.addEventListener("error", swallow);
    render(
      <NametagProvider client={client}>
        <Boundary>
          <AutoIdentify user={{ userId: "jane@example.com" }} />
        </Boundary>
      </NametagProvider>,
    );
    window.removeEventListener("error", swallow);
    expect(status()).toBe("failed");
    expect(caught).toEqual([expect.objectContaining({ code: "INVALID_USER_ID" })]);
    expect(client.getIdentity().status).toBe("anonymous");
    expect(backend.requests).toEqual([]);
  });

  // The seed's (Ansa's) "React Context" pattern: an auth context whose isAuthenticated / user
  // change. The only Nametag code is one useAutoIdentify() call.
  interface AppUser {
    id: string;
    name: string;
    email: string;
    plan: string;
  }
  interface Auth {
    user: AppUser | null;
    isAuthenticated: boolean;
    login(user: AppUser): void;
    logout(): void;
  }
  const AuthContext = createContext<Auth | null>(null);
  const useAuth = () => useContext(AuthContext) as Auth;

  function AuthProvider({ children }: { children: ReactNode }) {
    const [user, setUser] = useState<AppUser | null>(null);
    return (
      <AuthContext.Provider
        value={{
          user,
          isAuthenticated: user !== null,
          login: setUser,
          logout: () => setUser(null),
        }}
      >
        {children}
      </AuthContext.Provider>
    );
  }

  function NametagIdentity({ children }: { children: ReactNode }) {
    const { user, isAuthenticated } = useAuth();
    useAutoIdentify(
      isAuthenticated && user
        ? { userId: user.id, userMetadata: { name: user.name, email: user.email, plan: user.plan } }
        : null,
    );
    return <>{children}</>;
  }

  function Page() {
    const { login, logout } = useAuth();
    const identity = useIdentity();
    return (
      <>
        <p data-testid="status">
          {identity.status}:{identity.userId ?? ""}
        </p>
        <button
          onClick={() =>
            login({
              id: "user_jane",
              name: "Jane Smith",
              email: "jane@example.com",
              plan: "enterprise",
            })
          }
        >
          login
        </button>
        <button onClick={logout}>logout</button>
      </>
    );
  }

  it("the seed's auth-context pattern drives identify and reset with no other code", async () => {
    const client = backend.createClient();
    const resets = countResets(client);
    render(
      <StrictMode>
        <NametagProvider client={client}>
          <AuthProvider>
            <NametagIdentity>
              <Page />
            </NametagIdentity>
          </AuthProvider>
        </NametagProvider>
      </StrictMode>,
    );
    expect(status()).toBe("anonymous:");

    fireEvent.click(screen.getByText("login"));
    await waitFor(() => expect(status()).toBe("identified:user_jane"));
    expect(backend.linkRequests()).toHaveLength(1);
    expect(client.getIdentity().userMetadata).toEqual({
      name: "Jane Smith",
      email: "jane@example.com",
      plan: "enterprise",
    });

    const visitorId = client.getVisitorId();
    await act(async () => {
      fireEvent.click(screen.getByText("logout"));
    });
    await waitFor(() => expect(status()).toBe("anonymous:"));
    expect(resets).toHaveLength(1);
    expect(client.getVisitorId()).not.toBe(visitorId);
    expect(backend.linkRequests()).toHaveLength(1);
  });
});
