import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  SENSITIVE_KEY_PATTERNS,
  SENSITIVE_KEY_WORDS,
  createSensitiveKeyMatcher,
  isSensitiveKey,
  normalizeKey,
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
      removed: [{ path: "apiKey", pointer: "/apiKey", reason: "key" }],
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
      expect(sanitizeMetadata(input)).toEqual({
        value: {},
        removedPaths: [],
        removedPointers: [],
        removed: [],
      });
    }
  });

  it("exposes the default patterns frozen, one per published entry", () => {
    expect(Object.isFrozen(SENSITIVE_KEY_PATTERNS)).toBe(true);
    expect(SENSITIVE_KEY_PATTERNS).toHaveLength(SENSITIVE_KEY_WORDS.length);
    expect(() => (SENSITIVE_KEY_PATTERNS as RegExp[]).push(/x/)).toThrow(TypeError);
    // Each pattern is tested on a normalised key.
    expect(
      SENSITIVE_KEY_PATTERNS.some((pattern) => pattern.test(normalizeKey("x-AuthToken"))),
    ).toBe(true);
    expect(SENSITIVE_KEY_PATTERNS.some((pattern) => pattern.test(normalizeKey("author")))).toBe(
      false,
    );
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

  it("no key holding a sensitive word survives at any depth", () => {
    fc.assert(
      fc.property(rootArb, (input) => {
        const { value } = sanitizeMetadata(input);
        everyKey(value, (key) => {
          expect(SENSITIVE_KEY_PATTERNS.some((pattern) => pattern.test(normalizeKey(key)))).toBe(
            false,
          );
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

// Issue 15: keys are normalised and matched as words; values are inspected too.
describe("sanitizeMetadata: keys as words", () => {
  const keys = (input: Record<string, unknown>, options?: Parameters<typeof sanitizeMetadata>[1]) =>
    Object.keys(sanitizeMetadata(input, options).value);

  it("removes the issue's keys and keeps its innocent ones", () => {
    const gone = [
      "authToken",
      "x-auth",
      "Authorization",
      "oauth",
      "api_key",
      "API KEY",
      "privateNote",
      "Secret_Answer",
      "privateMode",
      "passwordPolicyUrl",
    ];
    const kept = ["author", "authority", "secretary", "tokenizerVersion"];
    const input = Object.fromEntries([...gone, ...kept].map((key) => [key, "v"]));
    const { value, removedPaths } = sanitizeMetadata(input);
    expect(Object.keys(value)).toEqual(kept);
    expect(removedPaths).toEqual(gone);
  });

  it.each([
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "pin",
    "ssn",
    "creditCard",
    "card_number",
    "cvv",
    "iban",
    "jwt",
    "bearer",
    "cookie",
    "session_id",
    "otp",
    "totp",
    "signature",
    "salt",
    "connectionString",
    "dsn",
    "stripeKey",
    "license_key",
    "accessKeyId",
    "api key",
  ])("removes %s, which the seed's substring patterns kept", (key) => {
    expect(sanitizeMetadata({ [key]: "v", plan: "pro" })).toMatchObject({
      value: { plan: "pro" },
      removedPaths: [key],
    });
  });

  it.each([
    ["Cyrillic о in token", "t\u043eken"],
    ["Cyrillic а and р in apiKey", "\u0430\u0440iKey"],
    ["Greek Ρ and Α in PASSWORD", "\u03a1\u0391SSWORD"],
    ["fullwidth token", "\uff54\uff4f\uff4b\uff45\uff4e"],
    ["fullwidth SECRET", "\uff33\uff25\uff23\uff32\uff25\uff34"],
    ["zero-width space in token", "to\u200bken"],
    ["soft hyphen in token", "to\u00adken"],
    ["zero-width joiner in password", "pass\u200dword"],
    ["BOM in apiKey", "api\ufeffKey"],
    ["accented pässwörd", "p\u00e4ssw\u00f6rd"],
    ["mathematical bold token", "\ud835\udc2d\ud835\udc28\ud835\udc24\ud835\udc1e\ud835\udc27"],
  ])("removes a look-alike key (%s)", (_, key) => {
    expect(sanitizeMetadata({ [key]: "v", name: "Jane" })).toMatchObject({
      value: { name: "Jane" },
      removedPaths: [key],
    });
  });

  it("allowKeys keeps a field the defaults remove; sensitiveKeys still add and win", () => {
    const input = { authorName: "A", sessionId: "s1", pinnedTab: "t", debugToken: "d", ssn: "1" };
    expect(keys(input)).toEqual(["authorName", "pinnedTab"]);
    expect(keys(input, { allowKeys: ["session_id", /^debug/] })).toEqual([
      "authorName",
      "sessionId",
      "pinnedTab",
      "debugToken",
    ]);
    // allowKeys only lifts the defaults: an explicit sensitive key stays removed.
    expect(keys(input, { allowKeys: ["sessionId"], sensitiveKeys: ["session"] })).toEqual([
      "authorName",
      "pinnedTab",
    ]);
    // A string in sensitiveKeys is normalised too, and matches inside a key.
    expect(keys({ "Tax-Ref": 1, taxRefOld: 2, name: 3 }, { sensitiveKeys: ["tax ref"] })).toEqual([
      "name",
    ]);
  });
});

describe("sanitizeMetadata: values", () => {
  const card = "4242 4242 4242 4242";
  const secrets: Array<[string, string]> = [
    ["jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEyMyJ9.c2lnbmF0dXJlLXZhbHVl"],
    ["authorization", "Bearer 0a1b2c3d4e5f6a7b8c9d"],
    ["authorization", "Basic dXNlcjpodW50ZXIy"],
    [
      "private-key",
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
    ],
    ["card-number", card],
    ["card-number", "4111-1111-1111-1111"],
    ["card-number", "378282246310005"],
    ["api-key", "sk_live_51H8abcdefghijklmnop"],
    ["api-key", "rk_test_51H8abcdefghijklmnop"],
    ["api-key", "AKIAIOSFODNN7EXAMPLE"],
    ["api-key", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"],
    ["api-key", "github_pat_11ABCDEFG0123456789_abcdefghij"],
    ["api-key", "xoxb-1234567890-0987654321-abcdefghij"],
    ["api-key", "AIzaSyA1234567890abcdefghijklmnopqrstuv"],
    ["url", "https://api.example.com/v1/orders?api_key=abc123"],
    ["url", "https://example.com/callback#access_token=abc123&state=x"],
    ["url", "https://bucket.s3.amazonaws.com/f?X-Amz-Signature=abc&sig=def"],
    ["url", "postgres://admin:hunter2@db.internal:5432/app"],
  ];

  it("removes secret-shaped strings under innocent keys, in objects and arrays, with a reason", () => {
    const input = {
      name: "Jane",
      notes: Object.fromEntries(secrets.map(([, value], index) => [`note${index}`, value])),
      list: ["ok", ...secrets.map(([, value]) => value)],
    };
    const { value, removed, removedPointers } = sanitizeMetadata(input);
    expect(value).toEqual({ name: "Jane", notes: {}, list: ["ok", ...secrets.map(() => null)] });
    expect(removed).toEqual([
      ...secrets.map(([reason], index) => ({
        path: `notes.note${index}`,
        pointer: `/notes/note${index}`,
        reason,
      })),
      ...secrets.map(([reason], index) => ({
        path: `list[${index + 1}]`,
        pointer: `/list/${index + 1}`,
        reason,
      })),
    ]);
    expect(removedPointers).toHaveLength(secrets.length * 2);
  });

  it.each([
    "Basic plan for small teams",
    "Bearer of good news",
    "4242 4242 4242 4241", // fails Luhn
    "1703347200000", // an epoch-ms timestamp
    "https://example.com/search?q=author&page=2",
    "https://example.com/blog/the-secret-garden",
    "eyJust a sentence",
    "sk-short",
    "jane@example.com",
  ])("keeps the innocent value %j", (text) => {
    expect(sanitizeMetadata({ note: text })).toEqual({
      value: { note: text },
      removedPaths: [],
      removedPointers: [],
      removed: [],
    });
  });

  it("keeps the value of a key the host allowed", () => {
    const jwt = secrets[0]?.[1] as string;
    expect(
      sanitizeMetadata({ debugJwt: jwt, note: jwt }, { allowKeys: ["debugJwt"] }).value,
    ).toEqual({
      debugJwt: jwt,
    });
  });
});

describe("sanitizeMetadata: input it cannot read", () => {
  it("drops metadata nested 3,337 arrays deep at the depth limit instead of a RangeError", () => {
    let deep: unknown = "bottom";
    for (let level = 0; level < 3337; level++) deep = [deep];
    const { value, removed } = sanitizeMetadata({ name: "Jane", deep });
    expect(removed).toHaveLength(1);
    expect(removed[0]?.reason).toBe("too-deep");
    // The root is level 1, so 63 arrays are kept under "deep" and the 64th is dropped (null).
    expect(removed[0]?.pointer).toBe(`/deep${"/0".repeat(63)}`);
    expect(JSON.stringify(value)).toBe(
      `{"name":"Jane","deep":${"[".repeat(63)}null${"]".repeat(63)}}`,
    );
  });

  it("drops and reports a throwing getter and a Proxy whose trap throws", () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new TypeError("trap");
        },
      },
    );
    const revocable = Proxy.revocable({ a: 1 }, {});
    revocable.revoke();
    const input = {
      name: "Jane",
      get broken(): string {
        throw new Error("getter");
      },
      hostile,
      list: [revocable.proxy, 1],
    };
    expect(sanitizeMetadata(input)).toEqual({
      value: { name: "Jane", list: [null, 1] },
      removedPaths: ["broken", "hostile", "list[0]"],
      removedPointers: ["/broken", "/hostile", "/list/0"],
      removed: [
        { path: "broken", pointer: "/broken", reason: "unreadable" },
        { path: "hostile", pointer: "/hostile", reason: "unreadable" },
        { path: "list[0]", pointer: "/list/0", reason: "unreadable" },
      ],
    });
  });
  it("reports every reference to a throwing Proxy, not only the first (the rest are not circular)", () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new TypeError("trap");
        },
      },
    );
    const { value, removedPaths } = sanitizeMetadata({ first: hostile, second: hostile });
    expect(value).toEqual({});
    expect(removedPaths).toEqual(["first", "second"]);
  });
});

describe("the published list", () => {
  it("the README's 'Default sensitive keys' table lists exactly SENSITIVE_KEY_WORDS, each with a reason", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const start = readme.indexOf("#### Default sensitive keys");
    expect(start).toBeGreaterThan(-1);
    // The first table after the heading: its contiguous "|" lines, minus the header and rule.
    const lines = readme.slice(start).split("\n");
    const first = lines.findIndex((line) => line.startsWith("|"));
    const end = lines.findIndex((line, index) => index > first && !line.startsWith("|"));
    const rows = lines.slice(first + 2, end);
    const table = rows.map((row) => {
      const [, entry, reason] = /^\| `([^`]+)`\s*\|(.*)\|\s*$/.exec(row) ?? [];
      return { entry, reason: reason?.trim() };
    });
    expect(table.map(({ entry }) => entry)).toEqual([...SENSITIVE_KEY_WORDS]);
    for (const { reason } of table) expect(reason?.length).toBeGreaterThan(10);
    expect(Object.isFrozen(SENSITIVE_KEY_WORDS)).toBe(true);
  });
});
