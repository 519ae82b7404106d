import { flushPromises, mount } from "@vue/test-utils";
import { createPinia } from "pinia";
import { describe, expect, it, vi } from "vitest";
import { createApp, defineComponent, h, ref } from "vue";
import { createNametag, useAutoIdentify, useIdentity } from "../index";
import { createTestClient, links, requests } from "./mockBackend";
import { janeUser, omarUser, useUserStore } from "./userStore";

// The app component of the seed's pattern: the auth store is the source, Nametag follows it.
const App = defineComponent({
  setup() {
    const store = useUserStore();
    useAutoIdentify(() => store.nametagUser);
    const identity = useIdentity();
    return () =>
      h(
        "p",
        { "data-testid": "status" },
        `${identity.value.status}:${identity.value.userId ?? ""}`,
      );
  },
});

function mountApp() {
  const client = createTestClient();
  const pinia = createPinia();
  const wrapper = mount(App, { global: { plugins: [pinia, createNametag({ client })] } });
  return { client, wrapper, store: useUserStore(pinia) };
}

describe("useAutoIdentify with a Pinia user store", () => {
  it("links on login, sends nothing for the same user, resets on logout and links the next user from a fresh visitor", async () => {
    const { client, wrapper, store } = mountApp();
    const resets = vi.fn();
    client.on("reset", resets);
    await flushPromises();
    expect(wrapper.text()).toBe("anonymous:");
    expect(links()).toHaveLength(0);

    store.login({ ...janeUser });
    await vi.waitFor(() => expect(wrapper.text()).toBe("identified:user_jane"));
    expect(links()).toHaveLength(1);
    expect(links()[0]?.userId).toBe("user_jane");

    // The same user again (a new object with equal content): syncAuth dedupes.
    store.login({ ...janeUser });
    await flushPromises();
    expect(wrapper.text()).toBe("identified:user_jane");
    expect(links()).toHaveLength(1);

    const janeVisitorId = links()[0]?.visitorId;
    const requestsBeforeLogout = requests.length;
    store.logout();
    await vi.waitFor(() => expect(wrapper.text()).toBe("anonymous:"));
    expect(resets).toHaveBeenCalledTimes(1);
    expect(client.getIdentity().visitorId).not.toBe(janeVisitorId);
    expect(links()).toHaveLength(1);
    expect(requests.length).toBe(requestsBeforeLogout);

    store.login({ ...omarUser });
    await vi.waitFor(() => expect(wrapper.text()).toBe("identified:user_omar"));
    expect(links()).toHaveLength(2);
    expect(links()[1]?.userId).toBe("user_omar");
    expect(links()[1]?.visitorId).toBe(client.getIdentity().visitorId);
    expect(links()[1]?.visitorId).not.toBe(janeVisitorId);
    wrapper.unmount();
  });

  it("sends nothing on a first anonymous load, and nothing while auth is still loading", async () => {
    const client = createTestClient();
    const Loading = defineComponent({
      setup() {
        useAutoIdentify(() => undefined);
        return () => h("p");
      },
    });
    const visitorId = client.getVisitorId();
    const wrapper = mount(Loading, { global: { plugins: [createNametag({ client })] } });
    await flushPromises();
    expect(requests).toHaveLength(0);
    expect(client.getIdentity().status).toBe("anonymous");
    expect(client.getVisitorId()).toBe(visitorId);
    wrapper.unmount();
  });

  it("accepts a ref or a computed as the source and follows it deeply", async () => {
    const client = createTestClient();
    const user = ref<{ userId: string; userMetadata: Record<string, unknown> } | null>(null);
    const Component = defineComponent({
      setup() {
        useAutoIdentify(user);
        return () => h("p");
      },
    });
    const wrapper = mount(Component, { global: { plugins: [createNametag({ client })] } });
    user.value = { userId: "user_jane", userMetadata: { plan: "pro" } };
    await vi.waitFor(() => expect(client.getIdentity().status).toBe("identified"));
    // A nested change reaches core too (deep watch): the identity now carries the new plan.
    user.value.userMetadata.plan = "enterprise";
    await vi.waitFor(() =>
      expect(client.getIdentity().userMetadata).toEqual({ plan: "enterprise" }),
    );
    wrapper.unmount();
  });

  it("hands core plain data when the user comes straight out of a reactive store", async () => {
    const client = createTestClient();
    const pinia = createPinia();
    const Component = defineComponent({
      setup() {
        const store = useUserStore();
        // A nested reactive object, not a copy: what a quick integration would write.
        useAutoIdentify(() =>
          store.user ? { userId: store.user.id, userMetadata: store.user } : null,
        );
        return () => h("p");
      },
    });
    const wrapper = mount(Component, { global: { plugins: [pinia, createNametag({ client })] } });
    useUserStore(pinia).login({ ...janeUser });
    await vi.waitFor(() => expect(client.getIdentity().status).toBe("identified"));
    expect(client.getAgentContext()).toEqual({
      userId: "user_jane",
      userMetadata: {
        id: "user_jane",
        name: "Jane Smith",
        email: "jane@example.com",
        plan: "enterprise",
      },
    });
    expect(links()).toHaveLength(1);
    wrapper.unmount();
  });

  it("routes a refused user to app.config.errorHandler and stays anonymous", async () => {
    const client = createTestClient();
    const errors: unknown[] = [];
    const Component = defineComponent({
      setup() {
        useAutoIdentify(() => ({ userId: "jane@example.com" }));
        return () => h("p");
      },
    });
    // Plain createApp: @vue/test-utils rethrows errors raised during mount.
    const app = createApp(Component).use(createNametag({ client }));
    app.config.errorHandler = (error) => void errors.push(error);
    app.mount(document.createElement("div"));
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({ name: "NametagError", code: "INVALID_USER_ID" });
    expect(client.getIdentity().status).toBe("anonymous");
    expect(links()).toHaveLength(0);
    app.unmount();
  });
});
