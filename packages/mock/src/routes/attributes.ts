import type { AttributeType } from "@nametag/core";
import type { Route } from "../context";
import { Issues, bodyObject } from "../validate";
import { assertAccountScope } from "./contacts";

const ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const ATTRIBUTE_TYPES: readonly string[] = ["text", "number", "boolean", "date"];

/** Custom attribute definitions: defined once, their type never changes. */
export const attributeRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/attributes",
    access: "server",
    handler({ body, caller, runtime }) {
      assertAccountScope(caller);
      const input = bodyObject(body);
      const issues = new Issues();
      if (typeof input.name !== "string" || !ATTRIBUTE_NAME.test(input.name)) {
        issues.add(
          "name",
          "is required: 1-64 characters, letters, digits and _, not starting with a digit",
        );
      }
      if (typeof input.type !== "string" || !ATTRIBUTE_TYPES.includes(input.type)) {
        issues.add("type", `is required: one of ${ATTRIBUTE_TYPES.join(", ")}`);
      }
      issues.throwIfAny();
      const { definition, created } = runtime.store.defineAttribute(
        input.name as string,
        input.type as AttributeType,
      );
      return { status: created ? 201 : 200, body: definition };
    },
  },
  {
    method: "GET",
    pattern: "/v1/attributes",
    access: "server",
    handler({ caller, runtime }) {
      assertAccountScope(caller);
      return { status: 200, body: { attributes: runtime.store.attributes } };
    },
  },
];
