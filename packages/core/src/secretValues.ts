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
const BASIC = /^basic\s+([A-Za-z0-9+/]{6,}={0,2})$/i;
const PRIVATE_KEY = /^-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const CARD = /^[2-6]\d{3}(?:[ -]?\d){9,15}$/;
const KEY_SHAPE =
  /^(?:(?:sk|rk)_(?:live|test)_|whsec_|gh[pousr]_|github_pat_|xox[abeprs]-|glpat-|npm_|shp(?:at|ca|pa|ss)_|sk-(?:proj-|ant-)?)[\w-]{12,}$|^(?:AKIA|ASIA)[A-Z0-9]{16}$|^AIza[\w-]{35}$/;
// A URL with a password in it (`postgres://user:pass@host`, a DSN).
const URL_PASSWORD = /^[a-z][\w+.-]*:\/\/[^/?#@\s:]*:[^/?#@\s]+@/i;

/** Luhn checksum over the digits of `value` (separators ignored). */
function luhn(value: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = value.length - 1; index >= 0; index--) {
    let digit = value.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) continue;
    if (double && (digit *= 2) > 9) digit -= 9;
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** A URL whose query or fragment has a parameter with a sensitive name (`?api_key=`, `#access_token=`, `&sig=`). */
function urlCarriesSecret(value: string): boolean {
  if (URL_PASSWORD.test(value)) return true;
  const start = value.search(/[?#]/);
  if (start < 0) return false;
  for (const pair of value.slice(start + 1).split(/[&;#?]/)) {
    const equals = pair.indexOf("=");
    if (equals <= 0 || equals === pair.length - 1) continue;
    let name = pair.slice(0, equals);
    try {
      name = decodeURIComponent(name.replace(/\+/g, " "));
    } catch {
      // A malformed escape: match the raw name.
    }
    const words = normalizeKey(name);
    if (words === "sig" || words === "key" || hasSensitiveWord(words)) return true;
  }
  return false;
}

/**
 * The reason a string value is a secret whatever its key, or `undefined`. Cheap length and
 * first-character tests come before any RegExp: most values are short, plain text.
 */
export function detectSecretValue(value: string): RemovalReason | undefined {
  const length = value.length;
  if (length < 10) return undefined;
  const first = value.charCodeAt(0);
  // Digits 2-6: the card networks' first digits (a 13-digit epoch-ms timestamp starts with 1).
  if (first >= 50 && first <= 54) {
    return length <= 23 && CARD.test(value) && luhn(value) ? "card-number" : undefined;
  }
  switch (first | 32) {
    case 101: // e
      if (JWT.test(value)) return "jwt";
      break;
    case 98: // b
      if (BEARER.test(value)) return "authorization";
      {
        // "Basic <base64 of user:password>", and not "Basic plan…": the decoded text has a ":".
        const basic = BASIC.exec(value);
        if (basic && typeof atob === "function") {
          try {
            if (atob(basic[1] as string).includes(":")) return "authorization";
          } catch {
            // Not base64 after all.
          }
        }
      }
      break;
  }
  // A PEM private key, also inside a longer text (a pasted config).
  if (
    (first === 45 && PRIVATE_KEY.test(value)) ||
    (length > 60 && value.includes("PRIVATE KEY-----"))
  )
    return "private-key";
  if ("srwgxnA".includes(value[0] as string) && KEY_SHAPE.test(value)) return "api-key";
  // A URL: a scheme, then "://".
  if (/^[a-z][\w+.-]*:\/\//i.test(value) && urlCarriesSecret(value)) return "url";
  return undefined;
}
