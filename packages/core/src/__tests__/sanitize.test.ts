import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  SENSITIVE_KEY_PATTERNS,
  createSensitiveKeyMatcher,
  isSensitiveKey,
  sanitizeMetadata,
} from "../sanitize";

describe("sanitizeMetadata", () => {
  it("gives exactly the seed's 'What the agent sees' for its 'What you pass'", () => {
    const input = {
      name: "Jane Smith",
      email: "jane@example.com",
      authToken: "eyJhbGciOiJIUzI1NiIs...",
      apiKey: "sk-1234567890",
      plan: "enterprise",
    };
    const { value, removedPaths } = sanitizeMetadata(input);
    expect(value).toEqual({ name: "Jane Smith", email: "jane@example.com", plan: "enterprise" });
    expect(Object.keys(value)).toEqual(["name", "email", "plan"]);
    expect(removedPaths).toEqual(["authToken", "apiKey"]);
  });

  it.each([
    "token",
    "SECRET",
    "userPassword",
    "apikey",
    "API_KEY",
    "api-key",
    "accessToken",
    "refresh_token",
    "Authorization",
    "oauth",
    "credentials",
    "privateNotes",
  ])("removes the key %s", (key) => {
    expect(sanitizeMetadata({ [key]: "x", keep: 1 }).value).toEqual({ keep: 1 });
  });

  it("removes at every depth, arrays included, and reports the paths", () => {
    const { value, removedPaths } = sanitizeMetadata({
      billing: { card: { last4: "4242", token: "tok_1" } },
      accounts: [{ id: 1, apiKey: "k" }, [{ secret: "s", ok: true }]],
    });
    expect(value).toEqual({
      billing: { card: { last4: "4242" } },
      accounts: [{ id: 1 }, [{ ok: true }]],
    });
    expect(removedPaths).toEqual([
      "billing.card.token",
      "accounts[0].apiKey",
      "accounts[1][0].secret",
    ]);
  });

  it("adds sensitiveKeys (strings case-insensitively, RegExps as given) to the defaults", () => {
    const { value, removedPaths } = sanitizeMetadata(
      { ssn: "1", SSN_last4: "2", phone: "3", dob: "4", name: "Jane", token: "t" },
      { sensitiveKeys: ["ssn", /^dob$/g, ""] },
    );
    expect(value).toEqual({ phone: "3", name: "Jane" });
    expect(removedPaths.sort()).toEqual(["SSN_last4", "dob", "ssn", "token"]);
    // A global RegExp keeps no lastIndex state between keys.
    expect(sanitizeMetadata({ dob: 1, x: { dob: 2 } }, { sensitiveKeys: [/dob/g] }).value).toEqual({
      x: {},
    });
    expect(isSensitiveKey("ssn", ["ssn"])).toBe(true);
    expect(isSensitiveKey("name")).toBe(false);
  });

  it("builds a matcher once for a frozen list, and afresh for a list that may change", () => {
    const frozen = Object.freeze(["ssn"]);
    expect(createSensitiveKeyMatcher(frozen)).toBe(createSensitiveKeyMatcher(frozen));
    const open = ["ssn"];
    const before = createSensitiveKeyMatcher(open);
    open.push("dob");
    expect(before("dob")).toBe(false);
    expect(createSensitiveKeyMatcher(open)("dob")).toBe(true);
  });

  it("never mutates its input, frozen input included", () => {
    const input = Object.freeze({
      a: Object.freeze({ token: "t", b: 1 }),
      list: Object.freeze([1, 2]),
    });
    const before = JSON.stringify(input);
    const { value } = sanitizeMetadata(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(value).toEqual({ a: { b: 1 }, list: [1, 2] });
    expect((value as { a: unknown }).a).not.toBe(input.a);
  });

  it("turns values JSON cannot hold into JSON-safe data and drops cycles", () => {
    const circular: Record<string, unknown> = { name: "c" };
    circular.self = circular;
    const shared = { n: 1 };
    const { value } = sanitizeMetadata({
      big: 10n,
      fn: () => 1,
      undef: undefined,
      sym: Symbol("s"),
      nan: Number.NaN,
      negativeZero: -0,
      when: new Date(0),
      badDate: new Date(Number.NaN),
      list: [undefined, () => 1],
      circular,
      sharedA: shared,
      sharedB: shared,
    });
    expect(value).toEqual({
      big: "10",
      nan: null,
      negativeZero: 0,
      when: "1970-01-01T00:00:00.000Z",
      badDate: null,
      list: [null, null],
      circular: { name: "c" },
      sharedA: { n: 1 },
      sharedB: { n: 1 },
    });
  });

  it("writes array holes as null and never reads a removed key", () => {
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    const input = {
      sparse,
      get apiKey(): string {
        throw new Error("a removed key must not be read");
      },
    };
    expect(sanitizeMetadata(input)).toEqual({
      value: { sparse: [1, null, 3] },
      removedPaths: ["apiKey"],
      removedPointers: ["/apiKey"],
    });
  });

  it("keeps an own __proto__ key as data without touching any prototype", () => {
    const { value } = sanitizeMetadata(JSON.parse('{"__proto__":{"polluted":1},"a":1}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":1},"a":1}');
  });

  it("reports each removal as a JSON Pointer too, escaping ~ and / (RFC 6901)", () => {
    const { removedPaths, removedPointers } = sanitizeMetadata({
      billing: { card: { token: "t" } },
      accounts: [{ apiKey: "k" }],
      "a/b~c": { secret: "s" },
    });
    expect(removedPaths).toEqual(["billing.card.token", "accounts[0].apiKey", "a/b~c.secret"]);
    expect(removedPointers).toEqual([
      "/billing/card/token",
      "/accounts/0/apiKey",
      "/a~1b~0c/secret",
    ]);
  });

  it("sanitizes non-objects to {}", () => {
    for (const input of [null, undefined, "s", 1, [1, 2]]) {
      expect(sanitizeMetadata(input)).toEqual({ value: {}, removedPaths: [], removedPointers: [] });
    }
  });

  it("exposes the default patterns frozen", () => {
    expect(Object.isFrozen(SENSITIVE_KEY_PATTERNS)).toBe(true);
    expect(SENSITIVE_KEY_PATTERNS.every((pattern) => pattern.flags.includes("i"))).toBe(true);
  });
});

describe("sanitizeMetadata properties", () => {
  const sensitiveWords = [
    "token",
    "secret",
    "password",
    "apikey",
    "api_key",
    "auth",
    "credential",
    "private",
  ];
  const keyArb = fc.oneof(
    fc.string(),
    fc
      .constantFrom(...sensitiveWords)
      .chain((word) =>
        fc
          .tuple(fc.string({ maxLength: 3 }), fc.boolean(), fc.string({ maxLength: 3 }))
          .map(([prefix, upper, suffix]) => prefix + (upper ? word.toUpperCase() : word) + suffix),
      ),
  );
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof(
      { depthSize: "small" },
      fc.jsonValue({ maxDepth: 1 }),
      tie("array"),
      tie("object"),
    ),
    array: fc.array(tie("tree"), { maxLength: 4 }),
    object: fc.dictionary(keyArb, tie("tree"), { maxKeys: 5 }),
  }));
  const rootArb = fc.dictionary(keyArb, tree, { maxKeys: 6 });

  function everyKey(value: unknown, visit: (key: string) => void): void {
    if (Array.isArray(value)) value.forEach((item) => everyKey(item, visit));
    else if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        visit(key);
        everyKey(child, visit);
      }
    }
  }

  it("no key matching a pattern survives at any depth", () => {
    fc.assert(
      fc.property(rootArb, (input) => {
        const { value } = sanitizeMetadata(input);
        everyKey(value, (key) => {
          expect(SENSITIVE_KEY_PATTERNS.some((pattern) => pattern.test(key))).toBe(false);
        });
      }),
    );
  });

  it("the output is JSON-serialisable and round-trips unchanged", () => {
    fc.assert(
      fc.property(rootArb, (input) => {
        const { value } = sanitizeMetadata(input);
        expect(JSON.parse(JSON.stringify(value))).toEqual(value);
      }),
    );
  });

  it("JSON-like input never makes it throw and is never mutated", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        const before = JSON.stringify(input);
        expect(() => sanitizeMetadata(input)).not.toThrow();
        expect(JSON.stringify(input)).toBe(before);
      }),
    );
  });
});
