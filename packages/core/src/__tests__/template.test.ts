import { describe, expect, it } from "vitest";
import { createNametag } from "../createNametag";
import { NametagError } from "../errors";
import { clearTemplateCache, compileTemplate, renderTemplate } from "../template";
import { API_URL, JANE } from "./setup";

const SEED_INITIAL_MESSAGE = "Hello {{userMetadata.name}}! How can I help you today?";

describe("renderTemplate", () => {
  it("renders the seed's initial message with and without an identity", () => {
    expect(
      renderTemplate(SEED_INITIAL_MESSAGE, { userId: "user_123", userMetadata: { name: "Jane" } }),
    ).toBe("Hello Jane! How can I help you today?");
    expect(renderTemplate(SEED_INITIAL_MESSAGE, {})).toBe("Hello ! How can I help you today?");
    expect(renderTemplate(SEED_INITIAL_MESSAGE, { userMetadata: null })).toBe(
      "Hello ! How can I help you today?",
    );
  });

  it("reads userId, visitorId and nested metadata; missing values render empty", () => {
    const data = {
      userId: "user_123",
      visitorId: "v_1_abcdef",
      userMetadata: { company: { name: "Acme Inc" }, orders: 47, vip: true, tags: ["a"] },
    };
    expect(renderTemplate("{{userId}}|{{ visitorId }}|{{userMetadata.company.name}}", data)).toBe(
      "user_123|v_1_abcdef|Acme Inc",
    );
    expect(
      renderTemplate("{{userMetadata.orders}} {{userMetadata.vip}} {{userMetadata.tags}}", data),
    ).toBe('47 true ["a"]');
    expect(
      renderTemplate(
        "[{{userMetadata.missing.deep}}][{{nothing}}][{{userMetadata.company.name.x}}]",
        data,
      ),
    ).toBe("[][][]");
  });

  it("prints scalars as text and objects as JSON; empty for what cannot print", () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const userMetadata = {
      zero: 0,
      no: false,
      big: 10n,
      nothing: null,
      fn: () => "x",
      symbol: Symbol("s"),
      circular,
      hasBig: { big: 1n },
      name: "Jane",
    };
    expect(
      renderTemplate(
        "{{userMetadata.zero}}|{{userMetadata.no}}|{{userMetadata.big}}|{{userMetadata.nothing}}|{{userMetadata.fn}}|{{userMetadata.symbol}}|{{userMetadata.circular}}|{{userMetadata.hasBig}}|{{userMetadata.name.length}}",
        { userMetadata },
      ),
    ).toBe("0|false|10||||||");
  });

  it("never reaches inherited properties", () => {
    expect(
      renderTemplate(
        "{{userMetadata.constructor}}{{userMetadata.toString}}{{userMetadata.__proto__}}",
        { userMetadata: {} },
      ),
    ).toBe("");
  });

  it("leaves text that is not a placeholder alone", () => {
    expect(renderTemplate("{{ not valid }} {single} {{}}", {})).toBe(
      "{{ not valid }} {single} {{}}",
    );
  });

  it("percent-encodes URL values, escapes HTML, and refuses CR/LF/NUL in headers", () => {
    const data = {
      userId: "a/b?c",
      userMetadata: { name: "<b>\"Tom\" & 'Jerry'</b>", evil: "x\r\nSet-Cookie: a=1", nul: "a\0b" },
    };
    expect(renderTemplate("https://x.test/users/{{userId}}/orders", data, "url")).toBe(
      "https://x.test/users/a%2Fb%3Fc/orders",
    );
    expect(renderTemplate("{{userMetadata.name}}", data, "html")).toBe(
      "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;",
    );
    expect(renderTemplate("Bearer {{userId}}", data, "header")).toBe("Bearer a/b?c");
    for (const key of ["evil", "nul"]) {
      let error: unknown;
      try {
        renderTemplate(`Bearer {{userMetadata.${key}}}`, data, "header");
      } catch (caught) {
        error = caught;
      }
      expect((error as NametagError).code).toBe("UNSAFE_HEADER_VALUE");
    }
  });

  it("compiles once and caches", () => {
    clearTemplateCache();
    const first = compileTemplate(SEED_INITIAL_MESSAGE);
    expect(compileTemplate(SEED_INITIAL_MESSAGE)).toBe(first);
    expect(first.parts).toEqual([
      "Hello ",
      ["userMetadata", "name"],
      "! How can I help you today?",
    ]);
    expect(renderTemplate(first, { userMetadata: { name: "Jane" } })).toBe(
      "Hello Jane! How can I help you today?",
    );
    clearTemplateCache();
    expect(compileTemplate(SEED_INITIAL_MESSAGE)).not.toBe(first);
  });

  it("keeps no empty literal between, before or after placeholders", () => {
    expect(compileTemplate("{{userId}}{{ visitorId }}").parts).toEqual([["userId"], ["visitorId"]]);
    expect(compileTemplate("a{{userId}}b{{userMetadata.x-y.$z}}").parts).toEqual([
      "a",
      ["userId"],
      "b",
      ["userMetadata", "x-y", "$z"],
    ]);
    expect(compileTemplate("").parts).toEqual([]);
    expect(renderTemplate("{{userId}}{{visitorId}}", { userId: "u", visitorId: "v" })).toBe("uv");
  });

  it("keeps the cache bounded, evicting the oldest", () => {
    clearTemplateCache();
    const oldest = compileTemplate("t-0 {{userId}}");
    for (let index = 1; index <= 500; index++) compileTemplate(`t-${index} {{userId}}`);
    expect(compileTemplate("t-500 {{userId}}")).toBe(compileTemplate("t-500 {{userId}}"));
    expect(compileTemplate("t-0 {{userId}}")).not.toBe(oldest);
  });

  it("keeps no template over 64 KB, and at most about 1 MB of sources in all", () => {
    clearTemplateCache();
    // 500 templates of 220 KB once stayed cached (834 MB): now none is kept.
    const huge = `${"x".repeat(220 * 1024)} {{userId}}`;
    expect(compileTemplate(huge)).not.toBe(compileTemplate(huge));
    // 30 templates of 60 KB (1.8 MB) do not all fit: the oldest go, the newest stay.
    const sources = Array.from({ length: 30 }, (_, index) => `${index}`.padEnd(60 * 1024, "y"));
    const compiled = sources.map((source) => compileTemplate(source));
    // Newest first (a hit changes nothing): exactly the newest 17 are kept, as 17 × 60 KB ≤ 1 MB < 18 × 60 KB.
    let kept = 0;
    while (kept < 30 && compileTemplate(sources[29 - kept] as string) === compiled[29 - kept])
      kept++;
    expect(kept).toBe(17);
  });

  it("refuses . and .. at the start of a URL path segment, anywhere else they are text", () => {
    const path = "https://api.example.com/users/{{userId}}/orders";
    for (const userId of [".", ".."]) {
      let error: unknown;
      try {
        renderTemplate(path, { userId }, "url");
      } catch (caught) {
        error = caught;
      }
      expect((error as { code?: string }).code).toBe("UNSAFE_URL_VALUE");
    }
    expect(renderTemplate(path, { userId: "..." }, "url")).toBe(
      "https://api.example.com/users/.../orders",
    );
    expect(renderTemplate("https://x.test/a?q={{userId}}", { userId: ".." }, "url")).toBe(
      "https://x.test/a?q=..",
    );
    expect(renderTemplate("https://x.test/v{{userId}}/x", { userId: ".." }, "url")).toBe(
      "https://x.test/v../x",
    );
    // "%2e%2e" is encoded, so the URL parser never reads it as a dot segment.
    expect(new URL(renderTemplate(path, { userId: "%2e%2e" }, "url")).pathname).toBe(
      "/users/%252e%252e/orders",
    );
  });

  it("refuses any control character or non-Latin-1 text in a header value", () => {
    for (const value of [
      "a\tb",
      "a\u0001",
      "a\u007f",
      "a\u0085",
      "caf\u00e9 \u20ac",
      "\u{1f600}",
    ]) {
      let error: unknown;
      try {
        renderTemplate("{{userId}}", { userId: value }, "header");
      } catch (caught) {
        error = caught;
      }
      expect((error as { code?: string }).code).toBe("UNSAFE_HEADER_VALUE");
    }
    expect(renderTemplate("{{userId}}", { userId: "caf\u00e9 ok" }, "header")).toBe("caf\u00e9 ok");
  });

  it("JSON-escapes a value in the json context", () => {
    const name = 'x", "admin": true, "y": "\\\n';
    const body = renderTemplate(
      '{"name": "{{userMetadata.name}}"}',
      { userMetadata: { name } },
      "json",
    );
    expect(JSON.parse(body)).toEqual({ name });
  });

  it("refuses a template that is not a string", () => {
    expect(() => compileTemplate(42 as never)).toThrow(NametagError);
    expect(() => compileTemplate(null as never)).toThrow(/not null/);
  });
});

describe("nametag.render", () => {
  it("renders from the SANITIZED identity", async () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    expect(nametag.render(SEED_INITIAL_MESSAGE)).toBe("Hello ! How can I help you today?");
    await nametag.identify({ ...JANE, userMetadata: { ...JANE.userMetadata, name: "Jane" } });
    expect(nametag.render(SEED_INITIAL_MESSAGE)).toBe("Hello Jane! How can I help you today?");
    expect(nametag.render("[{{userMetadata.authToken}}]")).toBe("[]");
    expect(nametag.render("{{visitorId}}")).toBe(nametag.getVisitorId());
  });
});
