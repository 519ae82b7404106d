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

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+)*)\s*\}\}/g;
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
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    const index = match.index;
    if (index > last) parts.push(source.slice(last, index));
    parts.push(Object.freeze((match[1] as string).split(".")));
    last = index + match[0].length;
  }
  if (last < source.length) parts.push(source.slice(last));
  const compiled: CompiledTemplate = Object.freeze({ source, parts: Object.freeze(parts) });
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(source, compiled);
  return compiled;
}

function lookup(data: TemplateData, path: readonly string[]): unknown {
  let current: unknown = data;
  for (const segment of path) {
    // Own properties only: `{{userMetadata.constructor}}` must not reach Object.prototype.
    if (
      current === null ||
      typeof current !== "object" ||
      !Object.prototype.hasOwnProperty.call(current, segment)
    )
      return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function stringify(value: unknown): string {
  if (typeof value === "object" && value !== null) {
    try {
      return JSON.stringify(value) ?? "";
    } catch {
      return "";
    }
  }
  // Missing values render empty; so do functions and symbols (nothing a template should print).
  return value == null || typeof value === "function" || typeof value === "symbol"
    ? ""
    : String(value);
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeFor(context: TemplateContext, value: string, path: readonly string[]): string {
  switch (context) {
    case "url":
      return encodeURIComponent(value);
    case "html":
      return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] as string);
    case "header":
      if (/[\r\n\0]/.test(value)) {
        throw fail(
          "UNSAFE_HEADER_VALUE",
          DEV &&
            `The value of {{${path.join(".")}}} contains a line break or NUL and cannot go into an HTTP header. Remove it from the identity.`,
          { details: { placeholder: path.join(".") } },
        );
      }
      return value;
    default:
      return value;
  }
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
    out +=
      typeof part === "string" ? part : escapeFor(context, stringify(lookup(data, part)), part);
  }
  return out;
}

/** Drops every cached compiled template (tests and long-running pages with many templates). */
export function clearTemplateCache(): void {
  cache.clear();
}
