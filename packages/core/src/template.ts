import { DEV, fail } from "./errors";

/**
 * Where a rendered value lands, which decides how it is escaped:
 * - `text`: as is (chat messages; the widget renders text, not HTML);
 * - `url`: percent-encoded with encodeURIComponent (path or query parts);
 * - `header`: as is, but a value holding CR, LF or NUL is refused (header injection);
 * - `html`: &, <, >, " and ' escaped.
 */
export type TemplateContext = "text" | "url" | "header" | "html";

/** What templates read: `{{userId}}`, `{{visitorId}}`, `{{userMetadata.a.b}}`. */
export interface TemplateData {
  userId?: string | null;
  visitorId?: string | null;
  userMetadata?: Record<string, unknown> | null;
}

/** One piece of a compiled template: literal text, or a placeholder's path (`["userMetadata", "name"]`). */
export type TemplatePart = string | readonly string[];

/** A parsed template: literal strings and placeholder paths, in order. */
export interface CompiledTemplate {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
}

// `\w` is [A-Za-z0-9_]: a path is dot-separated names of letters, digits, `_`, `$` and `-`.
const PLACEHOLDER = /\{\{\s*([\w$-]+(?:\.[\w$-]+)*)\s*\}\}/;
const CACHE_LIMIT = 500;
// Compiled templates are reused across renders; the Map keeps insertion order, so deleting the
// first key evicts the oldest entry once the cache is full.
const cache = new Map<string, CompiledTemplate>();

/** Parses a template once; later calls with the same source return the same object. */
export function compileTemplate(source: string): CompiledTemplate {
  if (typeof source !== "string") {
    throw fail(
      "INVALID_TEMPLATE",
      DEV && `A template must be a string, not ${source === null ? "null" : typeof source}.`,
    );
  }
  const cached = cache.get(source);
  if (cached) return cached;
  // Splitting on a pattern with one capture group alternates literal text (even indexes) and
  // placeholder paths (odd ones); empty literals, between adjacent placeholders, are dropped.
  const parts: TemplatePart[] = source
    .split(PLACEHOLDER)
    .map((piece, index) => (index % 2 ? Object.freeze(piece.split(".")) : piece))
    .filter((part) => part.length > 0);
  const compiled: CompiledTemplate = Object.freeze({ source, parts: Object.freeze(parts) });
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(source, compiled);
  return compiled;
}

/** The text a placeholder's path renders to: "" when any step is missing. */
function textAt(data: TemplateData, path: readonly string[]): string {
  let value: unknown = data;
  for (const segment of path) {
    // Own properties only: `{{userMetadata.constructor}}` must not reach Object.prototype.
    if (
      value === null ||
      typeof value !== "object" ||
      !Object.prototype.hasOwnProperty.call(value, segment)
    )
      return "";
    value = (value as Record<string, unknown>)[segment];
  }
  // Missing values render empty; so do functions and symbols (nothing a template should print).
  if (value == null || typeof value === "function" || typeof value === "symbol") return "";
  // Objects and arrays print as JSON, or empty if they cannot (circular, BigInt inside).
  try {
    return typeof value === "object" ? (JSON.stringify(value) ?? "") : String(value);
  } catch {
    return "";
  }
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeFor(context: TemplateContext, value: string, path: readonly string[]): string {
  if (context === "url") return encodeURIComponent(value);
  if (context === "html") return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] as string);
  if (context === "header" && /[\r\n\0]/.test(value)) {
    throw fail(
      "UNSAFE_HEADER_VALUE",
      DEV &&
        `The value of {{${path.join(".")}}} contains a line break or NUL and cannot go into an HTTP header. Remove it from the identity.`,
      { details: { placeholder: path.join(".") } },
    );
  }
  // "text", and a header value free of CR, LF and NUL, go in as they are.
  return value;
}

/**
 * Renders `template` (a source string or a compiled template) from `data`. A missing value
 * renders as an empty string; the context decides escaping (see TemplateContext).
 */
export function renderTemplate(
  template: string | CompiledTemplate,
  data: TemplateData,
  context: TemplateContext = "text",
): string {
  const compiled = typeof template === "string" ? compileTemplate(template) : template;
  let out = "";
  for (const part of compiled.parts) {
    out += typeof part === "string" ? part : escapeFor(context, textAt(data, part), part);
  }
  return out;
}

/** Drops every cached compiled template (tests and long-running pages with many templates). */
export function clearTemplateCache(): void {
  cache.clear();
}
