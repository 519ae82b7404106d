import { mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import { createApp, defineComponent, h } from "vue";
import {
  createNametag,
  useAutoIdentify,
  useConversations,
  useForm,
  useIdentity,
  useNametag,
  useTemplate,
  useVisitorId,
} from "../index";
import { createTestClient } from "./mockBackend";

const composables = {
  useNametag: () => useNametag(),
  useIdentity: () => useIdentity(),
  useVisitorId: () => useVisitorId(),
  useAutoIdentify: () => useAutoIdentify(() => undefined),
  useTemplate: () => useTemplate("Hi"),
  useForm: () => useForm("support"),
  useConversations: () => useConversations(),
};

describe.each(Object.entries(composables))("%s() misuse", (name, call) => {
  it("outside setup() throws a NametagError that says where to call it", () => {
    expect(call).toThrowError(
      expect.objectContaining({ name: "NametagError", code: "VUE_OUTSIDE_SETUP" }),
    );
    expect(call).toThrowError(`${name}() must be called inside setup()`);
  });

  it("without the plugin throws a NametagError that names app.use(createNametag(...))", () => {
    let thrown: unknown;
    mount(
      defineComponent({
        setup() {
          try {
            call();
          } catch (error) {
            thrown = error;
          }
          return () => h("p");
        },
      }),
    );
    expect(thrown).toMatchObject({ name: "NametagError", code: "VUE_PLUGIN_MISSING" });
    expect((thrown as Error).message).toBe(
      `${name}() needs app.use(createNametag(...)) before the app mounts.`,
    );
  });
});

describe("useNametag()", () => {
  it("works in app.runWithContext(), e.g. from a router guard", () => {
    const client = createTestClient();
    const app = createApp({ render: () => h("p") }).use(createNametag({ client }));
    expect(app.runWithContext(() => useNametag())).toBe(client);
    client.destroy();
  });
});
