// @vitest-environment node
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import {
  NametagProvider,
  useConversations,
  useForm,
  useIdentity,
  useTemplate,
  useVisitorId,
} from "../index";
import { API_URL, JANE, setupBackend } from "./testBackend";

const backend = setupBackend();

function Everything() {
  const identity = useIdentity();
  const userId = useIdentity((s) => s.userId);
  const visitorId = useVisitorId();
  const greeting = useTemplate("Hello {{userMetadata.name}}!");
  const form = useForm("support");
  const { conversations, loading } = useConversations();
  return (
    <main>
      <p>{identity.status}</p>
      <p>{userId}</p>
      <p>{visitorId ? "has visitor" : "no visitor"}</p>
      <p>{greeting}</p>
      <p>{form.loading ? "form loading" : "form ready"}</p>
      <p>{loading ? "list loading" : `${conversations.length} conversations`}</p>
    </main>
  );
}

describe("server rendering", () => {
  it("renders the provider and every hook without a window and sends no request", async () => {
    expect(typeof window).toBe("undefined");
    const html = renderToString(
      <NametagProvider options={{ apiUrl: API_URL, initialIdentity: JANE }}>
        <Everything />
      </NametagProvider>,
    );
    expect(html).toContain("identified");
    expect(html).toContain("user_jane");
    expect(html).toContain("Hello Jane Smith!");
    expect(html).toContain("form loading");
    expect(html).toContain("list loading");
    expect(html).not.toContain("demo-jane-auth-token");
    // Give anything a render might have scheduled the chance to send.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(backend.requests).toEqual([]);
  });
});
