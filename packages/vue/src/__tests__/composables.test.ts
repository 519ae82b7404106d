import type { FormSchema } from "@nametag/core";
import { flushPromises, mount } from "@vue/test-utils";
import { describe, expect, it, vi } from "vitest";
import { defineComponent, h, nextTick, ref } from "vue";
import {
  createNametag,
  useConversations,
  useForm,
  useIdentity,
  useTemplate,
  useVisitorId,
} from "../index";
import { http, HttpResponse } from "msw";
import { API_URL, createTestClient, jane, omar, requests, server } from "./mockBackend";

function mountWith<T>(use: () => T, render: (state: T) => string) {
  const client = createTestClient();
  let state!: T;
  const wrapper = mount(
    defineComponent({
      setup() {
        state = use();
        return () => h("p", render(state));
      },
    }),
    { global: { plugins: [createNametag({ client })] } },
  );
  return { client, wrapper, state };
}

describe("useIdentity()", () => {
  it("is a readonly ref holding core's snapshot, updated on every identity change", async () => {
    const { client, wrapper, state } = mountWith(
      useIdentity,
      (identity) => `${identity.value.status}:${identity.value.userId ?? ""}`,
    );
    expect(state.value).toBe(client.getIdentity());
    expect(wrapper.text()).toBe("anonymous:");
    await client.identify(jane);
    await nextTick();
    expect(wrapper.text()).toBe("identified:user_jane");
    expect(state.value).toBe(client.getIdentity());
    // Sanitized: the auth token never reaches the identity, so never the DOM.
    expect(state.value.userMetadata).not.toHaveProperty("authToken");
    expect(wrapper.html()).not.toContain("demo-jane-auth-token-7f3a");

    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    (state as { value: unknown }).value = null;
    expect(state.value).toBe(client.getIdentity());
    expect(warn).toHaveBeenCalled();
    wrapper.unmount();
  });
});

describe("useVisitorId()", () => {
  it("is the visitor id, and rotates when the user is reset", async () => {
    const { client, wrapper, state } = mountWith(useVisitorId, (visitorId) => visitorId.value);
    const first = client.getVisitorId();
    expect(wrapper.text()).toBe(first);
    await client.identify(jane);
    client.resetUser();
    await nextTick();
    expect(state.value).not.toBe(first);
    expect(wrapper.text()).toBe(client.getVisitorId());
    wrapper.unmount();
  });
});

describe("useTemplate()", () => {
  it("renders from the sanitized identity and follows the identity and the template", async () => {
    const template = ref("Hello {{userMetadata.name}}! How can I help you today?");
    const { client, wrapper } = mountWith(
      () => useTemplate(template),
      (text) => text.value,
    );
    expect(wrapper.text()).toBe("Hello ! How can I help you today?");
    await client.identify(jane);
    await nextTick();
    expect(wrapper.text()).toBe("Hello Jane Smith! How can I help you today?");
    template.value = "{{userId}} / {{userMetadata.authToken}}";
    await nextTick();
    expect(wrapper.text()).toBe("user_jane /");
    wrapper.unmount();
  });

  it("accepts a getter", async () => {
    const { client, wrapper } = mountWith(
      () => useTemplate(() => "Plan: {{userMetadata.plan}}"),
      (text) => text.value,
    );
    await client.identify(omar);
    await nextTick();
    expect(wrapper.text()).toBe("Plan: pro");
    wrapper.unmount();
  });
});

describe("useForm()", () => {
  const schema: FormSchema = {
    fields: [{ name: "name" }, { name: "email" }, { name: "plan" }, { name: "user_email" }],
  };
  const values = (form: FormSchema | undefined) =>
    Object.fromEntries((form?.fields ?? []).map((field) => [field.name, field.defaultValue ?? ""]));

  it("pre-fills fields by exact name and resolves again after identify", async () => {
    const { client, wrapper, state } = mountWith(
      () => useForm("support"),
      (form) => JSON.stringify(values(form.schema.value)),
    );
    client.forms.register("support", () => schema);
    expect(state.loading.value).toBe(true);
    await client.identify(jane);
    await vi.waitFor(() => expect(state.loading.value).toBe(false));
    expect(values(state.schema.value)).toEqual({
      name: "Jane Smith",
      email: "jane@example.com",
      plan: "enterprise",
      user_email: "",
    });
    expect(state.error.value).toBeUndefined();
    expect(wrapper.text()).toContain("jane@example.com");
    wrapper.unmount();
  });

  it("resolves the other form when the form's name changes, from empty", async () => {
    const name = ref("support");
    const { client, wrapper, state } = mountWith(
      () => useForm(name),
      () => "",
    );
    client.forms.register("support", () => schema);
    client.forms.register("billing", () => ({ fields: [{ name: "plan" }] }));
    await client.identify(jane);
    await vi.waitFor(() => expect(state.schema.value?.fields).toHaveLength(4));

    name.value = "billing";
    await nextTick();
    expect(state.schema.value).toBeUndefined();
    await vi.waitFor(() => expect(values(state.schema.value)).toEqual({ plan: "enterprise" }));
    wrapper.unmount();
  });

  it("reports an unknown form as an error", async () => {
    const { wrapper, state } = mountWith(
      () => useForm(() => "no-such-form"),
      () => "",
    );
    await vi.waitFor(() => expect(state.loading.value).toBe(false));
    expect(state.error.value).toMatchObject({ name: "NametagError", code: "FORM_NOT_FOUND" });
    expect(state.schema.value).toBeUndefined();
    wrapper.unmount();
  });
});

describe("useConversations()", () => {
  it("lists after mount, creates and sends, and shows the visitor's conversations as the user's after login", async () => {
    const { client, wrapper, state } = mountWith(useConversations, (list) =>
      String(list.conversations.value.length),
    );
    await vi.waitFor(() => expect(state.loading.value).toBe(false));
    expect(wrapper.text()).toBe("0");
    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      "GET /v1/conversations",
    ]);

    const conversation = await state.create();
    expect(wrapper.text()).toBe("1");
    const { reply } = await state.send(conversation.id, "Hello");
    expect(reply.role).toBe("agent");
    expect((await state.messages(conversation.id)).data.map((message) => message.role)).toEqual([
      "user",
      "agent",
    ]);

    await client.identify(jane);
    await vi.waitFor(() =>
      expect(requests.at(-1)).toMatchObject({
        method: "GET",
        path: "/v1/conversations",
        userId: "user_jane",
      }),
    );
    await flushPromises();
    expect(state.conversations.value.map((item) => item.id)).toEqual([conversation.id]);

    client.resetUser();
    await vi.waitFor(() => expect(wrapper.text()).toBe("0"));
    wrapper.unmount();
  });

  it("loads the next page on loadMore() and says when there is none left", async () => {
    const conversation = (id: string) => ({
      id,
      agent: "support",
      userId: "usr_visitor",
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: "2025-01-01T00:00:00.000Z",
    });
    const cursors: (string | null)[] = [];
    server.use(
      http.get(`${API_URL}/v1/conversations`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get("cursor");
        cursors.push(cursor);
        return HttpResponse.json(
          cursor === "page2"
            ? { conversations: [conversation("c_2")], nextCursor: null }
            : { conversations: [conversation("c_1")], nextCursor: "page2" },
        );
      }),
    );
    const { wrapper, state } = mountWith(useConversations, (list) =>
      list.conversations.value.map((item) => item.id).join(","),
    );
    await vi.waitFor(() => expect(wrapper.text()).toBe("c_1"));
    expect(state.hasMore.value).toBe(true);

    await state.loadMore();
    await nextTick();
    expect(wrapper.text()).toBe("c_1,c_2");
    expect(state.hasMore.value).toBe(false);
    await state.loadMore();
    expect(cursors).toEqual([null, "page2"]);
    wrapper.unmount();
  });

  it("reports a failed list as error, and clears it once a refresh succeeds", async () => {
    server.use(
      http.get(`${API_URL}/v1/conversations`, () =>
        HttpResponse.json(
          { error: { code: "UNAVAILABLE", message: "Try again later." } },
          { status: 503 },
        ),
      ),
    );
    const { wrapper, state } = mountWith(useConversations, (list) =>
      String(list.conversations.value.length),
    );
    await vi.waitFor(() => expect(state.loading.value).toBe(false));
    expect(state.error.value).toMatchObject({
      name: "NametagError",
      code: "UNAVAILABLE",
      status: 503,
    });

    server.resetHandlers();
    await state.refresh();
    expect(state.error.value).toBeUndefined();
    expect(state.conversations.value).toEqual([]);
    wrapper.unmount();
  });

  it("drops a list that answers after a newer one", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stale = {
      id: "c_stale",
      agent: "support",
      userId: "u_old",
      createdAt: "2024-01-01T00:00:00.000Z",
      updatedAt: "2024-01-01T00:00:00.000Z",
    };
    server.use(
      http.get(
        `${API_URL}/v1/conversations`,
        async () => {
          await gate;
          return HttpResponse.json({ conversations: [stale] });
        },
        { once: true },
      ),
    );
    let answered = 0;
    server.events.on("response:mocked", () => answered++);
    // The mount's list hangs on the gate. A create (a write: reads after it start afresh) lists
    // again, and that newer list answers first, from the backend.
    const { wrapper, state } = mountWith(useConversations, (list) =>
      list.conversations.value.map((item) => item.id).join(","),
    );
    await flushPromises();
    const created = await state.create();
    expect(state.loading.value).toBe(false);
    release();
    await vi.waitFor(() => expect(answered).toBe(3));
    await flushPromises();
    await flushPromises();
    expect(state.conversations.value.map((item) => item.id)).toEqual([created.id]);
    expect(state.loading.value).toBe(false);
    expect(wrapper.text()).toBe(created.id);
    wrapper.unmount();
  });
});
