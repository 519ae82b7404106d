import { DEV, fail } from "./errors";

/**
 * Where a rendered value lands, which decides how it is escaped:
 * - `text`: as is (chat messages; the widget renders text, not HTML);
 * - `url`: percent-encoded with encodeURIComponent (path or query parts); a value that is `.` or
 *   `..` at the start of a path segment is refused (UNSAFE_URL_VALUE): it would climb the path;
 * - `header`: as is, but a value holding a control character (CR, LF, NUL, tab…) or text outside
 *   Latin-1 is refused (UNSAFE_HEADER_VALUE): injection, or a TypeError from fetch;
 * - `html`: &, <, >, " and ' escaped;
 * - `json`: escaped as the inside of a JSON string, so a value cannot close the string and add a field.
 */
export type TemplateContext = "text" | "url" | "header" | "html" | "json";

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
// Compiled templates are reused across renders. The cache is bounded in count AND in source
// characters (a compiled template holds about its source again): 500 templates of 220 KB once held
// 834 MB. A template over CACHE_MAX_TEMPLATE is compiled every time, never kept.
const CACHE_LIMIT = 500;
const CACHE_MAX_CHARS = 1 << 20;
const CACHE_MAX_TEMPLATE = 1 << 16;
// The Map keeps insertion order, so deleting the first key evicts the oldest entry.
const cache = new Map<string, CompiledTemplate>();
let cachedChars = 0;

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
  if (source.length <= CACHE_MAX_TEMPLATE) {
    while (cache.size >= CACHE_LIMIT || cachedChars + source.length > CACHE_MAX_CHARS) {
      const oldest = cache.keys().next().value as string;
      cache.delete(oldest);
      cachedChars -= oldest.length;
    }
    cache.set(source, compiled);
    cachedChars += source.length;
  }
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

/** A control character (C0, DEL, C1) or anything past Latin-1: what an HTTP header value cannot hold. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it finds
export const UNSAFE_HEADER_TEXT = /[\0-\x1f\x7f-\x9f\u0100-\uffff]/;

function escapeFor(
  context: TemplateContext,
  value: string,
  path: readonly string[],
  inUrlPath: boolean,
): string {
  if (context === "url") {
    // encodeURIComponent keeps "." as is, and URL parsers read "." / ".." segments (even as %2e) as
    // "this" / "parent" directory: `users/{{userId}}/orders` with ".." would reach `/orders`.
    if (inUrlPath && (value === "." || value === "..")) {
      throw fail(
        "UNSAFE_URL_VALUE",
        DEV &&
          `The value of {{${path.join(".")}}} is "${value}", which would climb the URL path. Use a real id.`,
        { details: { placeholder: path.join(".") } },
      );
    }
    return encodeURIComponent(value);
  }
  if (context === "json") return JSON.stringify(value).slice(1, -1);
  if (context === "html") return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] as string);
  if (context === "header" && UNSAFE_HEADER_TEXT.test(value)) {
    throw fail(
      "UNSAFE_HEADER_VALUE",
      DEV &&
        `The value of {{${path.join(".")}}} contains a control character or text outside Latin-1 and cannot go into an HTTP header. Remove it from the identity, or send it in the body.`,
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
    // A value starts a URL path segment when the text so far is empty or ends with "/", before any
    // "?" or "#" (values are percent-encoded, so only literal text holds those). "a={{x}}" does not.
    const startsSegment = context === "url" && /^(?:[^?#]*\/)?$/.test(out);
    out +=
      typeof part === "string" ? part : escapeFor(context, textAt(data, part), part, startsSegment);
  }
  return out;
}

/** Drops every cached compiled template (tests and long-running pages with many templates). */
export function clearTemplateCache(): void {
  cache.clear();
  cachedChars = 0;
}
