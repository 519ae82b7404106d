import type { BrowserRouteName } from "./browserRoutes";

/**
 * Rebuilds a backend response body from the fields the contract defines for a browser route, and
 * nothing else: a field the contract does not name (a user's `token`, an echoed API key or
 * cookie) is never copied, whatever its value. `null` means the body is not the contract's shape.
 * No value is searched or redacted, so a message that happens to contain a secret comes back
 * verbatim and reveals nothing about which strings are secret.
 */
export function shapeBrowserResponse(route: BrowserRouteName, body: unknown): unknown {
  switch (route) {
    case "link":
      return pick(body, {
        userId: isString,
        visitorId: isString,
        linkedConversationIds: arrayOf(isString),
        labels: arrayOf(isString),
        assignedAgent: isStringOrNull,
      });
    case "updateMetadata":
      return pick(body, { userId: isString, userMetadata: isPlainObject });
    case "listConversations":
      return list(body, "conversations", conversation);
    case "createConversation":
    case "getConversation":
      return conversation(body);
    case "listMessages":
      return list(body, "messages", message);
    case "sendMessage": {
      if (!isPlainObject(body)) return null;
      const sent = message(body.message);
      const reply = message(body.reply);
      return sent === null || reply === null ? null : { message: sent, reply };
    }
  }
}

/** The error envelope with a safe `code`, the message, and `details` of JSON primitives only. */
export function shapeErrorEnvelope(
  body: unknown,
): { error: { code: string; message: string; details?: Record<string, unknown> } } | null {
  if (!isPlainObject(body) || !isPlainObject(body.error)) return null;
  const { code, message, details } = body.error;
  if (typeof code !== "string" || !/^[A-Z][A-Z0-9_]{0,63}$/.test(code)) return null;
  if (typeof message !== "string") return null;
  const error: { code: string; message: string; details?: Record<string, unknown> } = {
    code,
    message: message.slice(0, 2000),
  };
  if (isPlainObject(details)) {
    const safe: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(details).slice(0, 32)) {
      if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(key)) continue;
      if (isPrimitive(value)) safe[key] = value;
      else if (Array.isArray(value) && value.length <= 100 && value.every(isPrimitive))
        safe[key] = [...value];
    }
    error.details = safe;
  }
  return { error };
}

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === "string";
const isStringOrNull: Check = (value) => value === null || typeof value === "string";
const arrayOf =
  (item: Check): Check =>
  (value) =>
    Array.isArray(value) && value.every(item);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPrimitive(value: unknown): boolean {
  return (
    value === null ||
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

/** A fresh object with exactly `fields`, each checked, or `null` when one is missing or wrong. */
function pick(value: unknown, fields: Record<string, Check>): Record<string, unknown> | null {
  if (!isPlainObject(value)) return null;
  const out: Record<string, unknown> = {};
  for (const [name, check] of Object.entries(fields)) {
    if (!Object.prototype.hasOwnProperty.call(value, name) || !check(value[name])) return null;
    out[name] = value[name];
  }
  return out;
}

function conversation(value: unknown): Record<string, unknown> | null {
  return pick(value, {
    id: isString,
    agent: isString,
    userId: isString,
    createdAt: isString,
    updatedAt: isString,
  });
}

function message(value: unknown): Record<string, unknown> | null {
  return pick(value, {
    id: isString,
    conversationId: isString,
    role: (role) => role === "user" || role === "agent",
    text: isString,
    createdAt: isString,
  });
}

/** `{ [key]: items, nextCursor? }`: every item shaped, `nextCursor` a string or `null` if present. */
function list(
  value: unknown,
  key: "conversations" | "messages",
  item: (value: unknown) => Record<string, unknown> | null,
): Record<string, unknown> | null {
  if (!isPlainObject(value) || !Array.isArray(value[key])) return null;
  const items: Record<string, unknown>[] = [];
  for (const entry of value[key] as unknown[]) {
    const shaped = item(entry);
    if (shaped === null) return null;
    items.push(shaped);
  }
  const out: Record<string, unknown> = { [key]: items };
  if (Object.prototype.hasOwnProperty.call(value, "nextCursor")) {
    if (!isStringOrNull(value.nextCursor)) return null;
    out.nextCursor = value.nextCursor;
  }
  return out;
}
