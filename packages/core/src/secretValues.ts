import { hasSensitiveWord, normalizeKey } from "./sensitiveWords";

/**
 * Why the sanitizer removed something: its key (`"key"`), the shape of its string value (a JWT,
 * an `Authorization` credential, a PEM private key, a Luhn-valid card number, a well-known API key
 * shape, a URL carrying a secret), or because it could not be read safely (`"unreadable"`: a
 * throwing getter or Proxy trap; `"too-deep"`: nested past MAX_METADATA_DEPTH).
 */
export type RemovalReason =
  | "key"
  | "jwt"
  | "authorization"
  | "private-key"
  | "card-number"
  | "api-key"
  | "url"
  | "unreadable"
  | "too-deep";

// Anchored, so a value fails at its first characters; tested only after the cheap checks below.
const JWT = /^eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*$/;
const BEARER = /^bearer\s+[\w~+/.=-]{8,}$/i;
const BASIC = /^basic\s+([a-z\d+/]{6,}={0,2})$/i;
const CARD = /^[2-6]\d{3}(?:[ -]?\d){9,15}$/;
const KEY_SHAPE =
  /^(?:(?:[rs]k_(?:live|test)|whsec|gh[pousr]|github_pat|npm|shp(?:at|ca|pa|ss))_|(?:xox[abeprs]|glpat|sk(?:-proj|-ant)?)-)[\w-]{12,}$|^A[KS]IA[A-Z\d]{16}$|^AIza[\w-]{35}$/;
// A URL: a scheme and "://", then a password (`postgres://user:pass@host`, a DSN) or parameters.
const URL = /^[a-z][\w+.-]*:\/\/(?:[^/?#@\s:]*:[^/?#@\s]+@)?/i;
const PARAMETER = /[?&#;]([^?&#;=]+)=[^&#;]/g;

/** Luhn checksum over the digits of `value` (separators ignored). */
function luhn(value: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = value.length; index--;) {
    let digit = value.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) continue;
    if (double && (digit *= 2) > 9) digit -= 9;
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * The reason a string value is a secret whatever its key, or `undefined`. Cheap length and
 * first-character tests come before any RegExp: most values are short, plain text.
 */
export function detectSecretValue(value: string): RemovalReason | undefined {
  const length = value.length;
  if (length < 10) return;
  const first = value[0] as string;
  // Digits 2-6: the card networks' first digits (a 13-digit epoch-ms timestamp starts with 1).
  if (first >= "2" && first <= "6")
    return length < 24 && CARD.test(value) && luhn(value) ? "card-number" : undefined;
  // Anchored RegExps: each fails at the first character that does not fit.
  if (JWT.test(value)) return "jwt";
  if (BEARER.test(value)) return "authorization";
  // "Basic <base64 of user:password>", not "Basic plan for teams": the decoded text has a ":".
  try {
    if (atob(BASIC.exec(value)?.[1] ?? "").includes(":")) return "authorization";
  } catch {
    // Not base64 after all, or no atob.
  }
  // A PEM private key, also inside a longer text (a pasted config).
  if ((first === "-" || length > 60) && value.includes("PRIVATE KEY-----")) return "private-key";
  if (KEY_SHAPE.test(value)) return "api-key";
  const url = URL.exec(value);
  if (url) {
    if (url[0].endsWith("@")) return "url";
    // A parameter with a sensitive name: `?api_key=`, `#access_token=`, `&sig=`.
    for (const [, name] of value.matchAll(PARAMETER)) {
      let words = name as string;
      try {
        words = decodeURIComponent(words);
      } catch {
        // A malformed escape: match the raw name.
      }
      words = normalizeKey(words);
      if (words === "sig" || words === "key" || hasSensitiveWord(words)) return "url";
    }
  }
}
