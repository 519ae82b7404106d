// The SDK must run on edge runtimes: no Node built-ins, no Buffer, no browser globals in its
// sources (tests may use Node freely).
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const sourceDir = fileURLToPath(new URL("..", import.meta.url));
const sources = readdirSync(sourceDir).filter((name) => name.endsWith(".ts"));

describe("edge safety", () => {
  it("finds the sources", () => {
    expect(sources).toEqual(expect.arrayContaining(["Nametag.ts", "signIdentity.ts", "index.ts"]));
  });

  it.each(sources)("%s imports no Node built-in and uses no Buffer or browser global", (name) => {
    // Comments may name what the code avoids; only the code counts.
    const code = readFileSync(`${sourceDir}/${name}`, "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/(^|\s)\/\/.*$/gm, "");
    expect(code).not.toMatch(/from\s+["']node:/);
    expect(code).not.toMatch(/require\(/);
    expect(code).not.toMatch(/\bBuffer\b/);
    expect(code).not.toMatch(/\b(?:window|document|localStorage|sessionStorage)\s*\./);
    // process is read only through readEnv, which survives its absence.
    if (name !== "env.ts") expect(code).not.toMatch(/\bprocess\s*\./);
  });
});
