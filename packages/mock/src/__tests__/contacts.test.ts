import { describe, expect } from "vitest";
import type { Case, Target } from "./harness";
import { TRANSPORTS, browser, createUser, runCases, server, useTarget } from "./harness";

async function define(target: Target, name: string, type: string) {
  const reply = await target.call("POST", "/v1/attributes", {
    headers: server(),
    body: { name, type },
  });
  if (reply.status !== 201) throw new Error(`define failed: ${reply.status}`);
  return reply.body;
}

async function defineAll(target: Target) {
  await define(target, "plan", "text");
  await define(target, "seats", "number");
  await define(target, "active", "boolean");
  await define(target, "renews_on", "date");
  return {};
}

const many = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ external_id: `user_${index}` }));

const upsertCases: Case[] = [
  {
    name: "creates contacts with typed attributes",
    setup: defineAll,
    request: () => ({
      method: "POST",
      path: "/v1/contacts",
      headers: server(),
      body: {
        users: [
          {
            external_id: "user_8821",
            email: "sam@acme.com",
            custom_attributes: { plan: "pro", seats: 5, active: true, renews_on: "2025-01-31" },
          },
        ],
      },
    }),
    status: 200,
    check: (reply) =>
      expect(reply.body).toEqual({
        created: 1,
        updated: 0,
        contacts: [
          {
            external_id: "user_8821",
            email: "sam@acme.com",
            custom_attributes: { plan: "pro", seats: 5, active: true, renews_on: "2025-01-31" },
            created_at: expect.any(String),
            updated_at: expect.any(String),
          },
        ],
      }),
  },
  {
    name: "updates by external_id, merging attributes (null removes one)",
    setup: async (target) => {
      await defineAll(target);
      await target.call("POST", "/v1/contacts", {
        headers: server(),
        body: {
          users: [
            {
              external_id: "user_1",
              email: "a@x.com",
              custom_attributes: { plan: "free", seats: 1 },
            },
          ],
        },
      });
      return {};
    },
    request: () => ({
      method: "POST",
      path: "/v1/contacts",
      headers: server(),
      body: {
        users: [
          { external_id: "user_1", custom_attributes: { plan: "pro", seats: null } },
          { external_id: "user_2" },
        ],
      },
    }),
    status: 200,
    check: (reply, _vars, target) => {
      expect(reply.body).toMatchObject({ created: 1, updated: 1 });
      expect(target.backend.store.getContact("user_1")).toMatchObject({
        email: "a@x.com",
        custom_attributes: { plan: "pro" },
      });
      expect(target.backend.store.contacts).toHaveLength(2);
    },
  },
  {
    name: "accepts exactly 1000 contacts",
    request: () => ({
      method: "POST",
      path: "/v1/contacts",
      headers: server(),
      body: { users: many(1000) },
    }),
    status: 200,
    check: (reply, _vars, target) => {
      expect(reply.body.created).toBe(1000);
      expect(target.backend.store.contacts).toHaveLength(1000);
    },
  },
  {
    name: "refuses 1001 contacts and stores none",
    request: () => ({
      method: "POST",
      path: "/v1/contacts",
      headers: server(),
      body: { users: many(1001) },
    }),
    status: 422,
    code: "TOO_MANY_CONTACTS",
    check: (reply, _vars, target) => {
      expect(reply.body.error.details).toEqual({ max: 1000, received: 1001 });
      expect(target.backend.store.contacts).toHaveLength(0);
    },
  },
  {
    name: "refuses an undefined attribute, all or nothing",
    setup: defineAll,
    request: () => ({
      method: "POST",
      path: "/v1/contacts",
      headers: server(),
      body: {
        users: [
          { external_id: "ok_one" },
          { external_id: "user_1", custom_attributes: { favourite_colour: "red" } },
        ],
      },
    }),
    status: 422,
    code: "UNKNOWN_ATTRIBUTE",
    check: (reply, _vars, target) => {
      expect(reply.body.error.details).toEqual({ index: 1, attribute: "favourite_colour" });
      expect(target.backend.store.contacts).toHaveLength(0);
    },
  },
  ...(
    [
      ["a number for a text attribute", { plan: 3 }],
      ["a string for a number attribute", { seats: "5" }],
      ["a string for a boolean attribute", { active: "yes" }],
      ["a non-date for a date attribute", { renews_on: "next tuesday" }],
    ] as const
  ).map(([what, attributes]): Case => ({
    name: `refuses ${what}`,
    setup: defineAll,
    request: () => ({
      method: "POST",
      path: "/v1/contacts",
      headers: server(),
      body: { users: [{ external_id: "user_1", custom_attributes: attributes }] },
    }),
    status: 422,
    code: "ATTRIBUTE_TYPE_MISMATCH",
  })),
  {
    name: "400 for an invalid external_id",
    request: () => ({
      method: "POST",
      path: "/v1/contacts",
      headers: server(),
      body: { users: [{ external_id: "a b" }] },
    }),
    status: 400,
    code: "INVALID_USER_ID",
  },
  {
    name: "400 for wrong types in an entry",
    request: () => ({
      method: "POST",
      path: "/v1/contacts",
      headers: server(),
      body: {
        users: [{ external_id: 1, email: 2, custom_attributes: { plan: { deep: true } } }, "x"],
      },
    }),
    status: 400,
    code: "VALIDATION_FAILED",
    check: (reply) =>
      expect(reply.body.error.details.issues.map((issue: { path: string }) => issue.path)).toEqual([
        "users[0].external_id",
        "users[0].email",
        "users[0].custom_attributes.plan",
        "users[1]",
      ]),
  },
  {
    name: "400 without a users array",
    request: () => ({
      method: "POST",
      path: "/v1/contacts",
      headers: server(),
      body: { users: {} },
    }),
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "401 from a browser",
    request: () => ({
      method: "POST",
      path: "/v1/contacts",
      headers: browser(),
      body: { users: [] },
    }),
    status: 401,
    code: "UNAUTHORIZED",
  },
  {
    name: "403 for a user-scoped caller",
    setup: async (target) => ({ alice: await createUser(target) }),
    request: (vars) => ({
      method: "POST",
      path: "/v1/contacts",
      headers: server(vars.alice.token),
      body: { users: [] },
    }),
    status: 403,
    code: "SCOPE_DENIED",
  },
];

const getContactCases: Case[] = [
  {
    name: "reads a contact",
    setup: async (target) => {
      await target.call("POST", "/v1/contacts", {
        headers: server(),
        body: { users: [{ external_id: "user_1", email: "a@x.com" }] },
      });
      return {};
    },
    request: () => ({ method: "GET", path: "/v1/contacts/user_1", headers: server() }),
    status: 200,
    check: (reply) =>
      expect(reply.body).toMatchObject({
        external_id: "user_1",
        email: "a@x.com",
        custom_attributes: {},
      }),
  },
  {
    name: "404 for a missing contact",
    request: () => ({ method: "GET", path: "/v1/contacts/nobody", headers: server() }),
    status: 404,
    code: "NOT_FOUND",
  },
  {
    name: "400 for an invalid external_id",
    request: () => ({ method: "GET", path: "/v1/contacts/a%20b", headers: server() }),
    status: 400,
    code: "INVALID_USER_ID",
  },
];

const attributeCases: Case[] = [
  {
    name: "defines an attribute",
    request: () => ({
      method: "POST",
      path: "/v1/attributes",
      headers: server(),
      body: { name: "plan", type: "text" },
    }),
    status: 201,
    check: (reply) =>
      expect(reply.body).toEqual({ name: "plan", type: "text", created_at: expect.any(String) }),
  },
  {
    name: "answers 200 for the same definition again",
    setup: async (target) => ({ first: await define(target, "plan", "text") }),
    request: () => ({
      method: "POST",
      path: "/v1/attributes",
      headers: server(),
      body: { name: "plan", type: "text" },
    }),
    status: 200,
    check: (reply, vars) => expect(reply.body).toEqual(vars.first),
  },
  {
    name: "never changes a definition's type",
    setup: async (target) => define(target, "plan", "text"),
    request: () => ({
      method: "POST",
      path: "/v1/attributes",
      headers: server(),
      body: { name: "plan", type: "number" },
    }),
    status: 409,
    code: "ATTRIBUTE_TYPE_IMMUTABLE",
    check: (_reply, _vars, target) =>
      expect(target.backend.store.getAttribute("plan")?.type).toBe("text"),
  },
  {
    name: "400 for an unknown type",
    request: () => ({
      method: "POST",
      path: "/v1/attributes",
      headers: server(),
      body: { name: "plan", type: "json" },
    }),
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "400 for a bad name",
    request: () => ({
      method: "POST",
      path: "/v1/attributes",
      headers: server(),
      body: { name: "9 lives", type: "text" },
    }),
    status: 400,
    code: "VALIDATION_FAILED",
  },
  {
    name: "lists the definitions",
    setup: defineAll,
    request: () => ({ method: "GET", path: "/v1/attributes", headers: server() }),
    status: 200,
    check: (reply) =>
      expect(reply.body.attributes.map((item: { name: string }) => item.name)).toEqual([
        "plan",
        "seats",
        "active",
        "renews_on",
      ]),
  },
  {
    name: "401 without the API key",
    request: () => ({ method: "GET", path: "/v1/attributes" }),
    status: 401,
    code: "UNAUTHORIZED",
  },
];

describe.each(TRANSPORTS)("contacts and attributes over %s", (transport) => {
  const target = useTarget(transport);
  describe("POST /v1/contacts", () => runCases(target, upsertCases));
  describe("GET /v1/contacts/{externalId}", () => runCases(target, getContactCases));
  describe("/v1/attributes", () => runCases(target, attributeCases));
});
