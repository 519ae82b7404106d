/**
 * fast-check generators for "a planted secret never reaches X": sensitive keys from the published
 * list written the ways people (and attackers) write them, secret-shaped values, innocent keys and
 * values, and metadata trees with one secret planted at any depth. Shared by the sanitizer,
 * template, forms and HTTP-tool properties (and by the engine's events / postMessage / storage
 * properties).
 */
import fc from "fast-check";
import { SENSITIVE_KEY_WORDS } from "../sanitize";

/** Keys the sanitizer must keep: they contain a sensitive word's letters, but not as a word. */
export const INNOCENT_KEYS: readonly string[] = [
  "author",
  "authority",
  "authorName",
  "secretary",
  "tokenizerVersion",
  "name",
  "email",
  "plan",
  "company",
  "role",
  "passenger",
  "passport",
  "compass",
  "spin",
  "pinned",
  "keyboard",
  "monkey",
  "shippingAddress",
  "sessionCount",
  "pipeline",
  "saltwaterAquarium",
  "cookbook",
  "accessLevel",
  "cardColor",
  "publicProfile",
  "isAuthenticated",
  "signupDate",
];

// Visual twins of Latin letters: Cyrillic and Greek (the sanitizer maps them back).
const LOOKALIKE: Record<string, string[]> = {
  a: ["\u0430", "\u03b1"],
  c: ["\u0441"],
  e: ["\u0435"],
  i: ["\u0456", "\u03b9"],
  j: ["\u0458"],
  k: ["\u043a", "\u03ba"],
  o: ["\u043e", "\u03bf"],
  p: ["\u0440", "\u03c1"],
  s: ["\u0455"],
  t: ["\u0442"],
  x: ["\u0445", "\u03c7"],
  y: ["\u0443"],
  A: ["\u0410", "\u0391"],
  B: ["\u0412", "\u0392"],
  C: ["\u0421"],
  E: ["\u0415", "\u0395"],
  H: ["\u041d", "\u0397"],
  I: ["\u0406", "\u0399"],
  K: ["\u041a", "\u039a"],
  M: ["\u041c", "\u039c"],
  O: ["\u041e", "\u039f"],
  P: ["\u0420", "\u03a1"],
  S: ["\u0405"],
  T: ["\u0422", "\u03a4"],
  X: ["\u0425", "\u03a7"],
};
// Invisible characters someone may slip into a key.
const INVISIBLE = ["\u200b", "\u00ad", "\u200c", "\u200d", "\u2060", "\ufeff"];

/** One published entry: its words, and whether it also matches at the end of a longer word. */
export const publishedEntries = SENSITIVE_KEY_WORDS.map((entry) => ({
  words: entry.replace(/^\*/, "").split(" "),
  compound: entry.startsWith("*"),
}));

const casing = fc.constantFrom("lower", "upper", "capital") as fc.Arbitrary<
  "lower" | "upper" | "capital"
>;
const applyCase = (word: string, style: "lower" | "upper" | "capital") =>
  style === "upper"
    ? word.toUpperCase()
    : style === "capital"
      ? word.charAt(0).toUpperCase() + word.slice(1)
      : word;

/** Disguises a key: look-alike letters, fullwidth forms and invisible characters, at random places. */
export const disguise = (key: string): fc.Arbitrary<string> =>
  fc
    .array(
      fc.tuple(
        fc.nat({ max: Math.max(0, key.length - 1) }),
        fc.constantFrom("lookalike", "fullwidth", "invisible"),
        fc.nat(),
      ),
      { maxLength: 3 },
    )
    .map((edits) => {
      const chars = [...key];
      for (const [index, kind, pick] of edits) {
        const char = chars[index] ?? "";
        if (kind === "invisible") {
          chars[index] = char + INVISIBLE[pick % INVISIBLE.length];
        } else if (kind === "fullwidth" && /^[!-~]$/.test(char)) {
          chars[index] = String.fromCharCode(char.charCodeAt(0) + 0xfee0);
        } else {
          const twins = LOOKALIKE[char];
          if (twins) chars[index] = twins[pick % twins.length] as string;
        }
      }
      return chars.join("");
    });

/**
 * A key holding a published entry: random casing per word, joined by `_ - .`, a space or
 * camelCase, sometimes with innocent words around it ("old", "hint"), a plural, a glued prefix for
 * the `*` entries (`usertoken`, `oauth`), then disguised.
 */
export const sensitiveKeyArb: fc.Arbitrary<string> = fc
  .record({
    entry: fc.constantFrom(...publishedEntries),
    styles: fc.array(casing, { minLength: 3, maxLength: 3 }),
    separator: fc.constantFrom("_", "-", ".", " ", "camel"),
    before: fc.constantFrom("", "old", "primary", "my"),
    after: fc.constantFrom("", "hint", "v2", "value", "Url"),
    glued: fc.constantFrom("", "user", "o", "x"),
    plural: fc.boolean(),
  })
  .chain(({ entry, styles, separator, before, after, glued, plural }) => {
    let words = entry.words.map((word, index) =>
      separator === "camel" && index > 0
        ? applyCase(word, "capital")
        : applyCase(word, styles[index % 3] ?? "lower"),
    );
    if (entry.compound && glued) words[0] = glued + (words[0] as string).toLowerCase();
    if (plural) {
      // In the word's own case: "tokens", "TOKENS", "passes".
      const last = words[words.length - 1] as string;
      const suffix = last.endsWith("s") || last.endsWith("S") ? "es" : "s";
      words[words.length - 1] =
        last + (last === last.toUpperCase() ? suffix.toUpperCase() : suffix);
    }
    const joined = words.join(separator === "camel" ? "" : separator);
    words = [before, joined, after].filter(Boolean);
    return disguise(words.join("_"));
  });

/** A card number that passes Luhn, grouped with spaces, dashes or nothing. */
export const cardNumberArb: fc.Arbitrary<string> = fc
  .record({
    prefix: fc.constantFrom("4", "51", "55", "2221", "34", "37", "6011", "65"),
    length: fc.constantFrom(15, 16, 19),
    digits: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 19, maxLength: 19 }),
    separator: fc.constantFrom("", " ", "-"),
  })
  .map(({ prefix, length, digits, separator }) => {
    const body = (prefix + digits.join("")).slice(0, length - 1);
    // The Luhn check digit for `body`.
    let sum = 0;
    for (let index = 0; index < body.length; index++) {
      let digit = Number(body[body.length - 1 - index]);
      if (index % 2 === 0 && (digit *= 2) > 9) digit -= 9;
      sum += digit;
    }
    const number = body + ((10 - (sum % 10)) % 10);
    return (number.match(/.{1,4}/g) ?? []).join(separator);
  });

const base64url = fc.string({
  unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
  minLength: 16,
  maxLength: 40,
});
const alnum = (minLength: number, maxLength = minLength) =>
  fc.string({
    unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
    minLength,
    maxLength,
  });
const upperAlnum = (length: number) =>
  fc.string({
    unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
    minLength: length,
    maxLength: length,
  });

/** A string that is a secret by its shape alone, with the reason the sanitizer gives. */
export const secretValueArb: fc.Arbitrary<{ value: string; reason: string }> = fc.oneof(
  fc.tuple(base64url, base64url, base64url).map(([header, payload, signature]) => ({
    value: `eyJ${header}.eyJ${payload}.${signature}`,
    reason: "jwt",
  })),
  fc
    .tuple(fc.constantFrom("Bearer", "bearer", "BEARER"), alnum(20, 40))
    .map(([scheme, token]) => ({ value: `${scheme} ${token}`, reason: "authorization" })),
  fc.tuple(alnum(3, 12), alnum(6, 20)).map(([user, password]) => ({
    value: `Basic ${btoa(`${user}:${password}`)}`,
    reason: "authorization",
  })),
  fc.tuple(fc.constantFrom("RSA ", "EC ", "", "OPENSSH "), alnum(40, 80)).map(([kind, body]) => ({
    value: `-----BEGIN ${kind}PRIVATE KEY-----\n${body}\n-----END ${kind}PRIVATE KEY-----`,
    reason: "private-key",
  })),
  cardNumberArb.map((value) => ({ value, reason: "card-number" })),
  fc
    .tuple(
      fc.constantFrom(
        "sk_live_",
        "sk_test_",
        "rk_live_",
        "ghp_",
        "gho_",
        "github_pat_",
        "xoxb-",
        "xoxp-",
        "glpat-",
      ),
      alnum(24, 40),
    )
    .map(([prefix, rest]) => ({ value: prefix + rest, reason: "api-key" })),
  fc
    .tuple(fc.constantFrom("AKIA", "ASIA"), upperAlnum(16))
    .map(([prefix, rest]) => ({ value: prefix + rest, reason: "api-key" })),
  fc
    .tuple(
      fc.constantFrom("?", "?page=1&", "#"),
      fc.constantFrom(
        "api_key",
        "token",
        "access_token",
        "sig",
        "X-Amz-Signature",
        "password",
        "apiKey",
        "client_secret",
      ),
      alnum(8, 20),
    )
    .map(([lead, name, secret]) => ({
      value: `https://api.example.com/v1/items${lead}${name}=${secret}`,
      reason: "url",
    })),
);

/** Plain values that must stay visible (none is secret-shaped). */
export const innocentValueArb: fc.Arbitrary<string | number | boolean | null> = fc.oneof(
  fc.constantFrom(
    "Jane Smith",
    "jane@example.com",
    "enterprise",
    "Acme Inc",
    "Basic plan",
    "https://example.com/docs?page=2",
    "1703347200000",
  ),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);

/** A place in a metadata tree: object keys and array indexes, from the root. */
export type PlantPath = Array<string | number>;

/** A path of 0-5 steps through innocent keys and array indexes. */
export const innocentPathArb: fc.Arbitrary<PlantPath> = fc.array(
  fc.oneof(fc.constantFrom(...INNOCENT_KEYS), fc.nat({ max: 2 })),
  { maxLength: 5 },
);

/** A tree holding `leafKey: leafValue` at `path` (with an innocent sibling at every level), and the real path to the leaf's object. */
export function plant(
  path: PlantPath,
  leafKey: string,
  leafValue: unknown,
  sibling: unknown,
): { metadata: Record<string, unknown>; path: PlantPath } {
  // Sibling keys ("title", "label") are not in INNOCENT_KEYS, so they never overwrite the leaf.
  let node: unknown = { [leafKey]: leafValue, title: sibling };
  for (let index = path.length - 1; index >= 0; index--) {
    const step = path[index] as string | number;
    if (typeof step === "number") {
      const list: unknown[] = Array.from({ length: step }, () => sibling);
      list.push(node);
      node = list;
    } else {
      node = { [step]: node, label: sibling };
    }
  }
  // The root is always an object.
  return Array.isArray(node)
    ? { metadata: { list: node, label: sibling }, path: ["list", ...path] }
    : { metadata: node as Record<string, unknown>, path };
}

/** A unique marker value, so a test can search any output for it. */
export const markerArb: fc.Arbitrary<string> = alnum(12).map((id) => `planted_${id}`);

export interface PlantedSecret {
  metadata: Record<string, unknown>;
  /** Where the secret's object sits, and its key there. */
  path: PlantPath;
  leafKey: string;
  /** The secret text that must never reach the agent. */
  secret: string;
  /** The same metadata without the secret: what the agent should see. */
  expected: Record<string, unknown>;
  how: "key" | "value";
}

const planted = (
  how: "key" | "value",
  path: PlantPath,
  leafKey: string,
  secret: string,
  sibling: unknown,
): PlantedSecret => ({
  ...plant(path, leafKey, secret, sibling),
  leafKey,
  secret,
  expected: plant(path, leafKey, undefined, sibling).metadata,
  how,
});

/** Metadata with one secret planted at any depth: by a sensitive key, or by a secret-shaped value under an innocent key. */
export const plantedSecretArb: fc.Arbitrary<PlantedSecret> = fc.oneof(
  fc
    .tuple(innocentPathArb, sensitiveKeyArb, markerArb, innocentValueArb)
    .map(([path, key, secret, sibling]) => planted("key", path, key, secret, sibling)),
  fc
    .tuple(innocentPathArb, fc.constantFrom(...INNOCENT_KEYS), secretValueArb, innocentValueArb)
    .map(([path, key, { value }, sibling]) => planted("value", path, key, value, sibling)),
);
