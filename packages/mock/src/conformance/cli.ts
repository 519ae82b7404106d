import { CONFORMANCE_CASES } from "./cases";
import { formatConformanceReport, runConformance } from "./runConformance";
import type { ConformanceOptions } from "./runConformance";

export const CONFORMANCE_HELP = `Usage: nametag-mock conformance --url <base> --api-key <key> [options]

Runs the Nametag backend contract's conformance cases over HTTP against any backend and prints
each failure's request and response, then "N passed, N failed, N skipped". Exits 1 when a case
fails, 2 on a usage error. Every case makes its own data under ids unique to the run.

  --url <base>             the backend's base URL, without /v1 (e.g. http://127.0.0.1:4010)
  --api-key <key>          the backend's server API key
  --identity-secret <s>    the backend's identity secret (else the verification cases are skipped)
  --rate-limit <n>/<ms>    the backend's per-caller rate limit (else the rate-limit case is skipped)
  --cors-origin <origin>   an origin the backend allows (default http://localhost:5173)
  --only <id>              run only this case (repeatable); ids are listed with --list
  --list                   list the case ids and titles
  --help                   show this help
`;

/**
 * `nametag-mock conformance …`: parses `args` (the words after "conformance"), runs the suite and
 * returns the exit code. Output goes to `out` (stdout) and `err` (stderr).
 */
export async function conformanceCommand(
  args: readonly string[],
  out: (text: string) => void = (text) => console.log(text),
  err: (text: string) => void = (text) => console.error(text),
  fetchImplementation?: ConformanceOptions["fetch"],
): Promise<number> {
  const values: Record<string, string> = {};
  const only: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const flag = args[index] as string;
    if (flag === "--help" || flag === "-h") {
      out(CONFORMANCE_HELP);
      return 0;
    }
    if (flag === "--list") {
      out(CONFORMANCE_CASES.map((item) => `${item.id}  ${item.title}`).join("\n"));
      return 0;
    }
    const name = flag.startsWith("--") ? flag.slice(2) : "";
    if (
      !["url", "api-key", "identity-secret", "rate-limit", "cors-origin", "only"].includes(name)
    ) {
      err(
        `nametag-mock conformance: unknown option ${JSON.stringify(flag)}\n\n${CONFORMANCE_HELP}`,
      );
      return 2;
    }
    const value = args[index + 1];
    if (value === undefined || value.startsWith("--")) {
      err(`nametag-mock conformance: ${flag} needs a value\n\n${CONFORMANCE_HELP}`);
      return 2;
    }
    index += 1;
    if (name === "only") only.push(value);
    else values[name] = value;
  }
  const url = values.url;
  const apiKey = values["api-key"];
  if (url === undefined || apiKey === undefined) {
    err(`nametag-mock conformance: --url and --api-key are required\n\n${CONFORMANCE_HELP}`);
    return 2;
  }
  if (!/^https?:\/\//.test(url)) {
    err(`nametag-mock conformance: --url must be an http(s) URL, got ${JSON.stringify(url)}`);
    return 2;
  }
  const options: ConformanceOptions = { url, apiKey };
  if (values["identity-secret"] !== undefined) options.identitySecret = values["identity-secret"];
  if (values["cors-origin"] !== undefined) options.corsOrigin = values["cors-origin"];
  if (values["rate-limit"] !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(values["rate-limit"]);
    if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
      err("nametag-mock conformance: --rate-limit needs <n>/<ms>, e.g. 100/60000");
      return 2;
    }
    options.rateLimit = { limit: Number(match[1]), windowMs: Number(match[2]) };
  }
  const unknown = only.filter((id) => !CONFORMANCE_CASES.some((item) => item.id === id));
  if (unknown.length > 0) {
    err(`nametag-mock conformance: no case ${unknown.join(", ")}; see --list`);
    return 2;
  }
  if (only.length > 0) options.only = only;
  if (fetchImplementation) options.fetch = fetchImplementation;
  let report;
  try {
    report = await runConformance(options);
  } catch (error) {
    err(`nametag-mock conformance: could not run against ${url}: ${(error as Error).message}`);
    return 1;
  }
  out(formatConformanceReport(report));
  return report.failed > 0 ? 1 : 0;
}
