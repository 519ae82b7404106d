import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prefillForm } from "../forms";
import { resolveHttpTool } from "../httpTool";
import { SENSITIVE_KEY_WORDS, isSensitiveKey, sanitizeMetadata } from "../sanitize";
import { compileTemplate, renderTemplate } from "../template";
import {
  INNOCENT_KEYS,
  disguise,
  innocentValueArb,
  plantedSecretArb,
  publishedEntries,
  secretValueArb,
  sensitiveKeyArb,
} from "./secretArbitraries";
import type { PlantedSecret } from "./secretArbitraries";

// fast-check prints the seed and the shrunk counterexample of a failure; replay with
// fc.assert(..., { seed, path }).
const runs = { numRuns: 300 };

/** `secret` as it appears in text, or inside JSON. */
const contains = (text: string, secret: string) =>
  text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1));

const addressable = (segment: string | number) => /^[\w$-]+$/.test(String(segment));

/** A placeholder for the planted secret, or for its nearest ancestor a template can address. */
function placeholderFor({ path, leafKey }: PlantedSecret): string {
  const segments = ["userMetadata"];
  for (const segment of [...path, leafKey]) {
    if (!addressable(segment)) break;
    segments.push(String(segment));
  }
  return `{{${segments.join(".")}}}`;
}

describe("a planted secret never reaches the agent (properties)", () => {
  it("sanitizeMetadata removes exactly the planted secret, reports it once, and keeps everything else", () => {
    fc.assert(
      fc.property(plantedSecretArb, (planted) => {
        const { value, removed, removedPointers } = sanitizeMetadata(planted.metadata);
        expect(contains(JSON.stringify(value), planted.secret)).toBe(false);
        expect(value).toEqual(JSON.parse(JSON.stringify(planted.expected)));
        expect(removed).toHaveLength(1);
        expect(removedPointers).toHaveLength(1);
        expect(removed[0]?.reason === "key").toBe(planted.how === "key");
      }),
      runs,
    );
  });

  it("a template rendered from the sanitized identity never prints it", () => {
    fc.assert(
      fc.property(plantedSecretArb, (planted) => {
        const userMetadata = sanitizeMetadata(planted.metadata).value;
        const data = { userId: "user_1", visitorId: "v_1_a", userMetadata };
        for (const template of [
          placeholderFor(planted),
          "{{userMetadata}}",
          "Hi {{userMetadata.name}}",
        ]) {
          expect(contains(renderTemplate(template, data), planted.secret)).toBe(false);
          expect(
            contains(renderTemplate(compileTemplate(template), data, "html"), planted.secret),
          ).toBe(false);
        }
      }),
      runs,
    );
  });

  it("prefillForm never puts it into a field, whatever the field names", () => {
    fc.assert(
      fc.property(plantedSecretArb, (planted) => {
        const names = [
          ...Object.keys(planted.metadata),
          String(planted.path[0] ?? planted.leafKey),
          planted.leafKey,
        ];
        const filled = prefillForm({ fields: names.map((name) => ({ name })) }, planted.metadata);
        expect(contains(JSON.stringify(filled), planted.secret)).toBe(false);
      }),
      runs,
    );
  });

  it("resolveHttpTool, from the full identity, always gets it", () => {
    fc.assert(
      fc.property(plantedSecretArb, (planted) => {
        const tool = {
          httpUrl: "https://api.example.com/users/{{userId}}",
          httpMethod: "POST",
          httpHeaders: { "Content-Type": "text/plain" },
          httpBody: placeholderFor(planted),
        };
        const resolved = resolveHttpTool(tool, {
          userId: "user_1",
          userMetadata: planted.metadata,
        });
        expect(contains(resolved.body as string, planted.secret)).toBe(true);
      }),
      runs,
    );
  });

  it("innocent keys with innocent values all stay visible", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...INNOCENT_KEYS), innocentValueArb),
        (metadata) => {
          expect(sanitizeMetadata(metadata)).toEqual({
            value: metadata,
            removedPaths: [],
            removedPointers: [],
            removed: [],
          });
        },
      ),
      runs,
    );
  });

  it("every generated sensitive key and secret value is caught on its own", () => {
    fc.assert(
      fc.property(sensitiveKeyArb, (key) => {
        expect(isSensitiveKey(key)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(secretValueArb, ({ value, reason }) => {
        expect(sanitizeMetadata({ note: value }).removed).toEqual([
          { path: "note", pointer: "/note", reason },
        ]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("counts over the published lists", () => {
  // Every entry written six ways: snake, camel, kebab, UPPER, spaced, and disguised.
  const spellings = (words: string[]) => [
    words.join("_"),
    words
      .map((word, index) => (index ? word.charAt(0).toUpperCase() + word.slice(1) : word))
      .join(""),
    words.join("-"),
    words.join("_").toUpperCase(),
    words.join(" "),
    fc.sample(disguise(words.join("_")), { numRuns: 1, seed: 15 })[0] as string,
  ];

  it("catches every published entry in every spelling", () => {
    const keys = publishedEntries.flatMap(({ words }) => spellings(words));
    const caught = keys.filter((key) => isSensitiveKey(key));
    console.log(
      `published entries: ${caught.length}/${keys.length} spellings caught (${SENSITIVE_KEY_WORDS.length} entries × 6)`,
    );
    expect(caught).toEqual(keys);
    expect(keys).toHaveLength(SENSITIVE_KEY_WORDS.length * 6);
  });

  // 84 names real apps use: the examples and their neighbours, then innocent look-alikes.
  const SECRET_NAMES = [
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "pin",
    "pinCode",
    "ssn",
    "SSN_last4",
    "socialSecurityNumber",
    "nationalId",
    "passportNumber",
    "taxId",
    "creditCard",
    "card_number",
    "cardNumber",
    "cvv",
    "cvc",
    "iban",
    "accountNumber",
    "routingNumber",
    "jwt",
    "bearer",
    "cookie",
    "cookies",
    "session_id",
    "sessionId",
    "SESSIONID",
    "otp",
    "totp",
    "mfaCode",
    "2faCode",
    "recoveryCodes",
    "signature",
    "salt",
    "hmac",
    "connectionString",
    "dsn",
    "stripeKey",
    "license_key",
    "accessKeyId",
    "aws_access_key_id",
    "api key",
    "apiKey",
    "API_KEY",
    "x-api-key",
    "authToken",
    "access_token",
    "refreshToken",
    "idToken",
    "csrfToken",
    "clientSecret",
    "client_secret",
    "privateKey",
    "ssh_key",
    "Authorization",
    "x-auth",
    "oauth",
    "credentials",
    "secret_answer",
  ];
  const INNOCENT_NAMES = [
    "author",
    "authority",
    "authorName",
    "secretary",
    "tokenizerVersion",
    "passenger",
    "passport",
    "compass",
    "spin",
    "pinned",
    "keyboard",
    "monkey",
    "cookbook",
    "saltwater",
    "signup",
    "sessionCount",
    "accessLevel",
    "cardColor",
    "publicKeyFingerprint",
    "isAuthenticated",
    "name",
    "email",
    "plan",
    "company",
  ];

  it("catches all 60 secret names and keeps all 24 innocent ones (84 in all)", () => {
    const caught = SECRET_NAMES.filter((key) => isSensitiveKey(key));
    const kept = INNOCENT_NAMES.filter((key) => !isSensitiveKey(key));
    console.log(
      `84 real-world names: ${caught.length}/${SECRET_NAMES.length} secret names caught, ${kept.length}/${INNOCENT_NAMES.length} innocent names kept`,
    );
    expect(SECRET_NAMES.length + INNOCENT_NAMES.length).toBe(84);
    expect(caught).toEqual(SECRET_NAMES);
    expect(kept).toEqual(INNOCENT_NAMES);
  });
});
