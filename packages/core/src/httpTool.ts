import { DEV, fail } from "./errors";
import { renderTemplate } from "./template";
import type { TemplateData } from "./template";
import type { HttpTool, ResolvedHttpTool } from "./types";

// Tested on the upper-cased method.
const METHOD = /^[A-Z]+$/;
// An RFC 9110 token (`\w` is [A-Za-z0-9_]).
const HEADER_NAME = /^[\w!#$%&'*+.^`|~-]+$/;

function renderBody(value: unknown, data: TemplateData): unknown {
  if (typeof value === "string") return renderTemplate(value, data);
  if (Array.isArray(value)) return value.map((item) => renderBody(item, data));
  // Object.fromEntries defines own properties: a `__proto__` key stays data, never a prototype.
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, renderBody(child, data)]),
    );
  }
  return value;
}

/**
 * Substitutes an HTTP tool's placeholders from the FULL identity (sensitive fields included: a tool
 * may need the user's auth token). URL values are percent-encoded; a header value that would hold
 * CR, LF or NUL throws UNSAFE_HEADER_VALUE; an object body has its string leaves rendered and is
 * serialised to JSON, so a value can never break the JSON structure.
 */
export function resolveHttpTool(tool: HttpTool, data: TemplateData): ResolvedHttpTool {
  if (!tool || typeof tool !== "object" || typeof tool.httpUrl !== "string") {
    throw fail(
      "INVALID_ARGUMENT",
      DEV &&
        'resolveHttpTool() needs a tool with an httpUrl string, e.g. { httpUrl: "https://api.example.com/users/{{userId}}" }.',
    );
  }
  const method = (tool.httpMethod ?? "GET").toUpperCase();
  if (!METHOD.test(method))
    throw fail("INVALID_ARGUMENT", DEV && `httpMethod "${tool.httpMethod}" is not an HTTP method.`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(tool.httpHeaders ?? {})) {
    if (!HEADER_NAME.test(name))
      throw fail("UNSAFE_HEADER_VALUE", DEV && `"${name}" is not a valid HTTP header name.`);
    headers[name] = renderTemplate(String(value), data, "header");
  }
  // A string body is sent as rendered text, anything else as the JSON of its rendered copy.
  const body = renderBody(tool.httpBody, data);
  return {
    url: renderTemplate(tool.httpUrl, data, "url"),
    method,
    headers,
    body: typeof body === "string" || body === undefined ? body : JSON.stringify(body),
  };
}
