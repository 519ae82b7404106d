#!/usr/bin/env node
// Adds up the vitest JSON reports of every workspace package (and the e2e report) into one line:
// "tests: N passed, N failed". Exits non-zero when a test failed or no report was written.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const reports = [];
for (const group of ["packages", "examples"]) {
  for (const name of readdirSync(join(root, group))) {
    const dir = join(root, group, name, "test-results");
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) if (file.endsWith(".json")) reports.push(join(dir, file));
  }
}
const e2e = join(root, "e2e", "test-results", "e2e.json");
if (existsSync(e2e)) reports.push(e2e);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of reports) {
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(
    `  ${file.slice(root.length)}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
  );
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
if (reports.length === 0 || failed > 0 || passed === 0) process.exit(1);
