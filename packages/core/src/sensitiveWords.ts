/**
 * The published list of sensitive key words, and the key normaliser the sanitizer matches them
 * with. The README's "Default sensitive keys" table lists the same entries with the reason for
 * each (a test pins the two together).
 */

/**
 * The default sensitive entries, matched as whole words of a normalised key (see `normalizeKey`).
 * A multi-word entry matches its words in order, with or without a separator (`api key` catches
 * `apiKey`, `API_KEY`, `api-key` and `apikey`); a trailing `s`/`es` (plural) is allowed. An entry
 * starting with `*` also matches at the end of a longer word (`*token`: `usertoken`; `*auth`:
 * `oauth`), never at its start, so `tokenizer`, `author` and `secretary` stay.
 */
export const SENSITIVE_KEY_WORDS: readonly string[] = /* @__PURE__ */ Object.freeze(
  // One string keeps the table small in the bundle (the reasons live in the README's table).
  "*token,*secret,*password,*passwd,*auth,*credential,authorization,creds,private,api key,pwd,pass,passphrase,passcode,pin,ssn,social security,national id,passport number,tax id,card number,credit card,cvv,cvc,security code,iban,account number,routing number,session id,session key,cookie,csrf,xsrf,otp,totp,mfa code,2fa code,recovery code,backup code,signature,hmac,salt,ssh key,signing key,encryption key,master key,access key,connection string,dsn,jwt,bearer,stripe key,license key".split(
    ",",
  ),
);

// An entry as a RegExp body: `*` is any word start, a space an optional separator.
const body = (entry: string) => entry.replace("*", "[a-z0-9]*").replace(/ /g, " ?");
// Whole words of a normalised key, plural allowed.
const words = (alternatives: string) =>
  new RegExp(`(?:^| )(?:${alternatives})(?:e?s)?(?= |$)`, "i");

/** One RegExp per entry, tested on a normalised key (`normalizeKey`), where words are single-space separated. */
export const SENSITIVE_KEY_PATTERNS: readonly RegExp[] = /* @__PURE__ */ Object.freeze(
  SENSITIVE_KEY_WORDS.map((entry) => words(body(entry))),
);

// Cyrillic and Greek look-alikes that NFKD leaves alone: from each start code point, the Latin
// letter each one passes for ("_": none). Plain ASCII, so the table stays small in the bundle.
const LOOKALIKES: ReadonlyArray<readonly [number, string]> = [
  [0x430, "a__r_e__u_k_mhonpcty_x"], // а…х
  [0x410, "A_B__E____K_MHO_PCTY_X"], // А…Х
  [0x455, "siij"], // ѕ і ї ј
  [0x405, "SIIJ"],
  [0x3b1, "aby_ezn_ik_uv_onpcotu_x"], // α…χ
  [0x391, "AB__EZH_IK_MN_O_P__TY_X"], // Α…Χ
];

const lookalike = (char: string): string => {
  const code = char.charCodeAt(0);
  for (const [start, letters] of LOOKALIKES) {
    const letter = letters[code - start];
    if (letter && letter !== "_") return letter;
  }
  return char;
};

/**
 * A key's words, lower-cased and joined by single spaces: Unicode compatibility forms folded
 * (NFKD, so fullwidth `ｔｏｋｅｎ` is `token`), accents, zero-width characters and soft hyphens
 * dropped, Cyrillic/Greek look-alikes mapped to Latin, then split at camelCase boundaries and at
 * every character that is not a letter or digit (`_ - .`, spaces…). `"x-AuthToken"` → `"x auth token"`.
 */
export function normalizeKey(key: string): string {
  // ASCII keys (nearly all) skip the Unicode work.
  if (/[^\0-\x7f]/.test(key)) {
    key = key
      .normalize("NFKD")
      // Combining marks (accents) and invisible format characters (soft hyphen, zero-width…).
      .replace(/[\p{M}\p{Cf}]/gu, "")
      .replace(/[^\0-\x7f]/g, lookalike);
  }
  return (
    key
      // camelCase: a lower-case letter before a capital, a digit before a capitalised word
      // ("md5Salt", but not "2FA"), an acronym before a capitalised word ("APIKey").
      .replace(/[a-z](?=[A-Z])|[A-Z\d](?=[A-Z][a-z])/g, "$& ")
      .toLowerCase()
      .match(/[a-z0-9]+/g)
      ?.join(" ") ?? ""
  );
}

let defaultPattern: RegExp | undefined;

/** True when the normalised key holds one of SENSITIVE_KEY_WORDS (one RegExp for all of them). */
export function hasSensitiveWord(normalized: string): boolean {
  defaultPattern ??= words(SENSITIVE_KEY_WORDS.map(body).join("|"));
  return defaultPattern.test(normalized);
}
