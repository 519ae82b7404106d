import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createNametag } from "../createNametag";
import type { NametagError } from "../errors";
import { API_URL, JANE, OMAR, backend, linkRequests, server, until } from "./setup";

afterEach(() => {
  vi.unstubAllGlobals();
});

/** The browser is offline: every link fails at the network level until `online()` is called. */
function goOffline() {
  let offline = true;
  const attempts: string[] = [];
  server.use(
    http.post(`${API_URL}/v1/identity`, ({ request }) => {
      attempts.push(request.headers.get("idempotency-key") ?? "");
      return offline ? HttpResponse.error() : undefined;
    }),
  );
  const target = Object.assign(new EventTarget(), {
    location: { origin: "http://app.test" },
    postMessage: () => undefined,
  });
  vi.stubGlobal("window", target);
  return {
    attempts,
    online() {
      offline = false;
      target.dispatchEvent(new Event("online"));
    },
  };
}

describe("offline links", () => {
  it("a link that failed offline is delivered once, with the same Idempotency-Key, when the browser is back online", async () => {
    const network = goOffline();
    const errors: NametagError[] = [];
    const nametag = createNametag({
      apiUrl: API_URL,
      persistence: "memory",
      retry: false,
      onError: (error) => errors.push(error),
    });
    nametag.mount();
    await nametag.identify(JANE);
    expect(errors.map((error) => error.code)).toEqual(["NETWORK_ERROR"]);
    expect(nametag.getIdentity().status).toBe("identifying");
    expect(linkRequests()).toHaveLength(0);
    network.online();
    await until(
      () => nametag.getIdentity().status === "identified",
      "the pending link to be delivered",
    );
    network.online();
    // A backend call waits for any link the client owes or has in flight: after it, all is sent.
    await nametag.conversations.list();
    expect(linkRequests()).toHaveLength(1);
    expect(network.attempts).toHaveLength(2);
    expect(network.attempts[1]).toBe(network.attempts[0]);
    expect(linkRequests()[0]?.idempotencyKey).toBe(network.attempts[0]);
    nametag.destroy();
  });

  it("is delivered on the next mount too", async () => {
    const network = goOffline();
    const nametag = createNametag({
      apiUrl: API_URL,
      persistence: "memory",
      retry: false,
      onError: () => undefined,
    });
    await nametag.identify(JANE);
    server.resetHandlers();
    nametag.mount();
    await until(() => nametag.getIdentity().status === "identified", "delivery on mount");
    expect(linkRequests()).toHaveLength(1);
    expect(linkRequests()[0]?.idempotencyKey).toBe(network.attempts[0]);
    nametag.destroy();
  });

  it("is dropped as stale when the identity changed meanwhile", async () => {
    const network = goOffline();
    const nametag = createNametag({
      apiUrl: API_URL,
      persistence: "memory",
      retry: false,
      onError: () => undefined,
    });
    nametag.mount();
    await nametag.identify(JANE);
    nametag.resetUser();
    network.online();
    await nametag.conversations.list();
    expect(network.attempts).toHaveLength(1);
    expect(nametag.getIdentity().status).toBe("anonymous");
    await nametag.identify(OMAR);
    expect(backend.store.findUserByExternalId("user_jane")).toBeUndefined();
    nametag.destroy();
  });

  it("never leaves an unhandled rejection: identify resolves and the error goes to the error event", async () => {
    goOffline();
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory", retry: false });
    const seen: NametagError[] = [];
    nametag.on("error", (error) => seen.push(error));
    await expect(nametag.identify(JANE)).resolves.toBeUndefined();
    // Node reports an unhandled rejection once the microtasks of a macrotask have run.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", unhandled);
    expect(unhandled).not.toHaveBeenCalled();
    expect(seen[0]).toMatchObject({ name: "NametagError", code: "NETWORK_ERROR" });
  });
});
