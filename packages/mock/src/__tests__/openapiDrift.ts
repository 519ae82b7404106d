// The drift check between packages/mock/openapi.yaml and @nametag/core's wire types
// (packages/core/src/protocol.ts): both sides are reduced to one canonical shape per type and
// property ("string|null", "ref:Message[]", "{contacts:number,...}") and every difference is listed.
// It reads the TypeScript through the compiler's type checker, so aliases, `extends` and unions
// are resolved as tsc resolves them, not by reading the text.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { parse } from "yaml";

export const SPEC_FILE = fileURLToPath(new URL("../../openapi.yaml", import.meta.url));
export const PROTOCOL_FILE = fileURLToPath(
  new URL("../../../core/src/protocol.ts", import.meta.url),
);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an OpenAPI document is untyped JSON
export type Spec = any;

/** A type as both sides are compared: its properties (objects) or its shape (aliases). */
export interface Shape {
  kind: "object" | "alias";
  /** property → `?` prefix when optional, then the canonical shape. */
  properties: Map<string, string>;
  shape: string;
}

/** Schemas that exist only in the spec (reusable pieces with no TS counterpart of their own). */
export const SPEC_ONLY = new Set(["UserIdString", "SensitivePaths"]);
/** TS types that are not bodies: checked against the spec's query parameters instead. */
export const TS_ONLY = new Set(["PageQuery"]);

export function loadSpec(file = SPEC_FILE): Spec {
  return parse(readFileSync(file, "utf8")) as Spec;
}

// ----- the spec side ---------------------------------------------------------------------------

function refName(ref: string): string {
  const prefix = "#/components/schemas/";
  if (!ref.startsWith(prefix)) throw new Error(`Unsupported $ref ${ref}`);
  return ref.slice(prefix.length);
}

function isObjectSchema(schema: Spec): boolean {
  return schema !== undefined && (schema.properties !== undefined || schema.allOf !== undefined);
}

function union(parts: string[]): string {
  const flat = new Set(parts.flatMap((part) => splitUnion(part)));
  // A string-literal union widened with `string` (an open enum) is just `string` on the wire.
  if (flat.has("string")) for (const part of [...flat]) if (part.startsWith('"')) flat.delete(part);
  return [...flat].sort().join("|");
}

function splitUnion(shape: string): string[] {
  let depth = 0;
  let start = 0;
  const parts: string[] = [];
  for (let index = 0; index < shape.length; index += 1) {
    const char = shape[index];
    if (char === "{" || char === "(") depth += 1;
    else if (char === "}" || char === ")") depth -= 1;
    else if (char === "|" && depth === 0) {
      parts.push(shape.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(shape.slice(start));
  return parts;
}

function arrayOf(element: string): string {
  return element.includes("|") ? `(${element})[]` : `${element}[]`;
}

function objectShape(properties: Map<string, string>): string {
  return `{${[...properties].map(([name, shape]) => `${name}:${shape}`).join(",")}}`;
}

export function specSchemaShape(spec: Spec, schema: Spec, named = false): string {
  if (schema.$ref !== undefined) {
    const name = refName(schema.$ref);
    const target = spec.components.schemas[name];
    if (target === undefined) throw new Error(`$ref ${schema.$ref} does not resolve`);
    return isObjectSchema(target) ? `ref:${name}` : specSchemaShape(spec, target);
  }
  if (!named && isObjectSchema(schema)) return objectShape(specProperties(spec, schema));
  if (schema.oneOf !== undefined || schema.anyOf !== undefined)
    return union((schema.oneOf ?? schema.anyOf).map((item: Spec) => specSchemaShape(spec, item)));
  if (schema.enum !== undefined)
    return union(schema.enum.map((value: unknown) => JSON.stringify(value)));
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
  return union(
    types.map((type) => {
      switch (type) {
        case "string":
        case "boolean":
        case "null":
          return type;
        case "integer":
        case "number":
          return "number";
        case "array":
          return arrayOf(specSchemaShape(spec, schema.items));
        case "object": {
          const values = schema.additionalProperties;
          if (values === undefined || values === true) return "map:unknown";
          return `map:${specSchemaShape(spec, values)}`;
        }
        default:
          throw new Error(`Unsupported schema type ${JSON.stringify(type)}`);
      }
    }),
  );
}

function specProperties(spec: Spec, schema: Spec): Map<string, string> {
  const result = new Map<string, string>();
  const parts: Spec[] = schema.allOf ?? [schema];
  for (const part of parts) {
    const resolved = part.$ref ? spec.components.schemas[refName(part.$ref)] : part;
    if (resolved.allOf) {
      for (const [name, shape] of specProperties(spec, resolved)) result.set(name, shape);
      continue;
    }
    const required = new Set<string>(resolved.required ?? []);
    for (const [name, property] of Object.entries(resolved.properties ?? {}))
      result.set(name, `${required.has(name) ? "" : "?"}${specSchemaShape(spec, property)}`);
  }
  return new Map([...result].sort(([a], [b]) => a.localeCompare(b)));
}

export function specShapes(spec: Spec): Map<string, Shape> {
  const shapes = new Map<string, Shape>();
  for (const [name, schema] of Object.entries(spec.components.schemas as Record<string, Spec>)) {
    if (isObjectSchema(schema)) {
      const properties = specProperties(spec, schema);
      shapes.set(name, { kind: "object", properties, shape: objectShape(properties) });
    } else {
      shapes.set(name, {
        kind: "alias",
        properties: new Map(),
        shape: specSchemaShape(spec, schema, true),
      });
    }
  }
  return shapes;
}

// ----- the TypeScript side ---------------------------------------------------------------------

/** The exported interfaces and type aliases of protocol.ts (or of `source`, its mutated copy). */
export function typeScriptShapes(source?: string): Map<string, Shape> {
  const fileName = PROTOCOL_FILE;
  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === fileName && source !== undefined
      ? ts.createSourceFile(name, source, version)
      : original(name, version, ...rest);
  const program = ts.createProgram([fileName], options, host);
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(fileName);
  if (!file) throw new Error(`Cannot read ${fileName}`);
  const interfaces = new Set<string>();
  ts.forEachChild(file, (node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.add(node.name.text);
  });

  const shapeOf = (type: ts.Type, top = false): string => {
    if (type.flags & ts.TypeFlags.Boolean || type.flags & ts.TypeFlags.BooleanLiteral)
      return "boolean";
    if (type.flags & ts.TypeFlags.String) return "string";
    if (type.flags & ts.TypeFlags.Number) return "number";
    if (type.flags & ts.TypeFlags.Null) return "null";
    if (type.flags & ts.TypeFlags.Unknown || type.flags & ts.TypeFlags.Any) return "unknown";
    if (type.isStringLiteral()) return JSON.stringify(type.value);
    if (type.isNumberLiteral()) return "number";
    if (type.isUnion())
      return union(
        type.types
          .filter((item) => !(item.flags & ts.TypeFlags.Undefined))
          .map((item) => shapeOf(item)),
      );
    if (type.isIntersection()) {
      // `string & {}` (an open string union) is a string on the wire.
      const primitive = type.types.find((item) => item.flags & ts.TypeFlags.String);
      if (primitive) return "string";
    }
    if (checker.isArrayType(type)) {
      const [element] = checker.getTypeArguments(type as ts.TypeReference);
      return arrayOf(shapeOf(element as ts.Type));
    }
    const symbol = type.getSymbol();
    if (!top && symbol && symbol.flags & ts.SymbolFlags.Interface && interfaces.has(symbol.name))
      return `ref:${symbol.name}`;
    const index = type.getStringIndexType();
    if (index && type.getProperties().length === 0) return `map:${shapeOf(index)}`;
    return objectShape(propertiesOf(type));
  };

  const propertiesOf = (type: ts.Type): Map<string, string> => {
    const result = new Map<string, string>();
    for (const property of type.getProperties()) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      const propertyType = checker.getTypeOfSymbolAtLocation(property, declaration ?? file);
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      result.set(property.name, `${optional ? "?" : ""}${shapeOf(propertyType)}`);
    }
    return new Map([...result].sort(([a], [b]) => a.localeCompare(b)));
  };

  const shapes = new Map<string, Shape>();
  ts.forEachChild(file, (node) => {
    const exported =
      (ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Export) !== 0;
    if (!exported) return;
    if (ts.isInterfaceDeclaration(node)) {
      const type = checker.getTypeAtLocation(node.name);
      const properties = propertiesOf(type);
      shapes.set(node.name.text, { kind: "object", properties, shape: objectShape(properties) });
    } else if (ts.isTypeAliasDeclaration(node)) {
      const type = checker.getTypeAtLocation(node.name);
      shapes.set(node.name.text, {
        kind: "alias",
        properties: new Map(),
        shape: shapeOf(type, true),
      });
    }
  });
  return shapes;
}

// ----- the comparison --------------------------------------------------------------------------

/** Every difference between the spec and the TS wire types; empty when they agree. */
export function driftBetween(spec: Spec, typescript: Map<string, Shape>): string[] {
  const problems: string[] = [];
  const schemas = specShapes(spec);
  for (const [name, tsShape] of typescript) {
    if (TS_ONLY.has(name)) continue;
    const specShape = schemas.get(name);
    if (!specShape) {
      problems.push(`${name}: exported by protocol.ts but not in openapi.yaml components.schemas`);
      continue;
    }
    if (tsShape.kind === "alias" || specShape.kind === "alias") {
      if (tsShape.shape !== specShape.shape)
        problems.push(`${name}: protocol.ts ${tsShape.shape} ≠ openapi.yaml ${specShape.shape}`);
      continue;
    }
    for (const [property, shape] of tsShape.properties) {
      const other = specShape.properties.get(property);
      if (other === undefined)
        problems.push(`${name}.${property}: in protocol.ts, not in openapi.yaml`);
      else if (other !== shape)
        problems.push(`${name}.${property}: protocol.ts ${shape} ≠ openapi.yaml ${other}`);
    }
    for (const property of specShape.properties.keys())
      if (!tsShape.properties.has(property))
        problems.push(`${name}.${property}: in openapi.yaml, not in protocol.ts`);
  }
  for (const name of schemas.keys())
    if (!typescript.has(name) && !SPEC_ONLY.has(name))
      problems.push(`${name}: in openapi.yaml components.schemas but not exported by protocol.ts`);
  return problems;
}

/** The contract's constants, as the spec states them and as core exports them. */
export function constantDrift(
  spec: Spec,
  core: {
    DEFAULT_PAGE_LIMIT: number;
    MAX_PAGE_LIMIT: number;
    MAX_SENSITIVE_PATHS: number;
    MAX_CONTACTS_PER_UPSERT: number;
    USER_ID_PATTERN: RegExp;
    VISITOR_ID_PATTERN: RegExp;
    HEADERS: Record<string, string>;
    PROXY_AUTH_SCHEME: string;
  },
  pageQueryKeys: string[],
): string[] {
  const problems: string[] = [];
  const check = (what: string, specValue: unknown, coreValue: unknown) => {
    if (specValue !== coreValue)
      problems.push(
        `${what}: openapi.yaml ${JSON.stringify(specValue)} ≠ core ${JSON.stringify(coreValue)}`,
      );
  };
  const { parameters, schemas, securitySchemes } = spec.components;
  check("limit default", parameters.Limit.schema.default, core.DEFAULT_PAGE_LIMIT);
  check("limit maximum", parameters.Limit.schema.maximum, core.MAX_PAGE_LIMIT);
  check("limit minimum", parameters.Limit.schema.minimum, 1);
  check("sensitivePaths maxItems", schemas.SensitivePaths.maxItems, core.MAX_SENSITIVE_PATHS);
  check(
    "contacts maxItems",
    schemas.UpsertContactsRequest.properties.users.maxItems,
    core.MAX_CONTACTS_PER_UPSERT,
  );
  check("user id pattern", schemas.UserIdString.pattern, core.USER_ID_PATTERN.source);
  check("visitor id pattern", parameters.VisitorId.schema.pattern, core.VISITOR_ID_PATTERN.source);
  check(
    "proxy scheme",
    /NametagProxy <apiKey>/.test(securitySchemes.proxyApiKey.description) ? "NametagProxy" : "?",
    core.PROXY_AUTH_SCHEME,
  );
  check(
    "page query",
    [parameters.Cursor.name, parameters.Limit.name].sort().join(","),
    [...pageQueryKeys].sort().join(","),
  );
  // Every header core names is in the spec: as a parameter, a response header or a security scheme.
  const named = new Set<string>();
  for (const parameter of Object.values(parameters as Record<string, Spec>))
    if (parameter.in === "header") named.add(String(parameter.name).toLowerCase());
  for (const scheme of Object.values(securitySchemes as Record<string, Spec>))
    if (scheme.in === "header") named.add(String(scheme.name).toLowerCase());
  for (const response of Object.values(spec.components.responses as Record<string, Spec>))
    for (const header of Object.keys(response.headers ?? {})) named.add(header.toLowerCase());
  for (const [key, header] of Object.entries(core.HEADERS))
    if (!named.has(header)) problems.push(`HEADERS.${key} (${header}) is not in openapi.yaml`);
  return problems;
}

/** `$ref`s that point nowhere. */
export function danglingRefs(spec: Spec): string[] {
  const missing: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        const path = value.replace(/^#\//, "").split("/");
        let target: Spec = spec;
        for (const part of path) target = target?.[part];
        if (target === undefined) missing.push(value);
      } else visit(value);
    }
  };
  visit(spec);
  return missing;
}
