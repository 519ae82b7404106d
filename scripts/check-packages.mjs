#!/usr/bin/env node
// Checks what publint and attw do not: that every published package ships exactly what a user
// needs (README, MIT LICENSE, dist) and carries the publishing metadata the registry shows.
// Run after a build: `node scripts/check-packages.mjs` (CI runs it after `lint:package`).
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const root = new URL("..", import.meta.url).pathname;
const packagesDir = join(root, "packages");

/** Anything else in a tarball is a leak (tests, sources, configs). */
const allowedInTarball = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^dist\//];
const extraAllowed = { "@nametag/mock": [/^bin\//, /^API\.md$/, /^openapi\.yaml$/] };

async function packedFiles(dir) {
  const { stdout } = await promisify(execFile)(
    "npm",
    ["pack", "--dry-run", "--json", "--ignore-scripts"],
    { cwd: dir, encoding: "utf8" },
  );
  return JSON.parse(stdout)[0].files.map((file) => file.path);
}

/** Every leaf of an exports map must name its types before its code (attw checks resolution). */
function checkExportConditions(target, where, problems) {
  if (typeof target === "string" || target === null) return;
  const keys = Object.keys(target);
  if (keys.some((key) => key.startsWith("."))) {
    for (const key of keys) checkExportConditions(target[key], `${where}["${key}"]`, problems);
    return;
  }
  const leaves = keys.filter((key) => typeof target[key] === "string");
  if (leaves.length > 0 && leaves.includes("default") && leaves[0] !== "types") {
    problems.push(`${where} lists "${leaves[0]}" before "types": put "types" first`);
  }
  for (const key of keys) {
    if (typeof target[key] === "object") {
      checkExportConditions(target[key], `${where}.${key}`, problems);
    }
  }
}

async function checkPackage(name) {
  const dir = join(packagesDir, name);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

  const problems = [];
  const expect = (ok, message) => ok || problems.push(message);

  expect(manifest.license === "MIT", `"license" is ${JSON.stringify(manifest.license)}, not "MIT"`);
  expect(manifest.sideEffects === false, `"sideEffects" must be false so bundlers can tree-shake`);
  expect(manifest.type === "module", `"type" must be "module"`);
  expect(
    manifest.repository?.url && manifest.repository?.directory === `packages/${name}`,
    `"repository" needs "url" and "directory": "packages/${name}"`,
  );
  expect(typeof manifest.description === "string", `"description" is missing`);
  expect(manifest.exports?.["./package.json"] === "./package.json", `export "./package.json"`);
  expect(
    Array.isArray(manifest.files) && manifest.files.includes("dist"),
    `"files" must list "dist"`,
  );
  checkExportConditions(manifest.exports ?? {}, "exports", problems);

  const license = existsSync(join(dir, "LICENSE"))
    ? readFileSync(join(dir, "LICENSE"), "utf8")
    : "";
  expect(/^MIT License/m.test(license), "LICENSE (MIT License text) is missing");
  expect(existsSync(join(dir, "README.md")), "README.md is missing");
  expect(existsSync(join(dir, "dist")), "dist/ is missing: build the package first");

  let files = [];
  try {
    files = await packedFiles(dir);
  } catch (error) {
    problems.push(`npm pack --dry-run failed: ${error.message.split("\n")[0]}`);
  }
  const allowed = [...allowedInTarball, ...(extraAllowed[manifest.name] ?? [])];
  for (const file of files) {
    expect(
      allowed.some((pattern) => pattern.test(file)),
      `the tarball would ship ${file}: narrow "files"`,
    );
  }
  for (const required of ["README.md", "LICENSE", "package.json"]) {
    expect(files.length === 0 || files.includes(required), `the tarball lacks ${required}`);
  }

  return { name: manifest.name, files: files.length, problems };
}

const published = readdirSync(packagesDir)
  .sort()
  .filter((name) => existsSync(join(packagesDir, name, "package.json")))
  .filter((name) => !JSON.parse(readFileSync(join(packagesDir, name, "package.json"))).private);
const results = await Promise.all(published.map(checkPackage));

let failed = false;
for (const { name, files, problems } of results) {
  if (problems.length === 0) {
    console.log(`ok   ${name} (${files} files in the tarball)`);
  } else {
    failed = true;
    console.log(`FAIL ${name}`);
    for (const problem of problems) console.log(`     - ${problem}`);
  }
}
process.exit(failed ? 1 : 0);
