import { CONFORMANCE_CASES } from "./cases";
import type { ConformanceCase } from "./cases";
import { signUserHash } from "./signing";

/** Where and how to run the suite. */
export interface ConformanceOptions {
  /** Base URL of the backend under test, without the `/v1` prefix (`http://127.0.0.1:4010`). */
  url: string;
  /** The backend's server API key (`Authorization: Bearer <apiKey>`). */
  apiKey: string;
  /** The backend's identity secret. Without it, the identity-verification cases are skipped. */
  identitySecret?: string;
  /** The backend's rate limit per caller. Without it, the rate-limit case is skipped. */
  rateLimit?: { limit: number; windowMs: number };
  /** An origin the backend allows for CORS. Default `http://localhost:5173`. */
  corsOrigin?: string;
  /** An origin the backend does NOT allow. Default `https://attacker.example`. */
  disallowedOrigin?: string;
  /** The fetch to send requests with (the in-process run passes the MSW backend's `handle`). */
  fetch?: (request: Request) => Promise<Response>;
  /** Run only the cases with these ids. */
  only?: readonly string[];
  /** The table to run. Default: the contract's, `CONFORMANCE_CASES`. */
  cases?: readonly ConformanceCase[];
}

/** One request and its response, as a failure prints them. */
export interface Exchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

/** A response as a case reads it. */
export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- cases read arbitrary JSON
  body: any;
  exchange: Exchange;
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** Sent as JSON; a string is sent as it is (for malformed bodies). */
  body?: unknown;
}

/** A case failed: what was expected, and the exchange that showed it. */
export class ConformanceFailure extends Error {
  override readonly name = "ConformanceFailure";
  constructor(
    message: string,
    readonly exchange?: Exchange,
  ) {
    super(message);
  }
}

/** What a case gets to talk to the backend and state what it expects. */
export interface CaseContext {
  options: ConformanceOptions;
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
  /** A fresh, well-formed visitor id. */
  visitor(): string;
  /** A fresh id unique to this run (user ids, attribute names), so runs never collide. */
  unique(label: string): string;
  /** Browser headers; once `externalId` is given, signed with the identity secret if there is one. */
  browser(visitorId: string, externalId?: string): Promise<Record<string, string>>;
  /** Server headers: the API key, and `X-User-Token` when given. */
  server(userToken?: string): Record<string, string>;
  /** Fails unless the reply has this status (and, for errors, this envelope code). */
  expectStatus(reply: Reply, status: number, code?: string): void;
  /** Fails with `message` (and the reply's exchange) unless `condition` holds. */
  check(condition: unknown, message: string, reply?: Reply): void;
}

export type CaseOutcome = "passed" | "failed" | "skipped";

export interface CaseResult {
  id: string;
  title: string;
  outcome: CaseOutcome;
  /** Why it failed or was skipped. */
  reason?: string;
  exchange?: Exchange;
}

export interface ConformanceReport {
  results: CaseResult[];
  passed: number;
  failed: number;
  skipped: number;
}

/** Runs the contract's case table against a backend over HTTP (or an in-process fetch). */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const base = options.url.replace(/\/+$/, "");
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  let counter = 0;

  const context: CaseContext = {
    options,
    async call(method, path, callOptions = {}) {
      const headers: Record<string, string> = { ...callOptions.headers };
      let body: string | undefined;
      if (callOptions.body !== undefined) {
        body =
          typeof callOptions.body === "string"
            ? callOptions.body
            : JSON.stringify(callOptions.body);
        headers["content-type"] ??= "application/json";
      }
      const url = `${base}${path}`;
      const response = await send(new Request(url, { method, headers, body: body ?? null }));
      const text = await response.text();
      let parsed: unknown = undefined;
      try {
        parsed = text === "" ? undefined : JSON.parse(text);
      } catch {
        parsed = text;
      }
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => (responseHeaders[name] = value));
      const exchange: Exchange = {
        request: { method, url, headers, ...(body === undefined ? {} : { body }) },
        response: { status: response.status, headers: responseHeaders, body: parsed },
      };
      const reply: Reply = {
        status: response.status,
        headers: response.headers,
        body: parsed,
        exchange,
      };
      // Invariants of every answer: x-request-id, and the one error envelope on every error.
      context.check(
        response.headers.get("x-request-id"),
        "every response carries x-request-id",
        reply,
      );
      if (response.status >= 400) {
        const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)
          ?.error;
        context.check(
          typeof error?.code === "string" && typeof error.message === "string",
          'an error answers the envelope { "error": { "code", "message", "details"? } }',
          reply,
        );
      }
      return reply;
    },
    visitor() {
      counter += 1;
      return `v_${Date.now()}_${runId}${counter.toString(36)}`.slice(0, 60);
    },
    unique(label) {
      counter += 1;
      return `${label}_${runId}_${counter.toString(36)}`;
    },
    async browser(visitorId, externalId) {
      const headers: Record<string, string> = { "x-nametag-visitor-id": visitorId };
      if (externalId !== undefined) {
        headers["x-nametag-user-id"] = externalId;
        if (options.identitySecret !== undefined)
          headers["x-nametag-user-hash"] = await signUserHash(options.identitySecret, externalId);
      }
      return headers;
    },
    server(userToken) {
      return {
        authorization: `Bearer ${options.apiKey}`,
        ...(userToken === undefined ? {} : { "x-user-token": userToken }),
      };
    },
    expectStatus(reply, status, code) {
      const actualCode = (reply.body as { error?: { code?: string } } | undefined)?.error?.code;
      context.check(
        reply.status === status && (code === undefined || actualCode === code),
        `expected ${status}${code ? ` ${code}` : ""}, got ${reply.status}${actualCode ? ` ${actualCode}` : ""}`,
        reply,
      );
    },
    check(condition, message, reply) {
      if (!condition) throw new ConformanceFailure(message, reply?.exchange);
    },
  };

  const table = (options.cases ?? CONFORMANCE_CASES).filter(
    (item) => !options.only || options.only.includes(item.id),
  );
  const results: CaseResult[] = [];
  for (const item of table) {
    const missing = (item.needs ?? []).filter((need) => options[need] === undefined);
    if (missing.length > 0) {
      results.push({
        id: item.id,
        title: item.title,
        outcome: "skipped",
        reason: `needs ${missing.map((need) => `--${need.replace(/[A-Z]/g, (char) => `-${char.toLowerCase()}`)}`).join(", ")}`,
      });
      continue;
    }
    try {
      await item.run(context);
      results.push({ id: item.id, title: item.title, outcome: "passed" });
    } catch (error) {
      results.push({
        id: item.id,
        title: item.title,
        outcome: "failed",
        reason: error instanceof Error ? error.message : String(error),
        ...(error instanceof ConformanceFailure && error.exchange
          ? { exchange: error.exchange }
          : {}),
      });
    }
  }
  const count = (outcome: CaseOutcome) =>
    results.filter((result) => result.outcome === outcome).length;
  return { results, passed: count("passed"), failed: count("failed"), skipped: count("skipped") };
}

const SECRET_HEADERS = new Set([
  "authorization",
  "x-user-token",
  "x-nametag-user-hash",
  "x-nametag-identity-token",
]);

function redact(headers: Record<string, string>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const secret = SECRET_HEADERS.has(name.toLowerCase());
    // Keep the scheme ("Bearer", "NametagProxy"): it tells which caller was tried.
    const scheme = name.toLowerCase() === "authorization" ? `${value.split(" ")[0]} ` : "";
    shown[name] = secret ? `${scheme}… (redacted, ${value.length} characters)` : value;
  }
  return shown;
}

function truncate(text: string, max = 2000): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

/**
 * The report as the CLI prints it: every failure with its request and response, the skipped cases
 * with what they need, and the last line `N passed, N failed, N skipped`.
 */
export function formatConformanceReport(report: ConformanceReport): string {
  const lines: string[] = [];
  for (const result of report.results) {
    if (result.outcome === "passed") lines.push(`ok    ${result.id}  ${result.title}`);
    else if (result.outcome === "skipped")
      lines.push(`skip  ${result.id}  ${result.title} (${result.reason})`);
    else {
      lines.push(`FAIL  ${result.id}  ${result.title}`, `      ${result.reason}`);
      if (result.exchange) {
        const { request, response } = result.exchange;
        lines.push(`      → ${request.method} ${request.url}`);
        for (const [name, value] of Object.entries(redact(request.headers)))
          lines.push(`        ${name}: ${value}`);
        if (request.body !== undefined) lines.push(`        ${truncate(request.body)}`);
        lines.push(`      ← ${response.status}`);
        for (const [name, value] of Object.entries(redact(response.headers)))
          lines.push(`        ${name}: ${value}`);
        if (response.body !== undefined)
          lines.push(`        ${truncate(JSON.stringify(response.body))}`);
      }
    }
  }
  lines.push(`${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  return lines.join("\n");
}
