import { describe, expect, it } from "vitest";
import { createNametag } from "../createNametag";
import { NametagError } from "../errors";
import {
  DEFAULT_MAX_METADATA_BYTES,
  validateLabels,
  validateMetadata,
  validateOptionalString,
  validateUserId,
} from "../validate";
import { API_URL, JANE, backend } from "./setup";

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(NametagError);
    return (error as NametagError).code;
  }
  return undefined;
}

describe("validateUserId", () => {
  it.each([
    "user_123",
    "550e8400-e29b-41d4-a716-446655440000",
    "12345",
    "a.b_c-d",
    "x".repeat(128),
  ])("accepts %s", (userId) => {
    expect(validateUserId(userId)).toBe(userId);
  });

  it.each([
    undefined,
    null,
    "",
    "  ",
    "undefined",
    "null",
    "NULL",
    "NaN",
    "Undefined",
    "[object Object]",
    "x".repeat(129),
    "a b",
    "u1\r\nX-Evil: 1",
    42,
    {},
    "jane@example.com",
    // Issue 15: one rule with @nametag/server, junk included.
    ".",
    "..",
    "...",
    "-",
    "_",
    "0",
    "-1",
    "false",
    "True",
    "None",
    "nil",
    "Infinity",
  ])("refuses %j with INVALID_USER_ID", (userId) => {
    expect(codeOf(() => validateUserId(userId))).toBe("INVALID_USER_ID");
  });
});

describe("identify() with bad input", () => {
  const badUserIds: unknown[] = [
    undefined,
    null,
    "",
    "  ",
    "undefined",
    "null",
    "[object Object]",
    "x".repeat(129),
    "a b",
    "u1\r\nX-Evil: 1",
    42,
  ];

  it.each(badUserIds)(
    "userId %j throws synchronously, sends nothing and leaves the state as it was",
    async (userId) => {
      const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
      await nametag.identify(JANE);
      const before = nametag.getIdentity();
      const requestsBefore = backend.requests().length;
      let thrown: unknown;
      try {
        void nametag.identify({ userId } as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(NametagError);
      expect((thrown as NametagError).code).toBe("INVALID_USER_ID");
      expect(nametag.getIdentity()).toBe(before);
      expect(backend.requests()).toHaveLength(requestsBefore);
    },
  );

  it("refuses an identify argument that is not an object", () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    expect(codeOf(() => nametag.identify(null as never))).toBe("INVALID_USER_ID");
    expect(codeOf(() => nametag.identify("user_1" as never))).toBe("INVALID_USER_ID");
  });

  class Profile {
    name = "Jane";
  }
  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;

  it.each([
    ["an array", [1, 2], "INVALID_METADATA"],
    ["a class instance", new Profile(), "INVALID_METADATA"],
    ["null", null, "INVALID_METADATA"],
    ["a string", "jane", "INVALID_METADATA"],
    ["circular", circular, "METADATA_CIRCULAR"],
    ["a BigInt", { big: 1n }, "METADATA_UNSUPPORTED_VALUE"],
    ["a function", { fn: () => 1 }, "METADATA_UNSUPPORTED_VALUE"],
    ["a symbol", { s: Symbol("s") }, "METADATA_UNSUPPORTED_VALUE"],
    ["NaN", { n: Number.NaN }, "METADATA_UNSUPPORTED_VALUE"],
    ["an invalid Date", { d: new Date(Number.NaN) }, "METADATA_UNSUPPORTED_VALUE"],
    ["a nested class instance", { p: new Profile() }, "METADATA_UNSUPPORTED_VALUE"],
    ["a nested Map", { m: new Map() }, "METADATA_UNSUPPORTED_VALUE"],
    ["over 32 KB", { blob: "x".repeat(DEFAULT_MAX_METADATA_BYTES) }, "METADATA_TOO_LARGE"],
  ])("metadata that is %s throws %s with no request", (_label, userMetadata, code) => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    const before = nametag.getIdentity();
    expect(codeOf(() => nametag.identify({ userId: "user_1", userMetadata } as never))).toBe(code);
    expect(nametag.getIdentity()).toBe(before);
    expect(backend.requests()).toEqual([]);
  });

  it("honours maxMetadataBytes", () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory", maxMetadataBytes: 20 });
    expect(
      codeOf(() => nametag.identify({ userId: "u1", userMetadata: { name: "Jane Smith Jones" } })),
    ).toBe("METADATA_TOO_LARGE");
  });

  it("never lets a __proto__ key pollute a prototype", async () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    await nametag.identify({
      userId: "user_1",
      userMetadata: JSON.parse('{"__proto__":{"polluted":1},"name":"Jane"}'),
    });
    await nametag.updateMetadata(JSON.parse('{"__proto__":{"polluted":2}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(nametag.getIdentity().userMetadata)).toBe(Object.prototype);
    // The merged key stays plain data, with the update's value.
    expect(
      Object.getOwnPropertyDescriptor(nametag.getIdentity().userMetadata, "__proto__")?.value,
    ).toEqual({ polluted: 2 });
    expect(nametag.getIdentity().userMetadata.name).toBe("Jane");
    expect(nametag.render("{{userMetadata.constructor}}")).toBe("");
  });

  it("accepts frozen metadata and never mutates it", async () => {
    const userMetadata = Object.freeze({
      name: "Jane",
      nested: Object.freeze({ authToken: "t", city: "Oslo" }),
    });
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    await nametag.identify({ userId: "user_1", userMetadata });
    expect(userMetadata).toEqual({ name: "Jane", nested: { authToken: "t", city: "Oslo" } });
    expect(nametag.getIdentity().userMetadata).toEqual({ name: "Jane", nested: { city: "Oslo" } });
  });

  it("copies metadata: a later change by the caller changes nothing", async () => {
    const userMetadata: Record<string, unknown> = { name: "Jane" };
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    await nametag.identify({ userId: "user_1", userMetadata });
    userMetadata.name = "Mallory";
    expect(nametag.getIdentity().userMetadata.name).toBe("Jane");
  });

  it("refuses bad labels, assignedAgent and credentials", () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    expect(codeOf(() => nametag.identify({ userId: "u1", labels: "vip" as never }))).toBe(
      "INVALID_ARGUMENT",
    );
    expect(codeOf(() => nametag.identify({ userId: "u1", labels: [""] }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => nametag.identify({ userId: "u1", assignedAgent: 3 as never }))).toBe(
      "INVALID_ARGUMENT",
    );
    expect(codeOf(() => nametag.identify({ userId: "u1", userHash: "a\nb" }))).toBe(
      "INVALID_ARGUMENT",
    );
    expect(backend.requests()).toEqual([]);
  });
});

describe("validateMetadata and helpers", () => {
  it("turns Dates into ISO strings and drops undefined (as JSON does)", () => {
    expect(validateMetadata({ when: new Date(0), gone: undefined, list: [undefined, 1] })).toEqual({
      when: "1970-01-01T00:00:00.000Z",
      list: [null, 1],
    });
    expect(validateMetadata(undefined)).toEqual({});
    expect(validateMetadata(Object.create(null))).toEqual({});
  });

  it("validateOptionalString takes a non-empty string without CR, LF or NUL; null and undefined are absent", () => {
    expect(validateOptionalString("agent-7 (sales)", "assignedAgent")).toBe("agent-7 (sales)");
    expect(validateOptionalString(null, "assignedAgent")).toBeUndefined();
    expect(validateOptionalString(undefined, "assignedAgent")).toBeUndefined();
    for (const bad of ["", "a\rb", "a\nb", "trailing\n", "\nleading", "a\0b", 3, {}]) {
      expect(codeOf(() => validateOptionalString(bad, "userHash"))).toBe("INVALID_ARGUMENT");
    }
  });

  it("validateLabels takes an array of non-empty strings and returns a copy", () => {
    const labels = ["vip", "beta"];
    expect(validateLabels(labels)).toEqual(labels);
    expect(validateLabels(labels)).not.toBe(labels);
    expect(validateLabels(undefined)).toBeUndefined();
    for (const bad of ["vip", [""], ["vip", 1], [null]]) {
      expect(codeOf(() => validateLabels(bad))).toBe("INVALID_ARGUMENT");
    }
  });
});

describe("validateMetadata: input that used to escape as a raw error", () => {
  it("refuses metadata nested 3,337 arrays deep (6.7 KB) with METADATA_TOO_DEEP, not a RangeError", () => {
    let deep: unknown = 1;
    for (let level = 0; level < 3337; level++) deep = [deep];
    let error: unknown;
    try {
      validateMetadata({ deep });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NametagError);
    expect((error as NametagError).code).toBe("METADATA_TOO_DEEP");
    expect((error as NametagError).details).toEqual({
      path: `userMetadata.deep${"[0]".repeat(63)}`,
      maxDepth: 64,
    });
  });

  it("accepts exactly 64 levels and refuses 65", () => {
    const nest = (levels: number) => {
      let value: Record<string, unknown> = { leaf: 1 };
      for (let level = 1; level < levels; level++) value = { child: value };
      return value;
    };
    expect(codeOf(() => validateMetadata(nest(64)))).toBeUndefined();
    expect(codeOf(() => validateMetadata(nest(65)))).toBe("METADATA_TOO_DEEP");
  });

  it("refuses a getter without running it, and a getter that throws", () => {
    let reads = 0;
    const counting = {
      get plan() {
        reads++;
        return "pro";
      },
    };
    expect(codeOf(() => validateMetadata(counting))).toBe("METADATA_UNSUPPORTED_VALUE");
    expect(reads).toBe(0);
    const throwing = {
      nested: {
        get boom(): string {
          throw new RangeError("from a getter");
        },
      },
    };
    expect(codeOf(() => validateMetadata(throwing))).toBe("METADATA_UNSUPPORTED_VALUE");
  });

  it("turns every throwing Proxy trap into METADATA_UNSUPPORTED_VALUE", () => {
    const thrower = () => {
      throw new TypeError("trap");
    };
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    const cases: unknown[] = [
      new Proxy({}, { ownKeys: thrower }),
      new Proxy({ a: 1 }, { getOwnPropertyDescriptor: thrower }),
      new Proxy({}, { getPrototypeOf: thrower }),
      { nested: new Proxy({ a: 1 }, { ownKeys: thrower }) },
      { list: [revocable.proxy] },
      revocable.proxy,
    ];
    for (const metadata of cases) {
      expect(codeOf(() => validateMetadata(metadata))).toBe("METADATA_UNSUPPORTED_VALUE");
    }
  });

  it("reads a Proxy that answers differently on each read only once", () => {
    let reads = 0;
    const shifty = new Proxy(
      { plan: "pro" },
      {
        get: () => `read ${++reads}`,
      },
    );
    // The descriptor is read once; the get trap is never consulted, so the copy is consistent.
    expect(validateMetadata({ shifty })).toEqual({ shifty: { plan: "pro" } });
    expect(reads).toBe(0);
  });

  it("identify() throws the same NametagError and leaves the state as it was", async () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    const before = nametag.getIdentity();
    let deep: unknown = 1;
    for (let level = 0; level < 3337; level++) deep = [deep];
    expect(codeOf(() => nametag.identify({ userId: "user_1", userMetadata: { deep } }))).toBe(
      "METADATA_TOO_DEEP",
    );
    expect(codeOf(() => nametag.identify({ userId: "..", userMetadata: {} }))).toBe(
      "INVALID_USER_ID",
    );
    expect(nametag.getIdentity()).toBe(before);
    nametag.destroy();
  });
});
