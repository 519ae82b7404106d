#!/usr/bin/env node
// `next build` for each fresh-project fixture (.ci/run): a create-next-app project plus exactly
// the @nametag/next README's snippets, on Next 16 with next-auth v5 and v4, and on Next 15.
//
// The fixtures install @nametag/next "injected" (dependenciesMeta): a copy, the way npm installs
// it, so its `next-auth` and `next` peers resolve to the fixture's own versions instead of the
// workspace's devDependencies. pnpm copies it at install time, before packages/next is built, so
// this script first refreshes the copy from packages/next (dist + package.json).
//
//   node e2e/fresh-next/build.mjs                 # all three
//   node e2e/fresh-next/build.mjs next16-auth5    # one
//
// Each build's log goes to e2e/artifacts/fresh-next/<fixture>.log and is printed on failure.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { fixtures } from "./snippets.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const packageDir = join(root, "packages/next");
const logDir = join(root, "e2e/artifacts/fresh-next");

if (!existsSync(join(packageDir, "dist/server.js"))) {
  console.error(
    "packages/next/dist is missing: build the packages first (npm test, or turbo run build)",
  );
  process.exit(1);
}
mkdirSync(logDir, { recursive: true });

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : Object.keys(fixtures);
let failed = 0;
for (const name of names) {
  const dir = join(here, name);
  const injected = realpathSync(join(dir, "node_modules/@nametag/next"));
  if (injected === realpathSync(packageDir)) {
    console.error(`${name}: @nametag/next is linked, not injected; run the install again`);
    process.exit(1);
  }
  rmSync(join(injected, "dist"), { recursive: true, force: true });
  cpSync(join(packageDir, "dist"), join(injected, "dist"), { recursive: true });
  // pnpm hard-links the copy: replace the file rather than write through the link.
  rmSync(join(injected, "package.json"));
  cpSync(join(packageDir, "package.json"), join(injected, "package.json"));
  rmSync(join(dir, ".next"), { recursive: true, force: true });

  const started = Date.now();
  const result = spawnSync(join(dir, "node_modules/.bin/next"), ["build"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  const log = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  const logFile = join(logDir, `${name}.log`);
  writeFileSync(logFile, log);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.status === 0) {
    console.log(`ok    ${name}: next build (${seconds} s, log: ${relative(root, logFile)})`);
  } else {
    failed += 1;
    console.log(`FAIL  ${name}: next build exited ${result.status} (${seconds} s)\n${log}`);
  }
}
console.log(`fresh-next: ${names.length - failed} built, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
