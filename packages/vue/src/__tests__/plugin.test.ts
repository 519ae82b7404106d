import type { NametagClient } from "@nametag/core";
import { mount } from "@vue/test-utils";
import { describe, expect, it, vi } from "vitest";
import { createApp, defineComponent, h, nextTick, ref } from "vue";
import {
  createNametag,
  nametagKey,
  useConversations,
  useForm,
  useIdentity,
  useNametag,
  useTemplate,
  useVisitorId,
} from "../index";
import { API_URL, createTestClient, jane } from "./mockBackend";

/** Wraps a client so the test can count the subscriptions still open on it. */
function trackSubscriptions(client: NametagClient) {
  let open = 0;
  const subscribe = (listener: () => void) => {
    const unsubscribe = client.subscribe(listener);
    open++;
    let done = false;
    return () => {
      if (!done) open--;
      done = true;
      unsubscribe();
    };
  };
  const tracked = new Proxy(client, {
    get: (target, key) => (key === "subscribe" ? subscribe : Reflect.get(target, key)),
  });
  return { client: tracked, open: () => open };
}

const Child = defineComponent({
  setup() {
    const identity = useIdentity();
    const visitorId = useVisitorId();
    const greeting = useTemplate("Hello {{userMetadata.name}}!");
    const { schema } = useForm({ fields: [{ name: "name" }] });
    const { conversations } = useConversations();
    return () =>
      h(
        "p",
        [
          identity.value.status,
          visitorId.value,
          greeting.value,
          schema.value?.fields.length,
          conversations.value.length,
        ].join("|"),
      );
  },
});

describe("createNametag (the plugin)", () => {
  it("creates a client from options, exposes it as plugin.client and provides it", () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory", crossTab: false });
    let injected: NametagClient | undefined;
    const wrapper = mount(
      defineComponent({
        setup() {
          injected = useNametag();
          return () => h("p");
        },
      }),
      { global: { plugins: [nametag] } },
    );
    expect(injected).toBe(nametag.client);
    expect(wrapper.vm.$.appContext.provides[nametagKey as symbol]).toBe(nametag.client);
    expect(nametag.client.getVisitorId()).toMatch(/^v_\d+_[a-z0-9]+$/);
    wrapper.unmount();
  });

  it("uses the client it is given, mounts it on install and unmounts it with the app", () => {
    const client = createTestClient();
    const mountSpy = vi.spyOn(client, "mount");
    const unmountSpy = vi.spyOn(client, "unmount");
    const app = createApp({ render: () => h("p") });
    const nametag = createNametag({ client });
    expect(nametag.client).toBe(client);
    app.use(nametag);
    expect(mountSpy).toHaveBeenCalledTimes(1);
    app.mount(document.createElement("div"));
    expect(unmountSpy).not.toHaveBeenCalled();
    app.unmount();
    expect(unmountSpy).toHaveBeenCalledTimes(1);
  });

  it("falls back to wrapping app.unmount where app.onUnmount does not exist (Vue 3.3/3.4)", () => {
    const client = createTestClient();
    const unmountSpy = vi.spyOn(client, "unmount");
    const app = createApp({ render: () => h("p") });
    // Real in the Vue 3.3 run (test-vue33). The 3.5 run, the one that measures coverage, hides
    // app.onUnmount so that it walks the same path.
    if (process.env.EXPECTED_VUE_MINOR !== "3.3") {
      Object.defineProperty(app, "onUnmount", { value: undefined });
    }
    expect(app.onUnmount).toBeUndefined();
    const unmountApp = app.unmount;
    app.use(createNametag({ client }));
    expect(app.unmount).not.toBe(unmountApp);
    const container = document.createElement("div");
    app.mount(container);
    expect(container.innerHTML).toBe("<p></p>");
    expect(unmountSpy).not.toHaveBeenCalled();
    app.unmount();
    expect(container.innerHTML).toBe("");
    expect(unmountSpy).toHaveBeenCalledTimes(1);
  });

  it("leaves no listener on the client once the app is unmounted", async () => {
    const { client, open } = trackSubscriptions(createTestClient());
    const wrapper = mount(
      defineComponent({
        setup: () => () => h("div", [h(Child), h(Child)]),
      }),
      { global: { plugins: [createNametag({ client })] } },
    );
    expect(open()).toBe(2 * 5);
    await client.identify(jane);
    await vi.waitFor(() => expect(wrapper.text()).toContain("identified"));
    wrapper.unmount();
    expect(open()).toBe(0);
  });

  it("ends a component's subscriptions when only that component goes away", async () => {
    const { client, open } = trackSubscriptions(createTestClient());
    const shown = ref(true);
    const wrapper = mount(
      defineComponent({
        setup: () => () => h("div", shown.value ? [h(Child)] : []),
      }),
      { global: { plugins: [createNametag({ client })] } },
    );
    expect(open()).toBe(5);
    shown.value = false;
    await nextTick();
    expect(open()).toBe(0);
    wrapper.unmount();
  });
});
