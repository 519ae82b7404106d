#!/usr/bin/env node
// Bundles the same usage (identify a user with metadata, read the visitor id, reset) with
// @nametag/core and with the SDKs a team would otherwise reach for, and prints one markdown table
// of minified, gzip and brotli bytes. Run from the root: `npm run size:compare` (builds core
// first). `--write` also saves the table to bench/SIZE.md; `--json` prints the raw figures; bare
// arguments keep only the named fixtures (`node bench/size-table.mjs nametag posthog`).
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build } from "esbuild";

const here = fileURLToPath(new URL(".", import.meta.url));
const require = createRequire(import.meta.url);

/**
 * One row per SDK. `loads` says what the bundle fetches from the vendor's CDN at run time, which
 * the bytes below do not count: a loader's real cost is its bundle plus that download.
 */
const vendors = [
  { fixture: "nametag", pkg: "@nametag/core", loads: "nothing (the whole SDK is in the bundle)" },
  {
    fixture: "posthog",
    pkg: "posthog-js",
    loads: "extensions on demand (session replay, surveys, toolbar, …) from its assets host",
  },
  {
    fixture: "segment",
    pkg: "@segment/analytics-next",
    loads: "**loader**: its settings and every device-mode destination from cdn.segment.com",
  },
  {
    fixture: "mixpanel",
    pkg: "mixpanel-browser",
    loads: "the targeting module on demand from cdn.mxpnl.com (the session recorder is bundled)",
  },
  {
    fixture: "amplitude",
    pkg: "@amplitude/analytics-browser",
    loads: "remote configuration; visual-tagging scripts from cdn.amplitude.com (plugins bundled)",
  },
  {
    fixture: "crisp",
    pkg: "crisp-sdk-web",
    loads: "**loader**: the whole chatbox from client.crisp.chat/l.js",
  },
  {
    fixture: "intercom",
    pkg: "@intercom/messenger-js-sdk",
    loads: "**loader**: the whole Messenger from widget.intercom.io",
  },
];

function versionOf(pkg) {
  const manifest = require.resolve(`${pkg}/package.json`, { paths: [here] });
  return JSON.parse(readFileSync(manifest, "utf8")).version;
}

async function measure({ fixture }) {
  const result = await build({
    entryPoints: [`${here}fixtures/${fixture}.ts`],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    // Without splitting, lazily imported chunks land in the one file: every byte the package
    // ships to the browser is counted, whether it is fetched at start-up or later.
    write: false,
    legalComments: "none",
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "error",
  });
  const code = result.outputFiles[0].contents;
  return {
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    brotli: brotliCompressSync(code, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: code.byteLength,
      },
    }).byteLength,
  };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const only = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const rows = [];
for (const vendor of vendors.filter((v) => only.length === 0 || only.includes(v.fixture))) {
  const version = vendor.fixture === "nametag" ? "this repo" : versionOf(vendor.pkg);
  rows.push({ ...vendor, version, ...(await measure(vendor)) });
}

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(rows, null, 2));
  process.exit(0);
}

const base = rows.find((row) => row.fixture === "nametag")?.brotli;
const table = [
  "| SDK | version | minified | gzip | brotli | brotli vs Nametag | fetched from its CDN at run time |",
  "|---|---|--:|--:|--:|--:|---|",
  ...rows.map(
    (row) =>
      `| \`${row.pkg}\` | ${row.version} | ${kb(row.minified)} | ${kb(row.gzip)} | ${kb(row.brotli)} | ${base ? `${(row.brotli / base).toFixed(1)}×` : "–"} | ${row.loads} |`,
  ),
].join("\n");

const notes = [
  `Each row bundles \`bench/fixtures/<sdk>.ts\` (identify a user with metadata, read the visitor /`,
  `anonymous id, reset) with esbuild ${versionOf("esbuild")} (browser, ESM, minified, bundled, no code`,
  `splitting); gzip is zlib level 9, brotli quality 11; 1 KB = 1024 bytes. A **loader** is a thin`,
  `stub that downloads the real SDK from the vendor's CDN after the page loads: its bytes here are`,
  `only the stub. Reproduce with \`npm run size:compare\`.`,
  "",
  `Budgets, checked by size-limit (\`npm run size\`; brotli, frameworks external, 1 kB = 1000`,
  `bytes): \`@nametag/core\` everything (production build) no larger than its enforced figure in`,
  `\`packages/core/.size-limit.cjs\`, on its way to DESIGN's 8.0 kB (7.0 kB engine + 1.0 kB secrets`,
  `policy); \`@nametag/react\` and \`@nametag/vue\` ≤ 1 kB beyond core; the \`@nametag/next\` client`,
  `entry ≤ 1.5 kB beyond \`@nametag/react\`.`,
].join("\n");

const markdown = `${table}\n\n${notes}\n`;
console.log(markdown);
if (process.argv.includes("--write")) {
  writeFileSync(`${here}SIZE.md`, `## Size\n\n${markdown}`);
}
