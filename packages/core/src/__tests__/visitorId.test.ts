import { afterEach, describe, expect, it, vi } from "vitest";
import { VISITOR_ID_PATTERN } from "../protocol";
import { createIdempotencyKey, createVisitorId } from "../visitorId";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("createVisitorId", () => {
  it("has Ansa's format v_<epoch ms>_<base36>, from crypto.getRandomValues", () => {
    const spy = vi.spyOn(globalThis.crypto, "getRandomValues");
    const id = createVisitorId(1703347200000);
    expect(id).toMatch(/^v_1703347200000_[a-z0-9]{16}$/);
    expect(id).toMatch(VISITOR_ID_PATTERN);
    expect(spy).toHaveBeenCalled();
  });

  it("does not repeat", () => {
    const ids = new Set(Array.from({ length: 2000 }, () => createVisitorId()));
    expect(ids.size).toBe(2000);
  });

  it("redraws biased bytes instead of folding them", () => {
    let call = 0;
    vi.spyOn(globalThis.crypto, "getRandomValues").mockImplementation(
      <T extends ArrayBufferView | null>(array: T): T => {
        const bytes = array as unknown as Uint8Array;
        bytes.fill(call++ === 0 ? 255 : 1);
        return array;
      },
    );
    expect(createVisitorId(1)).toBe("v_1_1111111111111111");
  });

  it("refuses to run without crypto.getRandomValues", () => {
    vi.stubGlobal("crypto", undefined);
    expect(() => createVisitorId()).toThrow(
      expect.objectContaining({ code: "UNSUPPORTED_ENVIRONMENT" }),
    );
  });
});

describe("createIdempotencyKey", () => {
  it("is a UUID-shaped key of 32 random hex digits from crypto.getRandomValues", () => {
    expect(createIdempotencyKey()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(new Set(Array.from({ length: 2000 }, () => createIdempotencyKey())).size).toBe(2000);
    // Every byte is one hex digit (256 is a multiple of 16, so none is redrawn).
    vi.stubGlobal("crypto", { getRandomValues: (array: Uint8Array) => array.fill(171) });
    expect(createIdempotencyKey()).toBe("bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb");
  });

  it("refuses to run without crypto.getRandomValues", () => {
    vi.stubGlobal("crypto", undefined);
    expect(() => createIdempotencyKey()).toThrow(
      expect.objectContaining({ code: "UNSUPPORTED_ENVIRONMENT" }),
    );
  });
});
