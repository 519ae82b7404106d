import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// esbuild comes with tsup (the build tool), so the check needs no extra dependency.
const requireFromTsup = createRequire(createRequire(import.meta.url).resolve("tsup"));
interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<{ outputFiles: Array<{ text: string }> }>;
}
const esbuild = requireFromTsup("esbuild") as EsbuildLike;
const entry = fileURLToPath(new URL("../index.ts", import.meta.url));

async function bundle(names: string): Promise<string> {
  const result = await esbuild.build({
    stdin: {
      contents: `export { ${names} } from ${JSON.stringify(entry)};`,
      resolveDir: process.cwd(),
      loader: "ts",
    },
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    treeShaking: true,
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

describe("packaging", () => {
  it("has no run-time dependencies and declares no side effects", () => {
    const manifest = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    );
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
    expect(manifest.sideEffects).toBe(false);
  });

  it.each([
    [
      "sanitizeMetadata",
      ["createNametag", "BroadcastChannel", "postMessage", "fetch(", "renderTemplate"],
    ],
    [
      "renderTemplate, compileTemplate",
      ["createNametag", "BroadcastChannel", "sanitizeMetadata", "fetch("],
    ],
    ["validateUserId", ["createNametag", "BroadcastChannel", "SENSITIVE_KEY_PATTERNS"]],
    ["createVisitorId", ["createNametag", "BroadcastChannel", "sanitizeMetadata"]],
  ])("importing only %s leaves the client out of the bundle", async (names, absent) => {
    const code = await bundle(names);
    for (const name of names.split(", ")) expect(code).toContain(name);
    for (const marker of absent) expect(code).not.toContain(marker);
  });
});
