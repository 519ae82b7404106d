import { describe, expect, it } from "vitest";
import type { ContactInput } from "../index";
import { batchContacts, mergeUpsertResults } from "../batchContacts";

const contacts = (count: number, extra: Partial<ContactInput> = {}): ContactInput[] =>
  Array.from({ length: count }, (_, index) => ({ external_id: `user_${index}`, ...extra }));

describe("batchContacts", () => {
  it("splits 2500 contacts into 1000 + 1000 + 500, in order", () => {
    const batches = batchContacts(contacts(2500));
    expect(batches.map((batch) => batch.length)).toEqual([1000, 1000, 500]);
    expect(batches.flat().map((contact) => contact.external_id)).toEqual(
      contacts(2500).map((contact) => contact.external_id),
    );
  });

  it("keeps exactly 1000 in one batch", () => {
    expect(batchContacts(contacts(1000))).toHaveLength(1);
  });

  it("also splits by body size, so no batch exceeds the byte limit", () => {
    const padded = contacts(10, { email: "x".repeat(90) });
    const batches = batchContacts(padded, { maxCount: 1000, maxBytes: 400 });
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) {
      expect(new TextEncoder().encode(JSON.stringify({ users: batch })).length).toBeLessThanOrEqual(
        400,
      );
    }
    expect(batches.flat()).toHaveLength(10);
  });
});

describe("mergeUpsertResults", () => {
  it("adds up created and updated and concatenates contacts", () => {
    const contact = (id: string) => ({
      external_id: id,
      email: null,
      custom_attributes: {},
      created_at: "2030-01-01T00:00:00.000Z",
      updated_at: "2030-01-01T00:00:00.000Z",
    });
    expect(
      mergeUpsertResults([
        { created: 2, updated: 1, contacts: [contact("a"), contact("b"), contact("c")] },
        { created: 0, updated: 1, contacts: [contact("d")] },
      ]),
    ).toEqual({
      created: 2,
      updated: 2,
      contacts: [contact("a"), contact("b"), contact("c"), contact("d")],
    });
  });
});
