import { describe, expect, it, vi } from "vitest";
import { createSSRApp, defineComponent, h } from "vue";
import { renderToString } from "vue/server-renderer";
import { createNametag, useAutoIdentify, useIdentity, useTemplate } from "../index";
import { createTestClient, jane } from "./mockBackend";

// The Nuxt pattern: the server knows the user and passes it as initialIdentity on both sides,
// so the first browser render matches the server HTML and auto-identify has nothing to change.
const App = defineComponent({
  setup() {
    useAutoIdentify(() => jane);
    const identity = useIdentity();
    const greeting = useTemplate("Hello {{userMetadata.name}}!");
    return () =>
      h("main", [
        h("p", identity.value.status),
        h("p", identity.value.userId ?? ""),
        h("p", greeting.value),
      ]);
  },
});

describe("hydration", () => {
  it("hydrates the server HTML of a signed-in user without a mismatch", async () => {
    const serverApp = createSSRApp(App).use(
      createNametag({ client: createTestClient({ initialIdentity: jane }) }),
    );
    const html = await renderToString(serverApp);
    expect(html).toContain("<p>Hello Jane Smith!</p>");

    const container = document.createElement("div");
    container.innerHTML = html;
    const warn = vi.spyOn(console, "warn");
    const error = vi.spyOn(console, "error");
    const client = createTestClient({ initialIdentity: jane });
    const app = createSSRApp(App).use(createNametag({ client }));
    app.mount(container);

    const messages = [...warn.mock.calls, ...error.mock.calls].map((args) => String(args[0]));
    expect(messages.filter((message) => /hydration/i.test(message))).toEqual([]);
    expect(container.textContent).toBe("identifieduser_janeHello Jane Smith!");
    expect(client.getIdentity()).toMatchObject({ status: "identified", userId: "user_jane" });
    app.unmount();
  });
});
