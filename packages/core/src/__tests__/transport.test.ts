import { HttpResponse, delay, http } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createNametag } from "../createNametag";
import { NametagError } from "../errors";
import { backoffDelay, createTransport, joinUrl, parseRetryAfter } from "../transport";
import { API_URL, JANE, backend, linkRequests, server, until } from "./setup";

afterEach(() => {
  server.events.removeAllListeners();
  vi.useRealTimers();
});

function recordHeaders(): Array<Record<string, string>> {
  const seen: Array<Record<string, string>> = [];
  server.events.on("request:start", ({ request }) => {
    seen.push(Object.fromEntries(request.headers.entries()));
  });
  return seen;
}

describe("client headers", () => {
  it("sends the visitor id always, and the user id plus credential once identified", async () => {
    const seen = recordHeaders();
    const nametag = createNametag({
      apiUrl: API_URL,
      persistence: "memory",
      headers: { "x-app": "demo" },
    });
    await nametag.conversations.list();
    await nametag.identify({ ...JANE, userHash: "abc123" });
    await nametag.conversations.list();
    const [anonymousList, link, userList] = seen;
    expect(anonymousList).toMatchObject({
      "x-nametag-visitor-id": nametag.getVisitorId(),
      "x-app": "demo",
    });
    expect(anonymousList).not.toHaveProperty("x-nametag-user-id");
    expect(link).toMatchObject({
      "x-nametag-visitor-id": nametag.getVisitorId(),
      "x-nametag-user-id": "user_jane",
      "x-nametag-user-hash": "abc123",
    });
    expect(link?.["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(userList).toMatchObject({
      "x-nametag-user-id": "user_jane",
      "x-nametag-user-hash": "abc123",
    });
  });
});

describe("retries", () => {
  it("retries 5xx with backoff, reusing one Idempotency-Key, and the link is stored once", async () => {
    backend.injectFault({ status: 503, count: 2, path: "/v1/identity" });
    const nametag = createNametag({
      apiUrl: API_URL,
      persistence: "memory",
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    await nametag.identify(JANE);
    const links = linkRequests();
    expect(links.map((entry) => entry.status)).toEqual([503, 503, 200]);
    expect(new Set(links.map((entry) => entry.idempotencyKey)).size).toBe(1);
    expect(nametag.getIdentity().status).toBe("identified");
  });

  it("a link whose response was lost is replayed by the backend, not stored twice", async () => {
    let dropped = false;
    server.use(
      http.post(`${API_URL}/v1/identity`, async ({ request }) => {
        const response = await backend.handle(request);
        if (dropped) return response;
        dropped = true;
        return HttpResponse.error();
      }),
    );
    const nametag = createNametag({
      apiUrl: API_URL,
      persistence: "memory",
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    await nametag.identify(JANE);
    const links = linkRequests();
    expect(links).toHaveLength(2);
    expect(links[1]).toMatchObject({
      status: 200,
      replayed: true,
      idempotencyKey: links[0]?.idempotencyKey,
    });
    expect(backend.store.users.filter((user) => user.externalId === "user_jane")).toHaveLength(1);
  });

  it("honours Retry-After on 429", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    backend.injectFault({ status: 429, count: 1, path: "/v1/conversations", retryAfter: 5 });
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    const listing = nametag.conversations.list();
    await vi.advanceTimersByTimeAsync(4000);
    expect(backend.requests()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1500);
    await expect(listing).resolves.toEqual({ data: [], nextCursor: null });
    expect(backend.requests().map((entry) => entry.status)).toEqual([429, 200]);
  });

  it("never retries other 4xx", async () => {
    const onError = vi.fn();
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory", onError });
    await nametag.identify({ ...JANE, assignedAgent: "no-such-agent" });
    expect(linkRequests()).toHaveLength(1);
    expect(onError).toHaveBeenCalledTimes(1);
    const error = onError.mock.calls[0]?.[0] as NametagError;
    expect(error).toBeInstanceOf(NametagError);
    expect(error).toMatchObject({ code: "AGENT_NOT_FOUND", status: 404 });
    expect(error.requestId).toEqual(expect.any(String));
    // Never confirmed, so not identified.
    expect(nametag.getIdentity().status).toBe("anonymous");
  });
});

describe("createTransport", () => {
  it("times out through AbortController", async () => {
    server.use(
      http.get(`${API_URL}/v1/slow`, async () => {
        await delay(500);
        return HttpResponse.json({});
      }),
    );
    const transport = createTransport({ baseUrl: API_URL, timeoutMs: 20, retry: false });
    await expect(transport.request({ method: "GET", path: "/v1/slow" })).rejects.toMatchObject({
      code: "TIMEOUT",
    });
  });

  it("reports an abort by the caller as ABORTED", async () => {
    server.use(
      http.get(`${API_URL}/v1/slow`, async () => {
        await delay(500);
        return HttpResponse.json({});
      }),
    );
    const controller = new AbortController();
    const transport = createTransport({ baseUrl: API_URL, retry: false });
    const pending = transport.request({
      method: "GET",
      path: "/v1/slow",
      signal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "ABORTED" });
  });

  it("rejects at once, sending nothing, when the caller's signal is already aborted", async () => {
    const fetchSpy = vi.fn(globalThis.fetch);
    const transport = createTransport({ baseUrl: API_URL, fetch: fetchSpy, retry: false });
    const controller = new AbortController();
    controller.abort();
    await expect(
      transport.request({ method: "GET", path: "/v1/conversations", signal: controller.signal }),
    ).rejects.toMatchObject({ code: "ABORTED" });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("turns a non-JSON success and an envelope-less error into NametagErrors", async () => {
    server.use(
      http.get(`${API_URL}/v1/html`, () => new HttpResponse("<html>", { status: 200 })),
      http.get(`${API_URL}/v1/bare`, () => new HttpResponse("nope", { status: 418 })),
      http.get(`${API_URL}/v1/empty`, () => new HttpResponse(null, { status: 204 })),
    );
    const transport = createTransport({ baseUrl: API_URL, retry: false });
    await expect(transport.request({ method: "GET", path: "/v1/html" })).rejects.toMatchObject({
      code: "INVALID_RESPONSE",
    });
    await expect(transport.request({ method: "GET", path: "/v1/bare" })).rejects.toMatchObject({
      code: "INVALID_RESPONSE",
      status: 418,
    });
    await expect(transport.request({ method: "GET", path: "/v1/empty" })).resolves.toMatchObject({
      data: undefined,
      status: 204,
    });
  });

  it("stops after `retries` further attempts, and sends other writes once", async () => {
    let sent = 0;
    server.use(
      http.all(`${API_URL}/v1/down`, () => {
        sent++;
        return HttpResponse.json(
          { error: { code: "UNAVAILABLE", message: "Down for maintenance." } },
          { status: 503, headers: { "x-request-id": "req_down" } },
        );
      }),
    );
    const delays: number[] = [];
    const transport = createTransport({
      baseUrl: API_URL,
      retry: { retries: 2, baseDelayMs: 100, maxDelayMs: 150 },
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await expect(transport.request({ method: "GET", path: "/v1/down" })).rejects.toMatchObject({
      code: "UNAVAILABLE",
      status: 503,
      requestId: "req_down",
    });
    expect(sent).toBe(3);
    expect(delays).toHaveLength(2);
    for (const ms of delays) expect(ms).toBeLessThanOrEqual(150);
    sent = 0;
    await expect(transport.request({ method: "POST", path: "/v1/down" })).rejects.toMatchObject({
      code: "UNAVAILABLE",
    });
    expect(sent).toBe(1);
  });

  it("reports NETWORK_ERROR once the retries for an unreachable backend are spent", async () => {
    let sent = 0;
    server.use(
      http.get(`${API_URL}/v1/offline`, () => {
        sent++;
        return HttpResponse.error();
      }),
    );
    const transport = createTransport({
      baseUrl: API_URL,
      retry: { retries: 1 },
      sleep: async () => {},
    });
    await expect(transport.request({ method: "GET", path: "/v1/offline" })).rejects.toMatchObject({
      code: "NETWORK_ERROR",
    });
    expect(sent).toBe(2);
  });

  it("an abort during the backoff rejects as ABORTED and sends no further attempt", async () => {
    let sent = 0;
    server.use(
      http.get(`${API_URL}/v1/busy`, () => {
        sent++;
        return new HttpResponse(null, { status: 503 });
      }),
    );
    const controller = new AbortController();
    // The default, cancellable wait.
    const waiting = createTransport({ baseUrl: API_URL, retry: { baseDelayMs: 60_000 } }).request({
      method: "GET",
      path: "/v1/busy",
      signal: controller.signal,
    });
    await until(() => sent === 1, "the first attempt");
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: "ABORTED" });
    expect(sent).toBe(1);

    // A custom sleep that ignores the signal: the next attempt still never reaches fetch.
    const late = new AbortController();
    const fetchSpy = vi.fn(globalThis.fetch);
    const transport = createTransport({
      baseUrl: API_URL,
      fetch: fetchSpy,
      sleep: async () => {
        late.abort();
      },
    });
    await expect(
      transport.request({ method: "GET", path: "/v1/busy", signal: late.signal }),
    ).rejects.toMatchObject({ code: "ABORTED" });
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    expect(fetchSpy.mock.calls[1]?.[1]?.signal?.aborted).toBe(true);
    expect(sent).toBe(2);
  });

  it("joins URLs, keeping a base path, and resolves relative ones against the page", () => {
    expect(joinUrl("https://x.test/api/nametag/", "/v1/identity", { a: "1", b: undefined })).toBe(
      "https://x.test/api/nametag/v1/identity?a=1",
    );
    expect(() => joinUrl("/api/nametag", "/v1/x")).toThrow(/relative/);
    vi.stubGlobal("location", { origin: "http://app.test" });
    expect(joinUrl("/api/nametag", "/v1/x")).toBe("http://app.test/api/nametag/v1/x");
    expect(joinUrl("api", "/v1/x")).toBe("http://app.test/api/v1/x");
  });

  it("parses Retry-After and bounds the backoff", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 400 };
    // Full jitter: a random share of a ceiling that doubles per attempt up to maxDelayMs.
    const random = vi.spyOn(Math, "random");
    random.mockReturnValue(0.5);
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, policy))).toEqual([
      50, 100, 200, 200, 200,
    ]);
    random.mockReturnValue(0.999);
    expect(backoffDelay(1, policy)).toBeCloseTo(199.8);
    random.mockReturnValue(0);
    expect(backoffDelay(3, policy)).toBe(0);
    random.mockRestore();
    expect(backoffDelay(0, policy, 2_000)).toBe(2_000);
    expect(backoffDelay(0, policy, 120_000)).toBe(60_000);
  });
});
