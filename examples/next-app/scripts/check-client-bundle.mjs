#!/usr/bin/env node
// After `next build`: no file the browser can download (.next/static/**) may contain the API key,
// the identity secret or a server-only demo secret. Checks the defaults and, when set, the values
// in the environment. Writes a vitest-shaped report so the repo's test summary counts it.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// Both builds: next-auth v4 (.next) and v5 (.next/auth5, NAMETAG_EXAMPLE_NEXT_AUTH=5).
const staticDirs = [join(root, ".next", "static"), join(root, ".next", "auth5", "static")];

const secrets = {
  "API key": ["sk_test_nametag", process.env.NAMETAG_API_KEY],
  "identity secret": ["dev-identity-secret", process.env.NAMETAG_IDENTITY_SECRET],
  "NextAuth secret": [
    "nametag-demo-nextauth-secret-for-development-only",
    process.env.NEXTAUTH_SECRET,
  ],
  "server-only metadata": ["demo-jane-auth-token-7f3a"],
};

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const results = [];
const check = (title, fn) => {
  try {
    fn();
    results.push({ title, status: "passed", failureMessages: [] });
    console.log(`  ✓ ${title}`);
  } catch (error) {
    results.push({ title, status: "failed", failureMessages: [error.message] });
    console.log(`  ✗ ${title}\n    ${error.message}`);
  }
};

const scanned = staticDirs.flatMap((dir) => (existsSync(dir) ? [...files(dir)] : []));
const jsFiles = scanned.filter((path) => path.endsWith(".js"));

for (const dir of staticDirs) {
  check(`the build wrote client JavaScript to ${relative(root, dir)}`, () => {
    if (!jsFiles.some((path) => path.startsWith(dir))) {
      throw new Error(`No .js files under ${relative(root, dir)}: run \`npm run build\` first.`);
    }
  });
}

const contents = scanned.map((path) => [path, readFileSync(path, "utf8")]);
check("the scanned files are the app's client code (they call /api/nametag)", () => {
  if (!contents.some(([, text]) => text.includes("/api/nametag"))) {
    throw new Error("No client file mentions /api/nametag: the scan is not looking at this app.");
  }
});
for (const [label, values] of Object.entries(secrets)) {
  const needles = [
    ...new Set(values.filter((value) => typeof value === "string" && value.length >= 8)),
  ];
  check(`no client file contains the ${label}`, () => {
    const leaks = contents.filter(([, text]) => needles.some((needle) => text.includes(needle)));
    if (leaks.length > 0) {
      throw new Error(`Found in: ${leaks.map(([path]) => relative(root, path)).join(", ")}`);
    }
  });
}

const failed = results.filter((result) => result.status === "failed").length;
mkdirSync(join(root, "test-results"), { recursive: true });
writeFileSync(
  join(root, "test-results", "client-bundle.json"),
  JSON.stringify(
    {
      numTotalTests: results.length,
      numPassedTests: results.length - failed,
      numFailedTests: failed,
      numPendingTests: 0,
      numTodoTests: 0,
      success: failed === 0,
      testResults: [
        {
          name: "scripts/check-client-bundle.mjs",
          status: failed ? "failed" : "passed",
          assertionResults: results,
        },
      ],
    },
    null,
    2,
  ) + "\n",
);
console.log(
  `client bundle: ${jsFiles.length} JS files scanned (${scanned.length} files), ${results.length - failed} passed, ${failed} failed`,
);
process.exit(failed ? 1 : 0);
