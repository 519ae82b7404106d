// @vitest-environment node
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Reads the build (turbo runs `build` before `test`; see turbo.json in this package).
const dist = (file: string) =>
  readFileSync(fileURLToPath(new URL(`../../dist/${file}`, import.meta.url)), "utf8");

describe("the built package", () => {
  it.each(["index.js", "index.cjs"])('%s starts with the "use client" directive', (file) => {
    expect(dist(file).startsWith('"use client";')).toBe(true);
  });

  it.each(["index.js", "index.cjs"])("%s leaves react and @nametag/core external", (file) => {
    const code = dist(file);
    expect(code).toMatch(/from ["']react["']|require\(["']react["']\)/);
    expect(code).toMatch(/from ["']@nametag\/core["']|require\(["']@nametag\/core["']\)/);
    expect(code).not.toContain("createTransport");
    expect(code).not.toContain("__SECRET_INTERNALS");
  });

  it("declares its types for both module systems", () => {
    expect(dist("index.d.ts")).toContain("useConversations");
    expect(dist("index.d.cts")).toContain("useConversations");
  });
});
