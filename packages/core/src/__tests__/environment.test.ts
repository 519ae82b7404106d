import { describe, expect, it, vi } from "vitest";
import { backend } from "./setup";

describe("environment", () => {
  it("importing and creating a client in Node (no window, document or storage) starts no timer and sends nothing", async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe("undefined");
    expect(typeof (globalThis as { document?: unknown }).document).toBe("undefined");
    expect(typeof (globalThis as { localStorage?: unknown }).localStorage).toBe("undefined");
    const setTimeoutSpy = vi.spyOn(globalThis, "setTimeout");
    const setIntervalSpy = vi.spyOn(globalThis, "setInterval");
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const core = await import("../index");
    const nametag = core.createNametag({ apiUrl: "/api/nametag" });
    nametag.getIdentity();
    nametag.getVisitorId();
    nametag.render("Hello {{userMetadata.name}}!");
    nametag.subscribe(() => undefined);
    await nametag.syncAuth(undefined);
    await nametag.syncAuth(null);
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    expect(setIntervalSpy).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(backend.requests()).toEqual([]);
    nametag.mount();
    expect(fetchSpy).not.toHaveBeenCalled();
    nametag.destroy();
  });

  it("a relative apiUrl on a server fails with a message that says to pass an absolute URL", async () => {
    const { createNametag } = await import("../index");
    const nametag = createNametag({ apiUrl: "/api/nametag", persistence: "memory" });
    await expect(nametag.conversations.list()).rejects.toMatchObject({
      code: "INVALID_OPTIONS",
      message: expect.stringMatching(/absolute URL/),
    });
  });
});
