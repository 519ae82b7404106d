// The README's file snippets, as { fixture → { path → content } }. A snippet is a ```ts/```tsx
// block of packages/next/README.md whose first line names its file: `// app/layout.tsx`, or
// `// auth.ts (next-auth v5)` for a file that exists in one next-auth version only.
// `node e2e/fresh-next/snippets.mjs --write` copies them into the fixtures; the packages/next
// test `readmeFixtures.test.ts` fails when a fixture and the README differ.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const fixturesDir = dirname(fileURLToPath(import.meta.url));
export const readmePath = join(fixturesDir, "../../packages/next/README.md");

/** Fixture folder → the next-auth major it uses. */
export const fixtures = { "next16-auth5": "v5", "next16-auth4": "v4", "next15-auth4": "v4" };

const HEADER = /^\/\/ (\S+?)(?: \(next-auth (v4|v5)\))?$/;

export function readmeSnippets(readme = readFileSync(readmePath, "utf8")) {
  const blocks = [...readme.matchAll(/^```tsx?\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
  const result = Object.fromEntries(Object.keys(fixtures).map((name) => [name, {}]));
  for (const block of blocks) {
    const header = HEADER.exec(block.split("\n", 1)[0]);
    if (!header) continue;
    const [, path, version] = header;
    for (const [name, fixtureVersion] of Object.entries(fixtures)) {
      if (version === undefined || version === fixtureVersion) result[name][path] = block;
    }
  }
  return result;
}

if (process.argv.includes("--write")) {
  for (const [name, files] of Object.entries(readmeSnippets())) {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(fixturesDir, name, path)), { recursive: true });
      writeFileSync(join(fixturesDir, name, path), content);
      console.log(`${name}/${path}`);
    }
  }
}
