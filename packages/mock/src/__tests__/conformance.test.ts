// The conformance table, run in-process against the MSW handlers (createMockBackend().handle),
// and against deliberately broken backends, which it must fail.
import { describe, expect, it } from "vitest";
import {
  CONFORMANCE_CASES,
  createMockBackend,
  formatConformanceReport,
  runConformance,
} from "../index";
import type { ConformanceReport, MockBackend } from "../index";

const API_KEY = "sk_conformance";
const SECRET = "conformance-identity-secret";
const RATE_LIMIT = { limit: 400, windowMs: 60_000 };

function backend(): MockBackend {
  return createMockBackend({ apiKey: API_KEY, identitySecret: SECRET, rateLimit: RATE_LIMIT });
}

function outcomes(report: ConformanceReport) {
  return Object.fromEntries(report.results.map((result) => [result.id, result.outcome]));
}

describe("the MSW handlers pass the conformance table in full", () => {
  it("every case passes with an identity secret and a rate limit", async () => {
    const mock = backend();
    const report = await runConformance({
      url: "http://nametag.test",
      apiKey: API_KEY,
      identitySecret: SECRET,
      rateLimit: RATE_LIMIT,
      fetch: (request) => mock.handle(request),
    });
    const text = formatConformanceReport(report);
    expect(report.failed, text).toBe(0);
    expect(report.skipped).toBe(0);
    expect(report.passed).toBe(CONFORMANCE_CASES.length);
    expect(text.split("\n").at(-1)).toBe(`${CONFORMANCE_CASES.length} passed, 0 failed, 0 skipped`);
  });

  it("reports the cases needing a secret or a rate limit as skipped, not passed", async () => {
    const mock = createMockBackend({ apiKey: API_KEY });
    const report = await runConformance({
      url: "http://nametag.test",
      apiKey: API_KEY,
      fetch: (request) => mock.handle(request),
    });
    const needy = CONFORMANCE_CASES.filter((item) => (item.needs ?? []).length > 0);
    expect(report.skipped).toBe(needy.length);
    expect(report.failed, formatConformanceReport(report)).toBe(0);
    expect(report.passed).toBe(CONFORMANCE_CASES.length - needy.length);
    const skipped = report.results.filter((result) => result.outcome === "skipped");
    expect(skipped.map((result) => result.id).sort()).toEqual(needy.map((item) => item.id).sort());
    expect(formatConformanceReport(report)).toContain("(needs --identity-secret)");
  });
});

/** A backend that breaks one rule, by rewriting requests or answers around the real mock. */
function broken(rewrite: (request: Request, mock: MockBackend) => Promise<Response>): {
  fetch: (request: Request) => Promise<Response>;
  mock: MockBackend;
} {
  const mock = backend();
  return { mock, fetch: (request) => rewrite(request, mock) };
}

async function runAgainst(fetch: (request: Request) => Promise<Response>, only: string[]) {
  return runConformance({
    url: "http://nametag.test",
    apiKey: API_KEY,
    identitySecret: SECRET,
    rateLimit: RATE_LIMIT,
    fetch,
    only,
  });
}

describe("a broken backend fails the table", () => {
  it("fails when a denial leaks existence (404 for a missing conversation instead of 403)", async () => {
    const { fetch } = broken(async (request, mock) => {
      const response = await mock.handle(request);
      const id = /\/v1\/conversations\/([^/?]+)/.exec(new URL(request.url).pathname)?.[1];
      if (response.status === 403 && id && !mock.store.getConversation(id)) {
        return new Response(
          JSON.stringify({ error: { code: "NOT_FOUND", message: "No such conversation." } }),
          {
            status: 404,
            headers: { "x-request-id": "req_broken", "content-type": "application/json" },
          },
        );
      }
      return response;
    });
    const report = await runAgainst(fetch, [
      "scope.browser-conversation",
      "scope.user-token",
      "users.lifecycle",
    ]);
    expect(outcomes(report)).toEqual({
      "users.lifecycle": "passed",
      "scope.browser-conversation": "failed",
      "scope.user-token": "failed",
    });
    const text = formatConformanceReport(report);
    expect(text).toContain("expected 403 SCOPE_DENIED, got 404 NOT_FOUND");
    expect(text).toMatch(/→ GET http:\/\/nametag\.test\/v1\/conversations\/conv_missing_\S+\n/);
    expect(text).toContain("← 404");
    expect(text.split("\n").at(-1)).toBe("1 passed, 2 failed, 0 skipped");
  });

  it("fails when Idempotency-Key is ignored", async () => {
    const { fetch } = broken((request, mock) => {
      const headers = new Headers(request.headers);
      headers.delete("idempotency-key");
      return mock.handle(new Request(request, { headers }));
    });
    const report = await runAgainst(fetch, [
      "idempotency.replay",
      "idempotency.concurrent",
      "pagination.messages",
    ]);
    expect(outcomes(report)).toEqual({
      "idempotency.replay": "failed",
      "idempotency.concurrent": "failed",
      "pagination.messages": "passed",
    });
  });

  it("fails when identity tokens are accepted without checking them (alg: none, expired)", async () => {
    const { fetch } = broken(async (request, mock) => {
      if (request.method !== "POST" || !request.url.endsWith("/v1/identity"))
        return mock.handle(request);
      const body = (await request.clone().json()) as Record<string, unknown>;
      if (typeof body.identityToken !== "string") return mock.handle(request);
      // Trust the token's claims without verifying it: sign a hash for its subject.
      const { userHash } = await import("./signing");
      const claims = JSON.parse(
        Buffer.from(body.identityToken.split(".")[1] as string, "base64url").toString(),
      );
      const { identityToken: _dropped, ...rest } = body;
      return mock.handle(
        new Request(request, {
          body: JSON.stringify({
            ...rest,
            userHash: userHash(SECRET, String(rest.userId ?? claims.sub)),
          }),
        }),
      );
    });
    const report = await runAgainst(fetch, [
      "verification.identity-token",
      "verification.bad-tokens",
    ]);
    expect(outcomes(report)).toEqual({
      "verification.identity-token": "passed",
      "verification.bad-tokens": "failed",
    });
  });

  it("fails when an answer has no x-request-id or an error is not the envelope", async () => {
    const { fetch } = broken(async (request, mock) => {
      const response = await mock.handle(request);
      const headers = new Headers(response.headers);
      if (response.status === 401) return new Response("Unauthorized", { status: 401, headers });
      headers.delete("x-request-id");
      return new Response(response.body, { status: response.status, headers });
    });
    const report = await runAgainst(fetch, ["callers.wrong-key", "envelope.not-found"]);
    expect(outcomes(report)).toEqual({
      "callers.wrong-key": "failed",
      "envelope.not-found": "failed",
    });
    const text = formatConformanceReport(report);
    expect(text).toContain(
      'an error answers the envelope { "error": { "code", "message", "details"? } }',
    );
    expect(text).toContain("every response carries x-request-id");
    expect(text).toContain("authorization: Bearer … (redacted, 27 characters)");
    expect(text).not.toContain("sk_conf");
    expect(text).not.toContain(`Bearer ${API_KEY}-wrong`);
  });

  it("fails when a host proxy reaches server data (NametagProxy served as Bearer)", async () => {
    const { fetch } = broken((request, mock) => {
      const headers = new Headers(request.headers);
      const authorization = headers.get("authorization") ?? "";
      if (
        authorization.startsWith("NametagProxy ") &&
        new URL(request.url).pathname.startsWith("/v1/users")
      ) {
        headers.set("authorization", authorization.replace("NametagProxy", "Bearer"));
        headers.delete("x-nametag-visitor-id");
      }
      return mock.handle(new Request(request, { headers }));
    });
    const report = await runAgainst(fetch, [
      "callers.proxy-is-browser-scoped",
      "callers.proxy-vouches",
    ]);
    expect(outcomes(report)).toEqual({
      "callers.proxy-is-browser-scoped": "failed",
      "callers.proxy-vouches": "passed",
    });
    expect(formatConformanceReport(report)).toContain("expected 403 SCOPE_DENIED, got 200");
  });

  it("fails when CORS reflects any origin", async () => {
    const { fetch } = broken(async (request, mock) => {
      const response = await mock.handle(request);
      const origin = request.headers.get("origin");
      if (!origin) return response;
      const headers = new Headers(response.headers);
      headers.set("access-control-allow-origin", origin);
      return new Response(response.body, { status: response.status, headers });
    });
    const report = await runAgainst(fetch, ["cors.allowed-origin", "cors.disallowed-origin"]);
    expect(outcomes(report)).toEqual({
      "cors.allowed-origin": "passed",
      "cors.disallowed-origin": "failed",
    });
  });

  it("fails when pagination ignores limit", async () => {
    const { fetch } = broken((request, mock) => {
      const url = new URL(request.url);
      url.searchParams.delete("limit");
      return mock.handle(new Request(url, request));
    });
    const report = await runAgainst(fetch, ["pagination.messages", "pagination.invalid"]);
    expect(outcomes(report)).toEqual({
      "pagination.messages": "failed",
      "pagination.invalid": "failed",
    });
  });
});
