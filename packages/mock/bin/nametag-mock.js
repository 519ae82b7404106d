#!/usr/bin/env node
// The nametag-mock dev server: the in-memory Nametag backend of @nametag/mock over HTTP.
import { parseArgs } from "node:util";
import { startMockServer, supportAgent } from "../dist/index.js";

const HELP = `Usage: nametag-mock [options]
       nametag-mock conformance --url <base> --api-key <key> [--identity-secret <s>]
                                (run the contract's conformance suite against a backend;
                                 nametag-mock conformance --help for its options)

  --port <n>               port to listen on (0 = any free port; default 4010)
  --host <host>            interface to listen on (default 127.0.0.1)
  --api-key <key>          server API key (default sk_test_nametag)
  --identity-secret <s>    turn identity verification on with this secret
  --persist <file>         keep the store in <file>, an append-only journal (fsync'd before
                           each answer, compacted as it grows); survives kill -9
  --agent <name>           run another agent beside "support" (repeatable)
  --latency <ms>           delay every answer by <ms>
  --rate-limit <n>/<ms>    at most <n> requests per caller per <ms> (e.g. 100/60000)
  --cors-origin <origin>   let pages on <origin> read the answers (repeatable; default:
                           localhost, 127.0.0.1 and [::1] on any port)
  --help                   show this help
`;

function fail(message) {
  process.stderr.write(`nametag-mock: ${message}\n\n${HELP}`);
  process.exit(2);
}

function parseNumber(value, flag) {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    fail(`${flag} needs a whole number, got ${JSON.stringify(value)}`);
  return number;
}

if (process.argv[2] === "conformance") {
  const { conformanceCommand } = await import("../dist/index.js");
  process.exit(await conformanceCommand(process.argv.slice(3)));
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "api-key": { type: "string" },
      "identity-secret": { type: "string" },
      persist: { type: "string" },
      agent: { type: "string", multiple: true },
      latency: { type: "string" },
      "rate-limit": { type: "string" },
      "cors-origin": { type: "string", multiple: true },
      help: { type: "boolean" },
    },
    strict: true,
  });
} catch (error) {
  fail(error.message);
}
const flags = parsed.values;
if (flags.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const options = {
  port: flags.port === undefined ? 4010 : parseNumber(flags.port, "--port"),
  host: flags.host ?? "127.0.0.1",
};
if (flags["api-key"] !== undefined) options.apiKey = flags["api-key"];
if (flags["identity-secret"] !== undefined) options.identitySecret = flags["identity-secret"];
if (flags.persist !== undefined) options.persist = flags.persist;
if (flags.agent !== undefined) {
  const agents = { support: supportAgent };
  for (const name of flags.agent) {
    if (!/^[a-zA-Z0-9._-]{1,64}$/.test(name))
      fail(
        `--agent needs a name of 1-64 letters, digits, ".", "_" or "-", got ${JSON.stringify(name)}`,
      );
    // Every CLI agent answers like "support": personalised from the sanitized identity.
    agents[name] = supportAgent;
  }
  options.agents = agents;
}
if (flags.latency !== undefined) options.latencyMs = parseNumber(flags.latency, "--latency");
if (flags["rate-limit"] !== undefined) {
  const match = /^(\d+)\/(\d+)$/.exec(flags["rate-limit"]);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1)
    fail("--rate-limit needs <n>/<ms>, e.g. 100/60000");
  options.rateLimit = { limit: Number(match[1]), windowMs: Number(match[2]) };
}

if (flags["cors-origin"] !== undefined) options.corsOrigins = flags["cors-origin"];

let server;
try {
  server = await startMockServer(options);
} catch (error) {
  process.stderr.write(`nametag-mock: could not start: ${error.message}\n`);
  process.exit(1);
}
process.stdout.write(`nametag-mock listening on ${server.url}\n`);

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  server.close().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`nametag-mock: error while closing on ${signal}: ${error.message}\n`);
      process.exit(1);
    },
  );
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
