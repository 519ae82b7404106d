import { inspect } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { Nametag, NametagError } from "../index";

const apiUrl = "http://127.0.0.1:9";
const API_KEY = "sk_test_very_secret";

/** A fetch that records calls; the tests assert it was never called. */
function recordingFetch() {
  return vi.fn<typeof fetch>(async () =>
    Response.json({ error: { code: "INTERNAL", message: "unexpected" } }, { status: 500 }),
  );
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("new Nametag()", () => {
  it("reads the API key from NAMETAG_API_KEY when none is passed", async () => {
    vi.stubEnv("NAMETAG_API_KEY", "key_from_env");
    const fetch = vi.fn<typeof globalThis.fetch>(async () => Response.json({ attributes: [] }));
    await new Nametag({ apiUrl, fetch }).listAttributes();
    const headers = new Headers(fetch.mock.calls[0]![1]!.headers);
    expect(headers.get("authorization")).toBe("Bearer key_from_env");
  });

  it("throws MISSING_API_KEY with a sentence naming what to set", () => {
    vi.stubEnv("NAMETAG_API_KEY", "");
    const error = thrown(() => new Nametag({ apiUrl }));
    expect(error).toBeInstanceOf(NametagError);
    expect(error).toMatchObject({ code: "MISSING_API_KEY" });
    expect((error as Error).message).toMatch(/NAMETAG_API_KEY/);
    expect((error as Error).message).toMatch(/apiKey/);
  });

  it("survives a missing process global (edge runtimes)", () => {
    vi.stubGlobal("process", undefined);
    const error = thrown(() => new Nametag({ apiUrl }));
    vi.unstubAllGlobals();
    expect(error).toMatchObject({ code: "MISSING_API_KEY" });
  });

  it.each([["/api/nametag"], ["api.nametag.example"], [""], [undefined]])(
    "refuses apiUrl %j",
    (bad) => {
      expect(thrown(() => new Nametag({ apiUrl: bad as string, apiKey: API_KEY }))).toMatchObject({
        code: "INVALID_OPTIONS",
      });
    },
  );

  it("refuses an API key with whitespace (a pasted newline) instead of sending a broken header", () => {
    expect(thrown(() => new Nametag({ apiUrl, apiKey: `${API_KEY}\n` }))).toMatchObject({
      code: "INVALID_OPTIONS",
    });
  });

  it("refuses to run in a browser unless dangerouslyAllowBrowser is set", () => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("document", {});
    expect(thrown(() => new Nametag({ apiUrl, apiKey: API_KEY }))).toMatchObject({
      code: "INVALID_OPTIONS",
    });
    expect(new Nametag({ apiUrl, apiKey: API_KEY, dangerouslyAllowBrowser: true })).toBeInstanceOf(
      Nametag,
    );
  });

  it("keeps the API key out of JSON and console output, also on scoped clients", () => {
    const nametag = new Nametag({ apiUrl, apiKey: API_KEY });
    for (const client of [nametag, nametag.as("user_token_123")]) {
      expect(JSON.stringify(client)).not.toContain(API_KEY);
      expect(inspect(client, { showHidden: true, depth: 5 })).not.toContain(API_KEY);
      expect(inspect(client, { showHidden: true, depth: 5 })).not.toContain("user_token_123");
    }
  });
});

describe("input validation happens before any request", () => {
  const fetch = recordingFetch();
  const nametag = new Nametag({ apiUrl, apiKey: API_KEY, fetch });
  const badIds = ["jane@example.com", "a b", "", "a".repeat(129), "undefined", "..", "../users"];

  it.each(badIds)("INVALID_USER_ID for the id %j", async (bad) => {
    const calls = [
      () => nametag.createUser({ externalId: bad }),
      () => nametag.getUser({ id: bad }),
      () => nametag.getUser({ externalId: bad }),
      () => nametag.updateUser({ id: bad }),
      () => nametag.updateUser({ id: "usr_1", externalId: bad }),
      () => nametag.deleteUser({ id: bad }),
      () => nametag.createConversation({ agent: "support", userId: bad }),
      () => nametag.listConversations({ userId: bad }),
      () => nametag.listConversations({ externalId: bad }),
      () => nametag.getContact({ externalId: bad }),
      () => nametag.upsertContacts([{ external_id: "ok_1" }, { external_id: bad }]),
    ];
    for (const call of calls) {
      await expect(call()).rejects.toMatchObject({ name: "NametagError", code: "INVALID_USER_ID" });
    }
    expect(fetch).not.toHaveBeenCalled();
  });

  it("INVALID_ARGUMENT for missing or malformed arguments", async () => {
    const calls = [
      () => nametag.getUser({} as never),
      () => nametag.getUser({ id: "usr_1", externalId: "user_jane" } as never),
      () => nametag.getUser(undefined as never),
      () => nametag.createConversation({ agent: "" }),
      () => nametag.getConversation({ id: ".." }),
      () => nametag.getConversation({ id: "" }),
      () => nametag.listMessages({ conversationId: "." }),
      () => nametag.sendMessage({ conversationId: "conv_1", text: "  " }),
      () => nametag.defineAttribute({ name: "plan", type: "string" as never }),
      () => nametag.defineAttribute({ name: "", type: "text" }),
      () => nametag.upsertContacts("user_jane" as never),
      () =>
        nametag.upsertContacts([{ external_id: "x", custom_attributes: { a: { b: 1 } as never } }]),
      () => nametag.upsertContacts([{ external_id: "x", email: 42 as never }]),
      () => nametag.upsertContacts([null as never]),
      () => nametag.upsertContacts([{ external_id: "x", custom_attributes: [] as never }]),
      () => nametag.getUser({ token: "" }),
    ];
    for (const call of calls) {
      await expect(call()).rejects.toMatchObject({
        name: "NametagError",
        code: "INVALID_ARGUMENT",
      });
    }
    // as() returns a client, not a promise, so it throws at once.
    for (const bad of ["", { token: "a\r\nX-Injected: 1" }, { id: "usr_1" }]) {
      expect(thrown(() => nametag.as(bad as never))).toMatchObject({ code: "INVALID_ARGUMENT" });
    }
    expect(fetch).not.toHaveBeenCalled();
  });

  it("an empty contact list sends nothing and returns an empty result", async () => {
    await expect(nametag.upsertContacts([])).resolves.toEqual({
      created: 0,
      updated: 0,
      contacts: [],
    });
    expect(fetch).not.toHaveBeenCalled();
  });
});
