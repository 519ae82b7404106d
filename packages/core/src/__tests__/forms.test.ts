import { describe, expect, it, vi } from "vitest";
import { createNametag } from "../createNametag";
import type { NametagError } from "../errors";
import { createFormRegistry, prefillForm } from "../forms";
import type { FormSchema } from "../types";
import { API_URL, JANE } from "./setup";

const SUPPORT_FORM: FormSchema = {
  fields: [
    { name: "name", label: "Name" },
    { name: "email", label: "Email", type: "email" },
    { name: "plan", label: "Plan" },
    { name: "user_email", label: "Other email" },
    { name: "authToken", label: "Token" },
  ],
};

describe("prefillForm", () => {
  it("fills a field only when its name equals a metadata key exactly, never a sensitive one", () => {
    const filled = prefillForm(SUPPORT_FORM, JANE.userMetadata);
    expect(filled.fields.map((field) => [field.name, field.defaultValue])).toEqual([
      ["name", "Jane Smith"],
      ["email", "jane@example.com"],
      ["plan", "enterprise"],
      ["user_email", undefined],
      ["authToken", undefined],
    ]);
    expect(SUPPORT_FORM.fields[0]?.defaultValue).toBeUndefined();
  });

  it("keeps a default the schema sets, ignores inherited keys and honours sensitiveKeys", () => {
    const schema = {
      fields: [
        { name: "email", defaultValue: "set@x.test" },
        { name: "constructor" },
        { name: "phone" },
      ],
    };
    const filled = prefillForm(
      schema,
      { email: "jane@example.com", phone: "+1" },
      { sensitiveKeys: ["phone"] },
    );
    expect(filled.fields.map((field) => field.defaultValue)).toEqual([
      "set@x.test",
      undefined,
      undefined,
    ]);
    expect(
      prefillForm({ fields: [{ name: "email" }] }, null).fields[0]?.defaultValue,
    ).toBeUndefined();
  });

  it("skips null and undefined metadata values, keeps a null default, and copies every field", () => {
    const schema = {
      title: "Support",
      fields: [
        { name: "nothing" },
        { name: "missing" },
        { name: "plan", defaultValue: null },
        { name: 5 as never },
        { name: "zero" },
      ],
    };
    const filled = prefillForm(schema, {
      nothing: null,
      missing: undefined,
      plan: "pro",
      5: "five",
      zero: 0,
    });
    expect(filled).toEqual({
      title: "Support",
      fields: [
        { name: "nothing" },
        { name: "missing" },
        { name: "plan", defaultValue: null },
        { name: 5 },
        { name: "zero", defaultValue: 0 },
      ],
    });
    expect(filled.fields.every((field, index) => field !== schema.fields[index])).toBe(true);
  });

  it("refuses a schema without fields", () => {
    expect(() => prefillForm({} as never, {})).toThrow(/fields array/);
  });
});

describe("prefillForm: secrets never reach a form", () => {
  const metadata = {
    name: "Jane",
    profile: { displayName: "JJ", apiKey: "k_123" },
    billing: [{ plan: "pro", cardToken: "tok_456" }],
    note: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEyMyJ9.c2lnbmF0dXJlLXZhbHVl",
    "profile.apiKey": "k_789",
    "billing[0].cardToken": "tok_000",
    sessionId: "s_1",
  };
  const schema: FormSchema = {
    fields: Object.keys(metadata).map((name) => ({ name })),
  };

  it("fills from the sanitized metadata: nested secrets, secret-shaped values and look-alike keys stay out", () => {
    const filled = prefillForm(schema, metadata);
    expect(filled.fields).toEqual([
      { name: "name", defaultValue: "Jane" },
      { name: "profile", defaultValue: { displayName: "JJ" } },
      { name: "billing", defaultValue: [{ plan: "pro" }] },
      { name: "note" },
      { name: "profile.apiKey" },
      { name: "billing[0].cardToken" },
      { name: "sessionId" },
    ]);
    for (const secret of ["k_123", "tok_456", "eyJhbGci", "k_789", "tok_000", "s_1"]) {
      expect(JSON.stringify(filled)).not.toContain(secret);
    }
  });

  it("forms.resolve pre-fills a provider's fields the same way, and honours allowKeys", async () => {
    const registry = createFormRegistry();
    registry.register("profile", () => schema);
    const user = { userId: "u1", userMetadata: metadata };
    const resolved = await registry.resolve("profile", {}, user);
    expect(
      resolved.fields.filter((field) => "defaultValue" in field).map((field) => field.name),
    ).toEqual(["name", "profile", "billing"]);
    const allowed = await registry.resolve("profile", {}, user, { allowKeys: ["sessionId"] });
    expect(allowed.fields.find((field) => field.name === "sessionId")).toEqual({
      name: "sessionId",
      defaultValue: "s_1",
    });
  });
});

describe("forms registry", () => {
  it("calls async providers with (args, user) holding the FULL identity, then pre-fills", async () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    await nametag.identify(JANE);
    const provider = vi.fn(
      async (
        args: Record<string, unknown>,
        user: { userId: string | null; userMetadata: Record<string, unknown> },
      ) => ({
        fields: [
          { name: "email", disabled: true },
          {
            name: "priority",
            options:
              user.userMetadata.plan === "enterprise"
                ? [{ label: "Critical", value: "critical" }]
                : [],
          },
          { name: "topic", defaultValue: args.topic },
        ],
      }),
    );
    nametag.forms.register("support_ticket", provider);
    const schema = await nametag.forms.resolve("support_ticket", { topic: "billing" });
    expect(provider).toHaveBeenCalledWith(
      { topic: "billing" },
      { userId: "user_jane", userMetadata: JANE.userMetadata },
    );
    expect(schema.fields).toEqual([
      { name: "email", disabled: true, defaultValue: "jane@example.com" },
      { name: "priority", options: [{ label: "Critical", value: "critical" }] },
      { name: "topic", defaultValue: "billing" },
    ]);
    // A provider cannot change the client's copy of the identity.
    (provider.mock.calls[0]?.[1].userMetadata as Record<string, unknown>).plan = "free";
    expect(nametag.resolveHttpTool({ httpUrl: "https://x.test/{{userMetadata.plan}}" }).url).toBe(
      "https://x.test/enterprise",
    );
  });

  it("resolves a schema object directly, defaults args to {}, and unregisters", async () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    expect(
      (await nametag.forms.resolve({ fields: [{ name: "email" }] })).fields[0]?.defaultValue,
    ).toBeUndefined();
    const provider = vi.fn(() => ({ fields: [] }));
    const unregister = nametag.forms.register("f", provider);
    await nametag.forms.resolve("f");
    expect(provider).toHaveBeenCalledWith({}, { userId: null, userMetadata: {} });
    unregister();
    await expect(nametag.forms.resolve("f")).rejects.toMatchObject({
      code: "FORM_NOT_FOUND",
    } satisfies Partial<NametagError>);
  });

  it("refuses a registration without a name or function, and an unregister after a re-register keeps the new one", async () => {
    const registry = createFormRegistry();
    expect(() => registry.register("", () => ({ fields: [] }))).toThrow(/needs a form name/);
    expect(() => registry.register("x", "nope" as never)).toThrow(/needs a form name/);
    const unregisterOld = registry.register("x", () => ({ fields: [{ name: "old" }] }));
    registry.register("x", () => ({ fields: [{ name: "new" }] }));
    unregisterOld();
    const schema = await registry.resolve("x", {}, { userId: null, userMetadata: {} });
    expect(schema.fields[0]?.name).toBe("new");
  });
});
