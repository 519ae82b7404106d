// @vitest-environment node
// The README's happy path is what CI builds: e2e/fresh-next/<fixture> is a create-next-app
// project plus exactly the README's snippets (`node e2e/fresh-next/snippets.mjs --write` copies
// them), and `e2e/fresh-next/build.mjs` runs `next build` on each. This test keeps the two equal.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const readme = readFileSync(join(root, "packages/next/README.md"), "utf8");
const fixturesDir = join(root, "e2e/fresh-next");
const fixtures = { "next16-auth5": "v5", "next16-auth4": "v4", "next15-auth4": "v4" } as const;

/** The README's ```ts/```tsx blocks whose first line names a file, for one next-auth major. */
function snippets(version: "v4" | "v5"): Map<string, string> {
  const files = new Map<string, string>();
  for (const [, block] of readme.matchAll(/^```tsx?\n([\s\S]*?)^```$/gm)) {
    const header = /^\/\/ (\S+?)(?: \(next-auth (v4|v5)\))?$/.exec(block!.split("\n", 1)[0]!);
    if (header && (header[2] === undefined || header[2] === version)) {
      files.set(header[1]!, block!);
    }
  }
  return files;
}

describe("the README's happy path", () => {
  it.each(["v4", "v5"] as const)("names the same five files for next-auth %s", (version) => {
    expect([...snippets(version).keys()].sort()).toEqual([
      "app/api/auth/[...nextauth]/route.ts",
      "app/api/nametag/[...path]/route.ts",
      "app/layout.tsx",
      "app/providers.tsx",
      "auth.ts",
    ]);
  });

  it("gives next-auth v5 a complete auth.ts and its route", () => {
    const v5 = snippets("v5");
    expect(v5.get("auth.ts")).toContain('import NextAuth from "next-auth";');
    expect(v5.get("auth.ts")).toContain("providers: [\n    Credentials({");
    expect(v5.get("app/api/auth/[...nextauth]/route.ts")).toContain(
      "export const { GET, POST } = handlers;",
    );
  });

  it("reads the session inside <Suspense>, as cacheComponents requires", () => {
    const layout = snippets("v5").get("app/layout.tsx")!;
    expect(layout).toMatch(
      /<Suspense>\s*<NametagProviders>\{children\}<\/NametagProviders>\s*<\/Suspense>/,
    );
    expect(layout).toContain("const bootstrap = await getNametagBootstrap({ auth });");
    // The awaiting component is not the layout itself.
    expect(layout).toMatch(/export default function RootLayout/);
  });

  it("lists every environment variable the setup reads", () => {
    for (const name of [
      "AUTH_SECRET",
      "NEXTAUTH_SECRET",
      "NAMETAG_API_URL",
      "NAMETAG_API_KEY",
      "NAMETAG_IDENTITY_SECRET",
    ]) {
      expect(readme).toContain(`\`${name}\``); // the table
      expect(readme).toMatch(new RegExp(`\\b${name}=`)); // the .env.local block
    }
  });
});

describe.each(Object.entries(fixtures))("fixture e2e/fresh-next/%s", (name, version) => {
  const dir = join(fixturesDir, name);

  it.each([...snippets(version as "v4" | "v5")])("%s is the README's snippet", (path, snippet) => {
    expect(existsSync(join(dir, path)), `${name}/${path} is missing`).toBe(true);
    expect(readFileSync(join(dir, path), "utf8")).toBe(snippet);
  });

  it("depends on the next-auth major it stands for", () => {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies["next-auth"]).toBe(version === "v5" ? "5.0.0-beta.32" : "catalog:");
  });
});

it("the Next 16 fixtures keep create-next-app's cacheComponents default", () => {
  for (const name of ["next16-auth5", "next16-auth4"]) {
    expect(readFileSync(join(fixturesDir, name, "next.config.ts"), "utf8")).toContain(
      "cacheComponents: true,",
    );
  }
});
