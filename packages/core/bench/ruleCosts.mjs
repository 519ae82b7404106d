// `pnpm --filter @nametag/core size:rules`: what each rule of the core costs in the budgeted
// bundle. For every rule below, a copy of src/ has that rule's code taken out (the edits listed
// with it), is bundled like size-limit bundles core (esbuild, minified, production, `import *`)
// and compressed with brotli (quality 11); the rule's cost is what the bundle loses. The copies
// only have to bundle, not to work: they are measurements, never shipped.
//
// An edit whose text is no longer in the source fails the script: the table then needs updating
// with the code, which keeps the figures in the README honest.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const esbuild = createRequire(createRequire(import.meta.url).resolve("tsup"))("esbuild");
const SRC = new URL("../src/", import.meta.url).pathname;
const DEV =
  '((typeof process === "undefined" ? "production" : process.env.NODE_ENV) !== "production")';

/** Each edit: [file, text in the source (null: the whole file), what replaces it]. */
const RULES = [
  {
    rule: "Superseded links are never sent (generation abort, the first yield)",
    issue: 14,
    edits: [
      [
        "createNametag.ts",
        `    const { generation } = runner.state;
    if (generation === generationControl.generation) return;
    generationControl.controller.abort();
    generationControl = { generation, controller: new AbortController() };`,
        "",
      ],
      ["link.ts", "  await undefined;\n  if (signal.aborted) return;\n", ""],
    ],
  },
  {
    rule: "Re-entrant calls are queued; a reset handler's resetUser() is satisfied",
    issue: 14,
    edits: [
      [
        "runner.ts",
        `      queue.push(event);
      if (running) return;
      running = true;
      try {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          const [after, effects] = transition(state, next);
          state = after;
          for (const effect of effects) perform(effect, state);
        }
      } finally {
        running = false;
        queue.length = 0;
      }`,
        `      const [after, effects] = transition(state, event);
      state = after;
      for (const effect of effects) perform(effect, state);`,
      ],
      [
        "identityState.ts",
        "      if (event.reentrant && state.justReset) return [state, []];\n",
        "",
      ],
      ["createNametag.ts", "        inResetHandler = true;\n", ""],
      ["createNametag.ts", "        inResetHandler = false;\n", ""],
      ["createNametag.ts", "    if (inResetHandler) return;\n", ""],
      ["createNametag.ts", "      reentrant: runner.busy,\n", ""],
    ],
  },
  {
    rule: "A failed link is kept and retried with its key; calls wait for the link or fail clearly",
    issue: 14,
    edits: [
      [
        "createNametag.ts",
        "    for (let round = 0; round < 8; round++) {",
        "    for (let round = 0; round < 0; round++) {",
      ],
      [
        "createNametag.ts",
        `    stopOnline = watchOnline(() => dispatch({ type: "retryLink" }));
    // A bootstrap link (initialIdentity) or one kept from a failure is sent now.
    dispatch({ type: "retryLink" });`,
        "",
      ],
      [
        "identityState.ts",
        `      if (event.kept) {
        // Timeout, retries spent, offline: the intent stays, with its Idempotency-Key.
        return [
          { ...state, link: { ...state.link, phase: "waiting", error: event.error } },
          [report],
        ];
      }
`,
        "",
      ],
      [
        "identityState.ts",
        `    case "retryLink":
      return state.link?.phase === "waiting" && state.user
        ? sendLink(state, state.link.key)
        : [state, []];
`,
        "",
      ],
      [
        "identityState.ts",
        `        if (state.link?.phase === "waiting") return sendLink(next, state.link.key);\n`,
        "",
      ],
      ["createNametag.ts", "          kept: isKept(outcome),\n", ""],
    ],
  },
  {
    rule: "A 2xx that is not the contract's shape is INVALID_RESPONSE (links and writes)",
    issue: 14,
    edits: [
      ["link.ts", "    if (!isLinkResponse(response.data, user.userId)) {", "    if (false) {"],
      [
        "conversations.ts",
        `    if (typeof id(answer ?? ({} as T)) !== "string") {`,
        "    if (false) {",
      ],
    ],
  },
  {
    rule: "Retry-After past 60 s fails at once (RATE_LIMITED); one call's total wait is bounded",
    issue: 14,
    edits: [
      [
        "transport.ts",
        "        if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) {",
        "        if (false) {",
      ],
      [
        "transport.ts",
        "      if (last || waitedMs + delayMs > MAX_TOTAL_WAIT_MS) throw failure;\n      waitedMs += delayMs;",
        "      if (last) throw failure;",
      ],
    ],
  },
  {
    rule: "Every write carries an Idempotency-Key; identical concurrent reads share one request",
    issue: 14,
    edits: [
      [
        "createNametag.ts",
        "  const writeHeaders = () => ({ [HEADERS.idempotencyKey]: createIdempotencyKey() });",
        "  const writeHeaders = () => ({});",
      ],
      [
        "createNametag.ts",
        `    if (request.method !== "GET") {
      // A read in flight may predate this write: later reads start afresh.
      reads.clear();
      return run().finally(() => reads.clear());
    }
    // Identical concurrent reads (same path, query and identity) share one request.
    const key = JSON.stringify([request.path, request.query, headers]);
    let shared = reads.get(key) as Promise<T> | undefined;
    if (!shared) {
      shared = run().finally(() => reads.delete(key));
      reads.set(key, shared);
    }
    return shared;`,
        "    return run();",
      ],
    ],
  },
  {
    rule: "No web storage without a window; the visitor id persisted once something is created",
    issue: 14,
    edits: [
      ["storage.ts", ` && typeof (globalThis as { window?: unknown }).window === "object"`, ""],
      [
        "createNametag.ts",
        `    if (request.method !== "GET" && !visitorPersisted) dispatch({ type: "visitorUsed" });\n`,
        "",
      ],
      [
        "createNametag.ts",
        `    if (!visitorPersisted) {
      // Another tab may have written a visitor since this client was created: share it.
      const latest = readState(storage);
      if (latest && latest.visitorId !== runner.state.visitorId && runner.state.user === null)
        onOtherTab(latest);
      else dispatch({ type: "visitorUsed" });
      visitorPersisted = true;
    }`,
        "",
      ],
      [
        "identityState.ts",
        `    case "visitorUsed":\n      return [state, [{ type: "persist" }]];\n`,
        "",
      ],
    ],
  },
  {
    rule: "Two tabs never link two users to one visitor id; the newest request wins across tabs",
    issue: 14,
    edits: [
      [
        "createNametag.ts",
        `    const claim = readClaim();
    const seq = Math.max(claim.seq! | 0, runner.state.seq) + 1;
    writeClaim({ ...claim, seq });
    return seq;`,
        "    return 0;",
      ],
      [
        "createNametag.ts",
        `    const claim = readClaim();
    const claims = claim.claims ?? [];
    const owner = claims.find(([visitorId]) => visitorId === state.visitorId)?.[1];
    // Another tab is linking (or linked) this shared visitor id to another user: never share it.
    // A link already sent on this visitor id is resent there whatever the claim says now (a logout
    // elsewhere retired it): the backend may hold it, and its key must not link a second visitor.
    if (
      owner !== undefined &&
      owner !== effect.user.userId &&
      (sentLink[0] !== effect.key || sentLink[1] !== state.visitorId)
    )
      return dispatch({ type: "rotate", generation, freshVisitorId: createVisitorId() });
    sentLink = [effect.key, state.visitorId];
    // Announced before it is sent, so another tab about to link someone else rotates first.
    const others = claims.filter(([visitorId]) => visitorId !== state.visitorId).slice(-7);
    writeClaim({
      ...claim,
      claims: [...others, [state.visitorId, effect.user.userId, state.seq]],
    });`,
        "",
      ],
      [
        "createNametag.ts",
        `        const claim = readClaim();
        if (claim.claims)
          writeClaim({
            ...claim,
            claims: claim.claims.map(([visitorId, userId, seq]) => [
              visitorId,
              visitorId !== state.visitorId && userId === effect.previousUserId && seq! < state.seq
                ? ""
                : userId,
              seq,
            ]),
          });`,
        "",
      ],
      [
        "identityState.ts",
        `    case "rotate":
      return state.link
        ? sendLink(
            { ...state, visitorId: event.freshVisitorId, generation: state.generation + 1 },
            state.link.key,
          )
        : [state, []];
`,
        "",
      ],
      [
        "identityState.ts",
        `      if (
        stored.seq! < state.seq &&
        (stored.userId !== state.user?.userId || stored.visitorId !== state.visitorId)
      )
        return [state, []];
`,
        "",
      ],
    ],
  },
  {
    rule: "A write waiting for the link is not sent as a user who replaced the one it was made for",
    issue: 14,
    edits: [
      [
        "createNametag.ts",
        `    if (request.method !== "GET" && runner.state.user?.userId !== wanted?.userId)
      throw fail(`,
        "    if (false)\n      throw fail(",
      ],
    ],
  },
  {
    rule: "Metadata nested past 64 levels, getters and Proxies that throw: refused or reported",
    issue: 14,
    edits: [
      [
        "copyJson.ts",
        `    if (depth > MAX_METADATA_DEPTH) {
      if (strict) {
        throw fail(
          "METADATA_TOO_DEEP",
          DEV &&
            \`userMetadata nests deeper than \${MAX_METADATA_DEPTH} levels at \${path()}. Flatten it: the agent only needs a few levels.\`,
          { details: { path: path(), maxDepth: MAX_METADATA_DEPTH } },
        );
      }
      remove("too-deep");
      return undefined;
    }
`,
        "",
      ],
      [
        "copyJson.ts",
        `    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    if (descriptor && !("value" in descriptor))
      unsupported(DEV && "a getter (an accessor property)");
    return descriptor?.value;`,
        "    return object[key];",
      ],
      [
        "copyJson.ts",
        `    if (cause instanceof NametagError) throw cause;
    unsupported(DEV && "a value that throws when read (a getter or a Proxy)", cause);
    remove("unreadable");`,
        "    throw cause;",
      ],
    ],
  },
  {
    rule: "Load for the current owner, newest wins (the owned, conversations and form resources)",
    issue: 14,
    edits: [
      [
        "index.ts",
        'export { createOwnedResource, createConversationsResource, createFormResource } from "./resource";\n',
        "",
      ],
    ],
  },
  {
    rule: "Secrets policy: the published word list, look-alike table and value detectors",
    issue: 15,
    // Whole files replaced (text null): no word, no detector, keys compared in lower case.
    edits: [
      [
        "sensitiveWords.ts",
        null,
        `export const SENSITIVE_KEY_WORDS: readonly string[] = [];
export const SENSITIVE_KEY_PATTERNS: readonly RegExp[] = [];
export const normalizeKey = (key: string) => key.toLowerCase();
export const hasSensitiveWord = (_: string) => false;`,
      ],
      [
        "secretValues.ts",
        null,
        `export type RemovalReason = "key" | "value";
export const detectSecretValue = (_: string): RemovalReason | undefined => undefined;`,
      ],
    ],
  },
];

const brotli = (bytes) =>
  brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/**
 * Brotli's size of one bundle moves by tens of bytes with any small edit (its parse decisions
 * shift), so a rule's cost is taken from the mean over 16 variants of each bundle, each behind a
 * comment of another length: the noise averages out, the comment's bytes cancel in the difference.
 */
const brotliMean = (bytes) => {
  let sum = 0;
  for (let index = 0; index < 16; index++)
    sum += brotli(Buffer.concat([Buffer.from(`/*${"x".repeat(index)}*/`), bytes]));
  return sum / 16;
};

/** The bundle of `dir`/index.ts: its minified and brotli bytes, and each file's minified bytes. */
function bundle(dir) {
  return esbuild
    .build({
      metafile: true,
      entryPoints: [join(dir, "index.ts")],
      bundle: true,
      minify: true,
      format: "esm",
      target: "es2020",
      write: false,
      define: { "process.env.NODE_ENV": '"production"' },
      plugins: [
        {
          name: "dev-guard",
          setup(build) {
            build.onLoad({ filter: /\.ts$/ }, async ({ path }) => ({
              contents: (await readFile(path, "utf8")).replace(/\bDEV &&/g, `${DEV} &&`),
              loader: "ts",
            }));
          },
        },
      ],
    })
    .then(({ outputFiles, metafile }) => ({
      minified: outputFiles[0].contents.length,
      brotli: brotli(outputFiles[0].contents),
      brotliMean: brotliMean(outputFiles[0].contents),
      files: Object.entries(Object.values(metafile.outputs)[0].inputs).map(([path, input]) => [
        path.replace(/.*[\\/]/, ""),
        input.bytesInOutput,
      ]),
    }));
}

async function withRuleRemoved({ edits }) {
  const dir = await mkdtemp(join(tmpdir(), "nametag-rule-"));
  try {
    await cp(SRC, dir, { recursive: true, filter: (path) => !path.includes("__tests__") });
    for (const [file, from, to] of edits) {
      const path = join(dir, file);
      const text = await readFile(path, "utf8");
      const count = from === null ? 1 : text.split(from).length - 1;
      if (count !== 1)
        throw new Error(
          `${file}: the text to take out is found ${count} times, not once:\n${from}`,
        );
      await writeFile(path, from === null ? to : text.replace(from, to));
    }
    return await bundle(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const total = await bundle(SRC);
console.log(
  `@nametag/core, import *, production: ${total.minified} B minified, ${total.brotli} B brotli\n`,
);
console.log("| rule | issue | minified (B) | brotli (B) |\n|---|--:|--:|--:|");
const sum = { minified: 0, brotli: 0 };
for (const entry of RULES) {
  const without = await withRuleRemoved(entry);
  const cost = {
    minified: total.minified - without.minified,
    brotli: Math.round(total.brotliMean - without.brotliMean),
  };
  sum.minified += cost.minified;
  sum.brotli += cost.brotli;
  console.log(`| ${entry.rule} | ${entry.issue} | ${cost.minified} | ${cost.brotli} |`);
}
console.log(`| all of the above, one at a time | | ${sum.minified} | ${sum.brotli} |`);
console.log(
  "\nBrotli: the mean difference over 16 variants of each bundle (one bundle's brotli size moves" +
    " by ±25 B with any small edit); minified: the code itself.\n",
);
console.log("| file | minified (B) | share |\n|---|--:|--:|");
for (const [file, bytes] of total.files.sort((a, b) => b[1] - a[1]))
  if (bytes)
    console.log(`| ${file} | ${bytes} | ${((100 * bytes) / total.minified).toFixed(1)}% |`);
