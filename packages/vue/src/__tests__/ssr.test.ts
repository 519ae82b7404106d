// @vitest-environment node
import { describe, expect, it, vi } from "vitest";
import { createSSRApp, defineComponent, h } from "vue";
import { renderToString } from "vue/server-renderer";
import {
  createNametag,
  useAutoIdentify,
  useConversations,
  useForm,
  useIdentity,
  useTemplate,
  useVisitorId,
} from "../index";
import { API_URL, requests } from "./mockBackend";

const App = defineComponent({
  setup() {
    useAutoIdentify(() => null);
    const identity = useIdentity();
    const visitorId = useVisitorId();
    const greeting = useTemplate("Hello {{userMetadata.name}}!");
    const { conversations } = useConversations();
    useForm({ fields: [{ name: "name" }] });
    return () =>
      h("main", [
        h("p", { id: "status" }, identity.value.status),
        h("p", { id: "visitor" }, visitorId.value),
        h("p", { id: "greeting" }, greeting.value),
        h(
          "ul",
          conversations.value.map((conversation) => h("li", conversation.id)),
        ),
      ]);
  },
});

describe("server-side rendering", () => {
  it("renders the anonymous state without a request, a mount or a window", async () => {
    expect(typeof window).toBe("undefined");
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    const mountSpy = vi.spyOn(nametag.client, "mount");
    const app = createSSRApp(App).use(nametag);
    const html = await renderToString(app);

    expect(html).toContain('<p id="status">anonymous</p>');
    expect(html).toContain(`<p id="visitor">${nametag.client.getVisitorId()}</p>`);
    expect(html).toContain('<p id="greeting">Hello !</p>');
    expect(html).toContain("<ul></ul>");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(requests).toHaveLength(0);
    expect(mountSpy).not.toHaveBeenCalled();
    expect(typeof window).toBe("undefined");
  });

  it("renders the identity the server already knows (initialIdentity) without a request", async () => {
    const nametag = createNametag({
      apiUrl: API_URL,
      persistence: "memory",
      initialIdentity: {
        userId: "user_jane",
        userMetadata: { name: "Jane Smith", authToken: "demo-jane-auth-token-7f3a" },
      },
    });
    const html = await renderToString(createSSRApp(App).use(nametag));
    expect(html).toContain('<p id="greeting">Hello Jane Smith!</p>');
    expect(html).not.toContain("demo-jane-auth-token-7f3a");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(requests).toHaveLength(0);
  });
});
