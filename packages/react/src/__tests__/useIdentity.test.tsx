import type { Identity } from "@nametag/core";
import { act, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { NametagProvider, useIdentity, useTemplate, useVisitorId } from "../index";
import { JANE, OMAR, setupBackend } from "./testBackend";

const backend = setupBackend();

const selectUserId = (identity: Identity) => identity.userId;

describe("useIdentity", () => {
  it("with a selector, re-renders once per userId change and never for metadata alone", async () => {
    const client = backend.createClient();
    let userIdRenders = 0;
    function UserId() {
      userIdRenders++;
      return <p data-testid="user-id">{useIdentity(selectUserId) ?? "none"}</p>;
    }
    function Plan() {
      return <p data-testid="plan">{String(useIdentity().userMetadata.plan ?? "none")}</p>;
    }
    render(
      <NametagProvider client={client}>
        <UserId />
        <Plan />
      </NametagProvider>,
    );
    expect(userIdRenders).toBe(1);

    await act(() => client.identify(JANE));
    expect(screen.getByTestId("user-id").textContent).toBe("user_jane");
    expect(userIdRenders).toBe(2);

    await act(() => client.updateMetadata({ plan: "pro" }));
    await waitFor(() => expect(screen.getByTestId("plan").textContent).toBe("pro"));
    expect(userIdRenders).toBe(2);

    await act(() => client.identify(OMAR));
    expect(screen.getByTestId("user-id").textContent).toBe("user_omar");
    expect(userIdRenders).toBe(3);

    act(() => client.resetUser());
    expect(screen.getByTestId("user-id").textContent).toBe("none");
    expect(userIdRenders).toBe(4);
  });

  it("accepts a selector that builds a new object on every call", async () => {
    const client = backend.createClient();
    function Summary() {
      const summary = useIdentity((identity) => ({
        who: identity.userId ?? "anonymous",
        status: identity.status,
      }));
      return <p data-testid="summary">{`${summary.who} ${summary.status}`}</p>;
    }
    render(
      <NametagProvider client={client}>
        <Summary />
      </NametagProvider>,
    );
    expect(screen.getByTestId("summary").textContent).toBe("anonymous anonymous");
    await act(() => client.identify(JANE));
    expect(screen.getByTestId("summary").textContent).toBe("user_jane identified");
  });

  it("without a selector returns core's snapshot itself, sanitized", async () => {
    const client = backend.createClient();
    let seen: Identity | undefined;
    function Probe() {
      seen = useIdentity();
      return null;
    }
    render(
      <NametagProvider client={client}>
        <Probe />
      </NametagProvider>,
    );
    await act(() => client.identify(JANE));
    expect(seen).toBe(client.getIdentity());
    expect(seen?.userMetadata).not.toHaveProperty("authToken");
  });
});

describe("useVisitorId", () => {
  it("shows the visitor id and the new one after a reset", async () => {
    const client = backend.createClient();
    function VisitorId() {
      return <p data-testid="visitor-id">{useVisitorId()}</p>;
    }
    render(
      <NametagProvider client={client}>
        <VisitorId />
      </NametagProvider>,
    );
    const first = screen.getByTestId("visitor-id").textContent;
    expect(first).toBe(client.getVisitorId());
    expect(first).toMatch(/^v_\d+_[a-z0-9]+$/);
    await act(() => client.identify(JANE));
    act(() => client.resetUser());
    expect(screen.getByTestId("visitor-id").textContent).toBe(client.getVisitorId());
    expect(screen.getByTestId("visitor-id").textContent).not.toBe(first);
  });
});

describe("useTemplate", () => {
  it("renders from the sanitized identity and follows login and logout", async () => {
    const client = backend.createClient();
    function Greeting() {
      return (
        <p data-testid="greeting">
          {useTemplate("Hello {{userMetadata.name}}! [{{userMetadata.authToken}}]")}
        </p>
      );
    }
    render(
      <NametagProvider client={client}>
        <Greeting />
      </NametagProvider>,
    );
    expect(screen.getByTestId("greeting").textContent).toBe("Hello ! []");
    await act(() => client.identify(JANE));
    expect(screen.getByTestId("greeting").textContent).toBe("Hello Jane Smith! []");
    act(() => client.resetUser());
    expect(screen.getByTestId("greeting").textContent).toBe("Hello ! []");
  });
});
