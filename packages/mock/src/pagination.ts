import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "@nametag/core";
import { validationFailed } from "./errors";

/** A validated page request: how many items, and where the previous page ended. */
export interface PageRequest {
  limit: number;
  cursor: string | undefined;
}

/** One page of a list and the cursor of the next page (`null` on the last one). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Where a page ended, as the cursor carries it. `list` names the list the cursor belongs to
 * (`m:<conversationId>`, `c:<ownerId or *>`), so a cursor of another list is refused, not
 * silently applied; `position`, `id` and `createdAt` locate the last item returned.
 */
export interface CursorPosition {
  list: string;
  position: number;
  id: string;
  createdAt: string;
}

const CURSOR_VERSION = 1;
const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,1024}$/;

/** Reads `?limit` and `?cursor`: 400 VALIDATION_FAILED for a limit outside 1..MAX_PAGE_LIMIT. */
export function readPageRequest(url: URL): PageRequest {
  const rawLimit = url.searchParams.get("limit");
  const rawCursor = url.searchParams.get("cursor");
  let limit = DEFAULT_PAGE_LIMIT;
  if (rawLimit !== null) {
    const parsed = /^\d{1,4}$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_PAGE_LIMIT) {
      throw validationFailed([
        {
          path: "limit",
          message: `must be a whole number from 1 to ${MAX_PAGE_LIMIT} (got ${JSON.stringify(rawLimit.slice(0, 40))}); leave it out for ${DEFAULT_PAGE_LIMIT}`,
        },
      ]);
    }
    limit = parsed;
  }
  if (rawCursor !== null && !CURSOR_PATTERN.test(rawCursor)) throw invalidCursor();
  return { limit, cursor: rawCursor ?? undefined };
}

export function encodeCursor(position: CursorPosition): string {
  const json = JSON.stringify([
    CURSOR_VERSION,
    position.list,
    position.position,
    position.id,
    position.createdAt,
  ]);
  return base64UrlEncode(json);
}

/** The position a cursor stands for, or 400 VALIDATION_FAILED when it is not one of `list`'s. */
export function decodeCursor(cursor: string, list: string): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(base64UrlDecode(cursor));
  } catch {
    throw invalidCursor();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 5 ||
    parsed[0] !== CURSOR_VERSION ||
    parsed[1] !== list ||
    typeof parsed[2] !== "number" ||
    !Number.isInteger(parsed[2]) ||
    parsed[2] < 0 ||
    typeof parsed[3] !== "string" ||
    typeof parsed[4] !== "string"
  ) {
    throw invalidCursor();
  }
  return { list, position: parsed[2], id: parsed[3], createdAt: parsed[4] };
}

export function invalidCursor() {
  return validationFailed([
    {
      path: "cursor",
      message:
        "is not a cursor of this list: pass the nextCursor of the previous page of the same list unchanged, or leave it out for the first page",
    },
  ]);
}

function base64UrlEncode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function base64UrlDecode(text: string): string {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(padded + "=".repeat((4 - (padded.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}
