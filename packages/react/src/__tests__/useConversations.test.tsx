import { act, renderHook, waitFor } from "@testing-library/react";
import { HttpResponse, http } from "msw";
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

    const { data: messages, nextCursor } = await current().messages(conversation.id);
    expect(nextCursor).toBeNull();
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

  it("loadMore() appends the next page until the backend says there is none", async () => {
    const all = Array.from({ length: 3 }, (_, index) => ({
      id: `c_${index}`,
      agent: "support",
      userId: "u_1",
      createdAt: "2024-01-01T00:00:00.000Z",
      updatedAt: "2024-01-01T00:00:00.000Z",
    }));
    const cursors: Array<string | null> = [];
    backend.server.use(
      http.get(`${API_URL}/v1/conversations`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get("cursor");
        cursors.push(cursor);
        const start = Number(cursor ?? 0);
        return HttpResponse.json({
          conversations: all.slice(start, start + 2),
          nextCursor: start + 2 < all.length ? String(start + 2) : null,
        });
      }),
    );
    const { current } = renderConversations();
    await waitFor(() => expect(current().loading).toBe(false));
    expect(ids(current())).toEqual(["c_0", "c_1"]);
    expect(current().hasMore).toBe(true);
    await act(() => current().loadMore());
    expect(ids(current())).toEqual(["c_0", "c_1", "c_2"]);
    expect(current().hasMore).toBe(false);
    await act(() => current().loadMore());
    expect(cursors).toEqual([null, "2"]);
  });
});
