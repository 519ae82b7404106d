import { setOwn } from "./copyJson";
import { DEV, fail } from "./errors";
import { renderTemplate } from "./template";
import type { TemplateData } from "./template";
import type { HttpTool, ResolvedHttpTool } from "./types";

const METHOD = /^[A-Za-z]+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function renderBody(value: unknown, data: TemplateData): unknown {
  if (typeof value === "string") return renderTemplate(value, data, "text");
  if (Array.isArray(value)) return value.map((item) => renderBody(item, data));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) setOwn(out, key, renderBody(child, data));
    return out;
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
  let body: string | undefined;
  if (typeof tool.httpBody === "string") body = renderTemplate(tool.httpBody, data, "text");
  else if (tool.httpBody !== undefined) body = JSON.stringify(renderBody(tool.httpBody, data));
  return { url: renderTemplate(tool.httpUrl, data, "url"), method, headers, body };
}
