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
