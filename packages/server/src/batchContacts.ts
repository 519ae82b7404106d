import type { ContactInput, UpsertContactsResponse } from "@nametag/core";
import { MAX_BODY_BYTES, MAX_CONTACTS_PER_UPSERT, NametagError } from "@nametag/core";
import { assertUserId } from "./validate";

const encoder = new TextEncoder();
// `{"users":[]}`: the envelope every batch body is wrapped in.
const ENVELOPE_BYTES = 12;

export interface BatchLimits {
  maxCount: number;
  maxBytes: number;
}

const DEFAULT_LIMITS: BatchLimits = { maxCount: MAX_CONTACTS_PER_UPSERT, maxBytes: MAX_BODY_BYTES };

function assertContact(contact: unknown, index: number): asserts contact is ContactInput {
  if (typeof contact !== "object" || contact === null || Array.isArray(contact)) {
    throw new NametagError(
      "INVALID_ARGUMENT",
      `contacts[${index}] must be an object { external_id, email?, custom_attributes? }.`,
      {
        details: { index },
      },
    );
  }
  const { external_id, email, custom_attributes } = contact as Record<string, unknown>;
  assertUserId(external_id, `contacts[${index}].external_id`);
  if (email !== undefined && email !== null && typeof email !== "string") {
    throw new NametagError(
      "INVALID_ARGUMENT",
      `contacts[${index}].email must be a string or null.`,
      { details: { index } },
    );
  }
  if (custom_attributes === undefined) return;
  if (
    typeof custom_attributes !== "object" ||
    custom_attributes === null ||
    Array.isArray(custom_attributes)
  ) {
    throw new NametagError(
      "INVALID_ARGUMENT",
      `contacts[${index}].custom_attributes must be an object of name → value.`,
      {
        details: { index },
      },
    );
  }
  for (const [name, value] of Object.entries(custom_attributes)) {
    if (value !== null && !["string", "number", "boolean"].includes(typeof value)) {
      throw new NametagError(
        "INVALID_ARGUMENT",
        `contacts[${index}].custom_attributes.${name} must be a string, number, boolean or null (dates as ISO strings).`,
        { details: { index, attribute: name } },
      );
    }
  }
}

/**
 * Validates every contact, then splits them into batches the backend accepts: at most 1000
 * contacts and at most MAX_BODY_BYTES of JSON each. All validation happens before the first
 * request, so a bad entry at index 2400 fails without writing the first 2000.
 */
export function batchContacts(
  contacts: readonly ContactInput[],
  limits: BatchLimits = DEFAULT_LIMITS,
): ContactInput[][] {
  if (!Array.isArray(contacts)) {
    throw new NametagError(
      "INVALID_ARGUMENT",
      "upsertContacts takes an array of { external_id, email?, custom_attributes? }.",
    );
  }
  const batches: ContactInput[][] = [];
  let current: ContactInput[] = [];
  let bytes = ENVELOPE_BYTES;
  contacts.forEach((contact, index) => {
    assertContact(contact, index);
    const size = encoder.encode(JSON.stringify(contact)).length;
    // +1: the comma between entries.
    if (
      current.length > 0 &&
      (current.length >= limits.maxCount || bytes + 1 + size > limits.maxBytes)
    ) {
      batches.push(current);
      current = [];
      bytes = ENVELOPE_BYTES;
    }
    bytes += (current.length > 0 ? 1 : 0) + size;
    current.push(contact);
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Adds up the batches' answers into one, as if the backend had taken them in a single request. */
export function mergeUpsertResults(
  results: readonly UpsertContactsResponse[],
): UpsertContactsResponse {
  return results.reduce<UpsertContactsResponse>(
    (merged, result) => ({
      created: merged.created + result.created,
      updated: merged.updated + result.updated,
      contacts: merged.contacts.concat(result.contacts),
    }),
    { created: 0, updated: 0, contacts: [] },
  );
}
