import { act, renderHook, waitFor } from "@testing-library/react";
import { http } from "msw";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import type { UseConversationsResult } from "../index";
import { NametagProvider, useConversations } from "../index";
import { API_URL, JANE, setupBackend } from "./testBackend";

const backend = setupBackend();

function renderConversations() {
  const client = backend.createClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <NametagProvider client={client}>{children}</NametagProvider>
  );
  const hook = renderHook(() => useConversations(), { wrapper });
  const current = (): UseConversationsResult => hook.result.current;
  return { client, current };
}

const ids = (result: UseConversationsResult) =>
  result.conversations.map((conversation) => conversation.id);

describe("useConversations", () => {
  it("lists the visitor's conversation under the user after login, and nothing of it after logout", async () => {
    const { client, current } = renderConversations();
    await waitFor(() => expect(current().loading).toBe(false));
    expect(current().conversations).toEqual([]);

    const conversation = await act(() => current().create());
    expect(ids(current())).toEqual([conversation.id]);
    await act(() => current().send(conversation.id, "Where is my order?"));

    await act(() => client.identify(JANE));
    await waitFor(() => expect(current().loading).toBe(false));
    expect(ids(current())).toEqual([conversation.id]);
    // The server side agrees: the conversation now belongs to Jane's account.
    const jane = backend.backend.store.findUserByExternalId("user_jane");
    expect(backend.backend.store.conversationsOf(jane!.id).map(({ id }) => id)).toEqual([
      conversation.id,
    ]);

    act(() => client.resetUser());
    expect(current().conversations).toEqual([]);
    await waitFor(() => expect(current().loading).toBe(false));
    expect(current().conversations).toEqual([]);
    expect(current().error).toBeUndefined();
  });

  it("sends messages and reads them back, with the agent's personalised reply", async () => {
    const { client, current } = renderConversations();
    await act(() => client.identify(JANE));
    await waitFor(() => expect(current().loading).toBe(false));

    const conversation = await act(() => current().create());
    const { reply } = await act(() => current().send(conversation.id, "What plan am I on?"));
    expect(reply.text).toContain("Jane");
    expect(reply.text).not.toContain("demo-jane-auth-token");

    const messages = await current().messages(conversation.id);
    expect(messages.map((message) => message.role)).toEqual(["user", "agent"]);
    expect(messages[0]?.text).toBe("What plan am I on?");
  });

  it("refresh() lists again and exposes a backend failure as error", async () => {
    const { current } = renderConversations();
    await waitFor(() => expect(current().loading).toBe(false));
    await fetch("http://nametag.test/__mock/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: 403, count: 1, method: "GET", path: "/v1/conversations" }),
    });
    await act(() => current().refresh());
    expect(current().error?.status).toBe(403);
    await act(() => current().refresh());
    expect(current().error).toBeUndefined();
  });

  it("drops a late list answer that belongs to the user who just logged out", async () => {
    const { client, current } = renderConversations();
    await act(() => client.identify(JANE));
    await waitFor(() => expect(current().loading).toBe(false));
    const janes = await act(() => current().create());
    expect(ids(current())).toEqual([janes.id]);

    // Hold the next list answer (Jane's) until after the logout.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached = () => {};
    const sent = new Promise<void>((resolve) => (reached = resolve));
    backend.server.use(
      http.get(
        `${API_URL}/v1/conversations`,
        async ({ request }) => {
          reached();
          await held;
          return backend.backend.handle(request);
        },
        { once: true },
      ),
    );
    let refreshed: Promise<void> = Promise.resolve();
    act(() => {
      refreshed = current().refresh();
    });
    // Jane's list is on the wire (sent as Jane) when she logs out.
    await act(() => sent);
    act(() => client.resetUser());
    await waitFor(() => expect(current().loading).toBe(false));
    expect(current().conversations).toEqual([]);

    release();
    await act(() => refreshed);
    expect(current().conversations).toEqual([]);
  });
});
