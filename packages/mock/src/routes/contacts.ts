import type { ContactInput } from "@nametag/core";
import type { Route } from "../context";
import type { Caller } from "../context";
import { notFound, scopeDenied } from "../errors";
import { assertContactCount } from "../store";
import { Issues, assertUserId, bodyObject, isPlainObject } from "../validate";

/** Contacts and attribute definitions belong to the account: a user-scoped caller gets 403. */
export function assertAccountScope(caller: Caller): void {
  if (caller.kind === "server" && caller.scopeUserId !== null) throw scopeDenied();
}

/** Bookbag-style contacts: upsert up to 1000 per call, keyed by external_id. */
export const contactRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/contacts",
    access: "server",
    handler({ body, caller, runtime }) {
      assertAccountScope(caller);
      const input = bodyObject(body);
      const users = input.users;
      const issues = new Issues();
      if (!Array.isArray(users)) {
        issues.add("users", "is required and must be an array of contacts");
        issues.throwIfAny();
      }
      const list = users as unknown[];
      assertContactCount(list.length);
      list.forEach((entry, index) => {
        const path = `users[${index}]`;
        if (!isPlainObject(entry)) return issues.add(path, "must be an object");
        if (typeof entry.external_id !== "string")
          issues.add(`${path}.external_id`, "is required and must be a string");
        if (entry.email !== undefined && entry.email !== null && typeof entry.email !== "string") {
          issues.add(`${path}.email`, "must be a string or null");
        }
        const attributes = entry.custom_attributes;
        if (attributes === undefined) return;
        if (!isPlainObject(attributes))
          return issues.add(`${path}.custom_attributes`, "must be an object");
        for (const [name, value] of Object.entries(attributes)) {
          if (value !== null && !["string", "number", "boolean"].includes(typeof value)) {
            issues.add(
              `${path}.custom_attributes.${name}`,
              "must be a string, number, boolean or null",
            );
          }
        }
      });
      issues.throwIfAny();
      return { status: 200, body: runtime.store.upsertContacts(list as ContactInput[]) };
    },
  },
  {
    method: "GET",
    pattern: "/v1/contacts/:externalId",
    access: "server",
    handler({ params, caller, runtime }) {
      assertAccountScope(caller);
      const externalId = params.externalId ?? "";
      assertUserId(externalId, "The external_id");
      const contact = runtime.store.getContact(externalId);
      if (!contact) throw notFound(`Contact ${JSON.stringify(externalId)}`);
      return { status: 200, body: contact };
    },
  },
];
