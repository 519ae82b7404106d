import { readFileSync } from "node:fs";
import * as core from "@nametag/core";
import { describe, expect, it } from "vitest";
import {
  PROTOCOL_FILE,
  constantDrift,
  danglingRefs,
  driftBetween,
  loadSpec,
  typeScriptShapes,
} from "./openapiDrift";
import type { Spec } from "./openapiDrift";

const spec = loadSpec();
const protocolSource = readFileSync(PROTOCOL_FILE, "utf8");
const typescript = typeScriptShapes();
const pageQueryKeys = [...(typescript.get("PageQuery")?.properties.keys() ?? [])];

function mutated(change: (copy: Spec) => void): Spec {
  const copy = structuredClone(spec);
  change(copy);
  return copy;
}

function allDrift(document: Spec, shapes = typescript): string[] {
  return [...driftBetween(document, shapes), ...constantDrift(document, core, pageQueryKeys)];
}

/** `METHOD /path` of every endpoint, path parameters written `{}`. */
function specEndpoints(document: Spec): string[] {
  const methods = ["get", "post", "patch", "put", "delete"];
  return Object.entries(document.paths as Record<string, Record<string, unknown>>)
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => methods.includes(method))
        .map((method) => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, "{}")}`),
    )
    .sort();
}

describe("openapi.yaml and @nametag/core's wire types", () => {
  it("agree: every wire type, property, optionality, constant and header", () => {
    expect(typescript.size).toBeGreaterThan(30);
    expect(allDrift(spec)).toEqual([]);
  });

  it("has no dangling $ref and is OpenAPI 3.1", () => {
    expect(spec.openapi).toBe("3.1.0");
    expect(danglingRefs(spec)).toEqual([]);
  });

  it("describes exactly the endpoints API.md documents", () => {
    const markdown = readFileSync(new URL("../../API.md", import.meta.url), "utf8");
    const documented = [
      ...markdown.matchAll(/^### `(GET|POST|PATCH|PUT|DELETE) (\/v1\/[^`]*)`/gm),
    ].map(([, method, path]) => `${method} ${(path as string).replace(/\{[^}]+\}/g, "{}")}`);
    expect([...new Set(documented)].sort()).toEqual(specEndpoints(spec));
    expect(markdown).toContain("[`openapi.yaml`](./openapi.yaml)");
  });

  it("gives every operation x-request-id on every response and the error envelope on every error", () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries(spec.paths as Record<string, Record<string, Spec>>)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [status, response] of Object.entries(
          operation.responses as Record<string, Spec>,
        )) {
          const resolved = response.$ref
            ? spec.components.responses[response.$ref.split("/").pop()]
            : response;
          if (!resolved.headers?.["x-request-id"])
            problems.push(`${method} ${path} ${status}: no x-request-id`);
          const schema = resolved.content?.["application/json"]?.schema;
          if (Number(status) >= 400 && schema?.$ref !== "#/components/schemas/ErrorEnvelope")
            problems.push(`${method} ${path} ${status}: not the error envelope`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("is shipped in the package: files and the ./openapi.yaml export", () => {
    const manifest = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    );
    expect(manifest.files).toContain("openapi.yaml");
    expect(manifest.exports["./openapi.yaml"]).toBe("./openapi.yaml");
  });
});

describe("the drift check fails on any drift", () => {
  const specMutations: [string, (copy: Spec) => void, string][] = [
    [
      "a property the spec lost",
      (copy) => delete copy.components.schemas.Conversation.properties.updatedAt,
      "Conversation.updatedAt: in protocol.ts, not in openapi.yaml",
    ],
    [
      "a property only the spec has",
      (copy) => (copy.components.schemas.Message.properties.seen = { type: "boolean" }),
      "Message.seen: in openapi.yaml, not in protocol.ts",
    ],
    [
      "a nullable that became required-only",
      (copy) => (copy.components.schemas.MessageList.properties.nextCursor = { type: "string" }),
      "MessageList.nextCursor: protocol.ts null|string ≠ openapi.yaml string",
    ],
    [
      "a required property made optional",
      (copy) => (copy.components.schemas.ConversationList.required = ["conversations"]),
      "ConversationList.nextCursor: protocol.ts null|string ≠ openapi.yaml ?null|string",
    ],
    [
      "an enum value added",
      (copy) => copy.components.schemas.MessageRole.enum.push("system"),
      'MessageRole: protocol.ts "agent"|"user" ≠ openapi.yaml "agent"|"system"|"user"',
    ],
    [
      "an error code dropped",
      (copy) => copy.components.schemas.BackendErrorCode.enum.pop(),
      "BackendErrorCode: protocol.ts",
    ],
    [
      "a ref to the wrong type",
      (copy) =>
        (copy.components.schemas.SendMessageResponse.properties.reply = {
          $ref: "#/components/schemas/Conversation",
        }),
      "SendMessageResponse.reply: protocol.ts ref:Message ≠ openapi.yaml ref:Conversation",
    ],
    [
      "a nested field's type",
      (copy) =>
        (copy.components.schemas.DeleteUserResponse.properties.deleted.properties.messages = {
          type: "string",
        }),
      "DeleteUserResponse.deleted: protocol.ts {contacts:number,conversations:number,messages:number} ≠ openapi.yaml {contacts:number,conversations:number,messages:string}",
    ],
    [
      "a schema removed",
      (copy) => delete copy.components.schemas.AttributeList,
      "AttributeList: exported by protocol.ts but not in openapi.yaml components.schemas",
    ],
    [
      "the page maximum",
      (copy) => (copy.components.parameters.Limit.schema.maximum = 200),
      "limit maximum: openapi.yaml 200 ≠ core 100",
    ],
    [
      "the user id pattern",
      (copy) => (copy.components.schemas.UserIdString.pattern = "^.{1,256}$"),
      "user id pattern: openapi.yaml",
    ],
    [
      "a header removed",
      (copy) => (copy.components.parameters.IdempotencyKey.name = "X-Idempotency-Key"),
      "HEADERS.idempotencyKey (idempotency-key) is not in openapi.yaml",
    ],
  ];

  it.each(specMutations)("spec side: %s", (_name, change, expected) => {
    const drift = allDrift(mutated(change));
    expect(
      drift.some((problem) => problem.startsWith(expected)),
      drift.join("\n"),
    ).toBe(true);
  });

  const sourceMutations: [string, string, string, string][] = [
    [
      "a field's type",
      "  text: string;\n}",
      "  text: number;\n}",
      "SendMessageRequest.text: protocol.ts number ≠ openapi.yaml string",
    ],
    [
      "an optional field made required",
      "  labels?: string[];\n  /** The agent",
      "  labels: string[];\n  /** The agent",
      "LinkRequest.labels: protocol.ts string[] ≠ openapi.yaml ?string[]",
    ],
    [
      "a new wire type",
      "/** Claims of an identity token",
      "export interface Receipt { id: string }\n/** Claims of an identity token",
      "Receipt: exported by protocol.ts but not in openapi.yaml components.schemas",
    ],
    [
      "a field removed",
      "  nextCursor: string | null;\n}\n\n/** `GET /v1/conversations/{id}/messages`",
      "}\n\n/** `GET /v1/conversations/{id}/messages`",
      "ConversationList.nextCursor: in openapi.yaml, not in protocol.ts",
    ],
  ];

  it.each(sourceMutations)("TypeScript side: %s", (_name, from, to, expected) => {
    expect(protocolSource).toContain(from);
    const drift = allDrift(spec, typeScriptShapes(protocolSource.replace(from, to)));
    expect(
      drift.some((problem) => problem.startsWith(expected)),
      drift.join("\n"),
    ).toBe(true);
  });
});
