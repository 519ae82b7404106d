import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultMapSession } from "../mapSession";

afterEach(() => vi.resetModules());

describe("defaultMapSession", () => {
  it("takes session.user.id and name, email, image as metadata", () => {
    expect(
      defaultMapSession({
        user: { id: "user_jane", name: "Jane Smith", email: "jane@example.com", image: null },
      }),
    ).toEqual({
      userId: "user_jane",
      userMetadata: { name: "Jane Smith", email: "jane@example.com" },
    });
  });

  it("returns null without a user", () => {
    expect(defaultMapSession({})).toBeNull();
    expect(defaultMapSession({ user: null })).toBeNull();
  });

  it("never falls back to the email, and explains in development how to expose the id", async () => {
    const { defaultMapSession: fresh } = await import("../mapSession");
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(fresh({ user: { email: "jane@example.com", name: "Jane" } })).toBeNull();
    expect(fresh({ user: { id: "", email: "jane@example.com" } })).toBeNull();
    expect(consoleError).toHaveBeenCalledTimes(1);
    const [error] = consoleError.mock.calls[0] ?? [];
    expect(error).toMatchObject({ name: "NametagError", code: "SESSION_USER_ID_MISSING" });
    expect(String((error as Error).message)).toContain("token.id = user.id");
  });

  it("says nothing in production", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const { defaultMapSession: fresh } = await import("../mapSession");
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(fresh({ user: { email: "jane@example.com" } })).toBeNull();
    expect(consoleError).not.toHaveBeenCalled();
  });
});
