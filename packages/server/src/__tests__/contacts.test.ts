import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import type { ContactInput } from "../index";
import { NametagError } from "../index";
import { useMockBackend } from "./mockBackend";

const { client, backend, server, apiUrl, requestLines } = useMockBackend();

describe("defineAttribute / listAttributes", () => {
  it("defines an attribute; the same definition again is accepted; another type is refused", async () => {
    const nametag = client();
    await expect(nametag.defineAttribute({ name: "plan", type: "text" })).resolves.toMatchObject({
      name: "plan",
      type: "text",
    });
    await expect(nametag.defineAttribute({ name: "plan", type: "text" })).resolves.toMatchObject({
      name: "plan",
    });
    await expect(nametag.defineAttribute({ name: "plan", type: "number" })).rejects.toMatchObject({
      code: "ATTRIBUTE_TYPE_IMMUTABLE",
      status: 409,
    });
    expect(requestLines()).toEqual([
      "POST /v1/attributes 201",
      "POST /v1/attributes 200",
      "POST /v1/attributes 409",
    ]);
    await expect(nametag.listAttributes()).resolves.toEqual([
      expect.objectContaining({ name: "plan", type: "text" }),
    ]);
  });

  it("passes the backend's VALIDATION_FAILED through for a name it refuses", async () => {
    await expect(
      client().defineAttribute({ name: "1 bad name", type: "text" }),
    ).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      status: 400,
      details: expect.any(Object),
    });
  });
});

describe("upsertContacts / getContact", () => {
  it("creates, then updates, a contact keyed by external_id", async () => {
    const nametag = client();
    await nametag.defineAttribute({ name: "plan", type: "text" });
    const created = await nametag.upsertContacts([
      { external_id: "user_8821", email: "sam@acme.com", custom_attributes: { plan: "pro" } },
    ]);
    expect(created).toMatchObject({ created: 1, updated: 0 });
    const updated = await nametag.upsertContacts([
      { external_id: "user_8821", custom_attributes: { plan: "enterprise" } },
    ]);
    expect(updated).toMatchObject({ created: 0, updated: 1 });
    await expect(nametag.getContact({ externalId: "user_8821" })).resolves.toMatchObject({
      external_id: "user_8821",
      custom_attributes: { plan: "enterprise" },
    });
  });

  it("answers UNKNOWN_ATTRIBUTE and ATTRIBUTE_TYPE_MISMATCH", async () => {
    const nametag = client();
    await expect(
      nametag.upsertContacts([{ external_id: "user_1", custom_attributes: { plan: "pro" } }]),
    ).rejects.toMatchObject({ code: "UNKNOWN_ATTRIBUTE", status: 422 });
    await nametag.defineAttribute({ name: "seats", type: "number" });
    await expect(
      nametag.upsertContacts([{ external_id: "user_1", custom_attributes: { seats: "ten" } }]),
    ).rejects.toMatchObject({ code: "ATTRIBUTE_TYPE_MISMATCH", status: 422 });
  });

  it("answers NOT_FOUND for an unknown contact", async () => {
    await expect(client().getContact({ externalId: "nobody" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("sends 2500 contacts as 3 requests of at most 1000 and merges the results", async () => {
    const nametag = client();
    await nametag.upsertContacts([{ external_id: "user_0" }, { external_id: "user_1500" }]); // 2 exist already
    const contacts: ContactInput[] = Array.from({ length: 2500 }, (_, index) => ({
      external_id: `user_${index}`,
      email: `user${index}@example.com`,
    }));
    const result = await nametag.upsertContacts(contacts);

    expect(requestLines().slice(1)).toEqual([
      "POST /v1/contacts 200",
      "POST /v1/contacts 200",
      "POST /v1/contacts 200",
    ]);
    expect(result.created).toBe(2498);
    expect(result.updated).toBe(2);
    expect(result.contacts).toHaveLength(2500);
    expect(result.contacts.map((contact) => contact.external_id)).toEqual(
      contacts.map((contact) => contact.external_id),
    );
    await expect(nametag.getContact({ externalId: "user_2499" })).resolves.toMatchObject({
      email: "user2499@example.com",
    });
  });

  it("says which batch failed and what was saved when a later batch fails; a full retry is safe", async () => {
    const nametag = client();
    const contacts = Array.from({ length: 1500 }, (_, index) => ({ external_id: `user_${index}` }));
    let posts = 0;
    // The second batch meets an outage; other requests fall through to the mock backend.
    server.use(
      http.post(`${apiUrl}/v1/contacts`, () => {
        posts += 1;
        if (posts === 2) {
          return HttpResponse.json(
            { error: { code: "UNAVAILABLE", message: "down" } },
            { status: 503 },
          );
        }
        return undefined;
      }),
    );
    const error = await nametag.upsertContacts(contacts).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NametagError);
    expect(error).toMatchObject({
      code: "UNAVAILABLE",
      status: 503,
      details: { failedBatch: 1, batches: 2, saved: { created: 1000, updated: 0 } },
    });
    expect(posts).toBe(2); // a POST is not retried
    expect(backend.store.contacts).toHaveLength(1000);

    const retried = await nametag.upsertContacts(contacts);
    expect(retried).toMatchObject({ created: 500, updated: 1000 });
  });
});
