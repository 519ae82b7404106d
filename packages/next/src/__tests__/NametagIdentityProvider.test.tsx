import { act, cleanup, render, screen, waitFor } from "@testing-library/react";
import { http } from "msw";
import { useSession } from "next-auth/react";
import { StrictMode } from "react";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { NametagBootstrap, NametagClient, NametagOptions } from "../client";
import { NametagIdentityProvider, useIdentity, useNametag } from "../client";
import { API_URL, startMockBackend } from "./support/mockBackend";
import type { SessionValue } from "./support/sessions";
import { jane, loading, omar, signedIn, signedOut } from "./support/sessions";

vi.mock("next-auth/react", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  useSession: vi.fn(),
}));

const { backend, linkRequests, requests, server } = startMockBackend();

afterEach(() => cleanup());

function setSession(value: SessionValue) {
  vi.mocked(useSession).mockReturnValue(value as unknown as ReturnType<typeof useSession>);
}

const options: NametagOptions = { apiUrl: API_URL, persistence: "memory", retry: false };

function IdentityView() {
  const identity = useIdentity();
  return (
    <p>
      <span data-testid="status">{identity.status}</span>
      <span data-testid="user">{identity.userId ?? ""}</span>
      <span data-testid="visitor">{identity.visitorId}</span>
    </p>
  );
}

/** The client the provider created, for the request that ends each "nothing more" check. */
let client: NametagClient | null = null;
function ClientProbe() {
  client = useNametag();
  return null;
}

function App({ bootstrap }: { bootstrap?: NametagBootstrap | null }) {
  return (
    <NametagIdentityProvider options={options} bootstrap={bootstrap}>
      <IdentityView />
      <ClientProbe />
    </NametagIdentityProvider>
  );
}

/**
 * What the backend received, after a barrier: a conversations request queues behind any link the
 * client has started, so a link sent by what happened before would be listed ahead of it. (No
 * "wait a bit, then assert nothing happened".)
 */
async function sentAfterBarrier(): Promise<string[]> {
  await act(async () => {
    await client!.conversations.list();
  });
  return requests.map((request) => `${request.method} ${request.path}`);
}

/** Holds every link request at the backend until `release()`. */
function holdLinks(): () => void {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  server.use(
    http.post(`${API_URL}/v1/identity`, async ({ request }) => {
      await gate;
      return backend.handle(request);
    }),
  );
  return release;
}

const text = (testId: string) => screen.getByTestId(testId).textContent;

async function settledAs(status: string, userId = "") {
  await waitFor(() => {
    expect(text("status")).toBe(status);
    expect(text("user")).toBe(userId);
  });
}

describe(`NametagIdentityProvider with next-auth v${process.env.NEXT_AUTH_MAJOR}`, () => {
  it("runs against the next-auth major version of this project", async () => {
    const actual = await vi.importActual<Record<string, unknown>>("next-auth/react");
    expect(typeof actual.useSession).toBe("function");
    // v5's client module exports its config object; v4's does not.
    expect("__NEXTAUTH" in actual).toBe(process.env.NEXT_AUTH_MAJOR === "5");
  });

  it("loading → authenticated → unauthenticated: nothing, one link, one reset", async () => {
    setSession(loading());
    const view = render(<App />);
    const firstVisitor = text("visitor");
    expect(text("status")).toBe("anonymous");

    setSession(signedIn(jane));
    view.rerender(<App />);
    await settledAs("identified", "user_jane");
    expect(linkRequests()).toHaveLength(1);
    expect(linkRequests()[0]?.body).toMatchObject({
      userId: "user_jane",
      userMetadata: { name: "Jane Smith", email: "jane@example.com" },
    });

    setSession(signedOut());
    view.rerender(<App />);
    await settledAs("anonymous");
    expect(linkRequests()).toHaveLength(1);
    // Reset rotates the visitor id: the next person never inherits Jane's anonymous history.
    expect(text("visitor")).not.toBe(firstVisitor);
  });

  it("stays quiet while loading, and a first signed-out load keeps its visitor id", async () => {
    setSession(loading());
    const view = render(<App />);
    const visitor = text("visitor");
    setSession(signedOut());
    view.rerender(<App />);
    expect(await sentAfterBarrier()).toEqual(["GET /v1/conversations"]);
    expect(text("status")).toBe("anonymous");
    expect(text("visitor")).toBe(visitor);
  });

  it("authenticated from the first render, in StrictMode: exactly one link request", async () => {
    setSession(signedIn(jane));
    render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
    await settledAs("identified", "user_jane");
    expect(linkRequests()).toHaveLength(1);
  });

  it("a refetched session for the same user sends nothing more", async () => {
    setSession(signedIn(jane));
    const view = render(<App />);
    await settledAs("identified", "user_jane");
    setSession(signedIn(jane)); // a new object with equal content, as a session refetch gives
    view.rerender(<App />);
    expect(await sentAfterBarrier()).toEqual(["POST /v1/identity", "GET /v1/conversations"]);
  });

  it("the session user changes: exactly one more link request, for the new user", async () => {
    setSession(signedIn(jane));
    const view = render(<App />);
    await settledAs("identified", "user_jane");
    setSession(signedIn(omar));
    view.rerender(<App />);
    await settledAs("identified", "user_omar");
    expect(linkRequests().map((request) => (request.body as { userId: string }).userId)).toEqual([
      "user_jane",
      "user_omar",
    ]);
  });

  it("uses mapSession when given", async () => {
    setSession(signedIn({ ...jane, id: "acct-42" }));
    render(
      <NametagIdentityProvider
        options={options}
        mapSession={(session) => ({
          userId: `app_${session.user?.id}`,
          userMetadata: { plan: "enterprise" },
        })}
      >
        <IdentityView />
      </NametagIdentityProvider>,
    );
    await settledAs("identified", "app_acct-42");
    expect(linkRequests()[0]?.body).toMatchObject({
      userId: "app_acct-42",
      userMetadata: { plan: "enterprise" },
    });
  });

  it("without session.user.id: stays anonymous, never uses the email, explains the fix once", async () => {
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    setSession(signedIn({ name: "Jane Smith", email: "jane@example.com" }));
    const view = render(<App />);
    setSession(signedIn({ name: "Jane Smith", email: "jane@example.com", image: null }));
    view.rerender(<App />);
    expect(await sentAfterBarrier()).toEqual(["GET /v1/conversations"]);
    // The one request went out as the anonymous visitor: the email was never used as a user id.
    expect(requests[0]?.headers).not.toHaveProperty("x-nametag-user-id");
    expect(text("status")).toBe("anonymous");
    const messages = consoleError.mock.calls.map((call) => String(call[0]));
    const explanations = messages.filter((message) => message.includes("user.id"));
    expect(explanations).toHaveLength(1);
    expect(explanations[0]).toContain("session({ session, token })");
  });

  it("with a bootstrap, the first render is identified and the server markup matches", () => {
    setSession(loading());
    const bootstrap: NametagBootstrap = {
      initialIdentity: { userId: "user_jane", userMetadata: { name: "Jane Smith" } },
    };
    const html = renderToString(<App bootstrap={bootstrap} />);
    expect(html).toContain("identified");
    expect(html).toContain("user_jane");
    expect(requests).toHaveLength(0);

    render(<App bootstrap={bootstrap} />);
    // Synchronously after the first client render: no anonymous frame.
    expect(text("status")).toBe("identified");
    expect(text("user")).toBe("user_jane");
  });

  it("with a bootstrap and the same session user, links exactly once", async () => {
    // The link is held at the backend: nothing it answers can start another.
    const release = holdLinks();
    setSession(loading());
    const bootstrap: NametagBootstrap = {
      initialIdentity: {
        userId: "user_jane",
        userMetadata: { name: "Jane Smith", email: "jane@example.com" },
      },
    };
    const view = render(<App bootstrap={bootstrap} />);
    setSession(signedIn(jane));
    view.rerender(<App bootstrap={bootstrap} />);
    await settledAs("identified", "user_jane");
    await waitFor(() => expect(linkRequests()).toHaveLength(1));
    expect(linkRequests()[0]?.body).toMatchObject({ userId: "user_jane" });
    release();
    expect(await sentAfterBarrier()).toEqual(["POST /v1/identity", "GET /v1/conversations"]);
  });
});
