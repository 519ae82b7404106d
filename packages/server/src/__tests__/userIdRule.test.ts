import { JUNK_USER_IDS, isNametagError, validateUserId } from "@nametag/core";
import { describe, expect, it } from "vitest";
import { Nametag } from "../index";
import { assertUserId } from "../validate";

/** The code a check throws, or undefined when it accepts. */
function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(isNametagError(error)).toBe(true);
    return (error as { code: string }).code;
  }
  return undefined;
}

describe("one userId rule for the browser SDK and the server SDK", () => {
  const junk = [".", "..", "-", "_", "0", "-1", "false", "None", "nil", "null", "undefined", "NaN"];

  it.each(junk)("the server refuses %j before any request, as core does", async (userId) => {
    let requests = 0;
    const nametag = new Nametag({
      apiUrl: "http://127.0.0.1:9",
      apiKey: "key",
      fetch: async () => {
        requests++;
        return new Response("{}");
      },
    });
    await expect(nametag.getUser({ externalId: userId })).rejects.toMatchObject({
      code: "INVALID_USER_ID",
    });
    expect(requests).toBe(0);
    expect(codeOf(() => validateUserId(userId))).toBe("INVALID_USER_ID");
  });

  it("every published junk id is refused by both, in any case", () => {
    for (const userId of JUNK_USER_IDS.flatMap((id) => [id, id.toUpperCase()])) {
      expect(codeOf(() => assertUserId(userId, "userId"))).toBe("INVALID_USER_ID");
      expect(codeOf(() => validateUserId(userId))).toBe("INVALID_USER_ID");
    }
  });

  it("accepts and refuses exactly the same ids (every id of up to 3 characters from a mixed alphabet)", () => {
    const alphabet = [..."aZ09._-@ /\u00e9"];
    let ids = [""];
    const all = [...JUNK_USER_IDS, "user_1", "x".repeat(128), "x".repeat(129)];
    for (let length = 1; length <= 3; length++) {
      ids = ids.flatMap((prefix) => alphabet.map((char) => prefix + char));
      all.push(...ids);
    }
    expect(all).toHaveLength(JUNK_USER_IDS.length + 3 + 11 + 121 + 1331);
    let refused = 0;
    for (const userId of all) {
      const code = codeOf(() => validateUserId(userId));
      expect(codeOf(() => assertUserId(userId, "userId"))).toBe(code);
      if (code) refused++;
    }
    // Sanity: both accept some ids and refuse others.
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(all.length);
  });
});
