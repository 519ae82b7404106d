// @vitest-environment node
// Reads the built package (run `npm run build` first; turbo's test task depends on it).
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dist = (file: string) => resolve(dirname(fileURLToPath(import.meta.url)), "../../dist", file);
const read = (file: string) => readFileSync(dist(file), "utf8");

const clientFiles = ["index.js", "index.cjs"];
const serverFiles = ["server.js", "server.cjs"];

describe("the built package", () => {
  it("has both entries in ESM and CJS with types", () => {
    for (const file of [
      ...clientFiles,
      ...serverFiles,
      "index.d.ts",
      "index.d.cts",
      "server.d.ts",
      "server.d.cts",
    ]) {
      expect(existsSync(dist(file)), file).toBe(true);
    }
  });

  it.each(clientFiles)("client entry %s starts with the use client directive", (file) => {
    expect(read(file).startsWith('"use client";')).toBe(true);
  });

  it.each(serverFiles)("server entry %s imports server-only before anything else", (file) => {
    const code = read(file);
    expect(code.startsWith('"use client"')).toBe(false);
    const firstImport = code.match(/(?:import\s*(?:[^"']*from\s*)?|require\()\s*["']([^"']+)["']/);
    expect(firstImport?.[1]).toBe("server-only");
  });

  it.each(clientFiles)("client entry %s never imports server code", (file) => {
    const code = read(file);
    const imported = [...code.matchAll(/(?:from\s*|import\s*|require\()\s*["']([^"']+)["']/g)].map(
      (match) => match[1],
    );
    expect(imported).toContain("next-auth/react");
    for (const specifier of imported) {
      expect(specifier).not.toMatch(
        /server-only|@nametag\/server|^\.\/server|^node:|next\/headers/,
      );
    }
    for (const forbidden of ["NAMETAG_API_KEY", "NAMETAG_IDENTITY_SECRET", "signIdentity"]) {
      expect(code).not.toContain(forbidden);
    }
  });

  it("lists the client re-exports by name (no export * across the client boundary)", () => {
    const code = read("index.js");
    expect(code).not.toMatch(/export\s*\*/);
    const types = read("index.d.ts");
    for (const name of [
      "NametagIdentityProvider",
      "useIdentity",
      "useNametag",
      "useVisitorId",
      "useAutoIdentify",
      "useTemplate",
      "useForm",
      "useConversations",
    ]) {
      expect(types).toContain(name);
    }
  });
});
