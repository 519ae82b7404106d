import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, defineStore, setActivePinia } from "pinia";
import { describe, expect, it, vi } from "vitest";
import { defineComponent, h } from "vue";
import { createNametag, useAutoIdentify, useIdentity } from "../index";
import { createTestClient, jane, links } from "./mockBackend";
import { janeUser, useUserStore } from "./userStore";

const App = defineComponent({
  setup() {
    const store = useUserStore();
    useAutoIdentify(() => store.nametagUser);
    const identity = useIdentity();
    return () => h("p", `${identity.value.status}:${identity.value.userId ?? ""}`);
  },
});

describe("an identify made before any component mounts", () => {
  it("is applied once: the store action's identify and the component's sync send one link", async () => {
    const nametag = createNametag({ client: createTestClient() });
    // The app's session store restores the user and tells Nametag, all before app.mount().
    const useSessionStore = defineStore("session", {
      actions: {
        restore() {
          useUserStore().login({ ...janeUser });
          return nametag.client.syncAuth(useUserStore().nametagUser);
        },
      },
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    const restoring = useSessionStore().restore();

    const wrapper = mount(App, { global: { plugins: [pinia, nametag] } });
    await restoring;
    await vi.waitFor(() => expect(wrapper.text()).toBe("identified:user_jane"));
    await flushPromises();
    expect(links()).toHaveLength(1);
    wrapper.unmount();
  });

  it("is applied once when the store already holds the user as the app mounts", async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useUserStore().login({ ...janeUser });

    const wrapper = mount(App, {
      global: { plugins: [pinia, createNametag({ client: createTestClient() })] },
    });
    await vi.waitFor(() => expect(wrapper.text()).toBe("identified:user_jane"));
    await flushPromises();
    expect(links()).toHaveLength(1);
    wrapper.unmount();
  });

  it("an identify() on the plugin's client before install is what the first render shows once settled", async () => {
    const nametag = createNametag({ client: createTestClient() });
    const identifying = nametag.client.identify(jane);
    const wrapper = mount(
      defineComponent({
        setup() {
          const identity = useIdentity();
          return () => h("p", identity.value.userId ?? "");
        },
      }),
      { global: { plugins: [nametag] } },
    );
    await identifying;
    await vi.waitFor(() => expect(wrapper.text()).toBe("user_jane"));
    expect(links()).toHaveLength(1);
    wrapper.unmount();
  });
});
