// Builds a private copy of the package (ESM only, no types) with the bin beside it, so the bin
// and curl tests run the real `nametag-mock` without depending on (or racing) the build task.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "tsup";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    nametagMockBin: string;
  }
}

export default async function setup(project: TestProject) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
  // Inside the package, so the copy resolves @nametag/core and msw from its node_modules.
  const copy = join(root, "node_modules/.cache/nametag-mock-test");
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(join(copy, "bin"), { recursive: true });
  await build({
    entry: [join(root, "src/index.ts")],
    outDir: join(copy, "dist"),
    format: ["esm"],
    dts: false,
    config: false,
    silent: true,
    external: ["@nametag/core", "msw"],
  });
  copyFileSync(join(root, "bin/nametag-mock.js"), join(copy, "bin/nametag-mock.js"));
  project.provide("nametagMockBin", join(copy, "bin/nametag-mock.js"));
}
