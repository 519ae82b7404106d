import { DEV, fail } from "./errors";
import { UNSAFE_HEADER_TEXT, renderTemplate } from "./template";
import type { TemplateContext, TemplateData } from "./template";
import type { HttpTool, ResolvedHttpTool } from "./types";

// Tested on the upper-cased method. CONNECT opens a tunnel and TRACE/TRACK echo the request
// (credentials included): no tool needs them.
const METHOD = /^[A-Z]+$/;
const REFUSED_METHOD = /^(?:CONNECT|TRACE|TRACK)$/;
// An RFC 9110 token (`\w` is [A-Za-z0-9_]).
const HEADER_NAME = /^[\w!#$%&'*+.^`|~-]+$/;

/** How a string body's values are escaped: by its Content-Type, or JSON when it looks like JSON. */
function bodyContext(headers: Record<string, string>, body: string): TemplateContext {
  const type = Object.entries(headers).find(([name]) => name.toLowerCase() === "content-type")?.[1];
  if (type === undefined) return /^\s*[{[]/.test(body) ? "json" : "text";
  if (/json/i.test(type)) return "json";
  return /x-www-form-urlencoded/i.test(type) ? "url" : "text";
}

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
 * may need the user's auth token). URL values are percent-encoded and `.`/`..` path values refused
 * (UNSAFE_URL_VALUE); a header value with a control character or text outside Latin-1 throws
 * UNSAFE_HEADER_VALUE; CONNECT, TRACE and TRACK are refused; a string body is escaped for its
 * Content-Type (JSON-escaped for JSON, or when it starts with `{`/`[` and no type is set,
 * percent-encoded for a form); an object body has its string leaves rendered and is serialised to
 * JSON. Either way a value can never add a field.
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
  if (!METHOD.test(method) || REFUSED_METHOD.test(method))
    throw fail(
      "INVALID_ARGUMENT",
      DEV &&
        `httpMethod "${tool.httpMethod}" is not an HTTP method a tool may use: use GET, POST, PUT, PATCH or DELETE (CONNECT, TRACE and TRACK are refused).`,
      { details: { method } },
    );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(tool.httpHeaders ?? {})) {
    if (!HEADER_NAME.test(name))
      throw fail("UNSAFE_HEADER_VALUE", DEV && `"${name}" is not a valid HTTP header name.`);
    const rendered = renderTemplate(String(value), data, "header");
    // The template's own text too: fetch would throw a TypeError on it later.
    if (UNSAFE_HEADER_TEXT.test(rendered))
      throw fail(
        "UNSAFE_HEADER_VALUE",
        DEV && `The "${name}" header holds a control character or text outside Latin-1.`,
        { details: { header: name } },
      );
    headers[name] = rendered;
  }
  // A string body is rendered escaped for its content type (JSON-escaped in a JSON body); anything
  // else is sent as the JSON of its rendered copy.
  const body =
    typeof tool.httpBody === "string"
      ? renderTemplate(tool.httpBody, data, bodyContext(headers, tool.httpBody))
      : renderBody(tool.httpBody, data);
  return {
    url: renderTemplate(tool.httpUrl, data, "url"),
    method,
    headers,
    body: typeof body === "string" || body === undefined ? body : JSON.stringify(body),
  };
}
