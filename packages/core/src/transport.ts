import { DEV, NametagError, fail, errorFromResponse, isNametagError, requestIdOf } from "./errors";
import { HEADERS } from "./protocol";

/** How failed requests are retried. Only network errors, timeouts, 5xx and 429 are retried. */
export interface RetryOptions {
  /** Further attempts after the first. Default 3. */
  retries?: number;
  /** First backoff in ms; doubles each attempt, with full jitter. Default 300. */
  baseDelayMs?: number;
  /** Ceiling of one backoff in ms (a longer `Retry-After` is honoured up to 60 s, see MAX_RETRY_AFTER_MS). Default 5000. */
  maxDelayMs?: number;
}

export interface TransportOptions {
  /** Backend base URL, absolute, or relative to the page's origin in a browser ("/api/nametag"). */
  baseUrl: string;
  fetch?: typeof fetch;
  /** Extra headers for every request, or a function called per request. */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** Per-attempt timeout in ms. Default 10000. */
  timeoutMs?: number;
  /** `false` turns retries off. */
  retry?: RetryOptions | false;
  /** Test seam for backoff waits; defaults to a cancellable `setTimeout`. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface TransportRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  headers?: Record<string, string | undefined>;
  /**
   * Whether a failed attempt may be repeated. Defaults to true for GET and DELETE and for any
   * request carrying an `Idempotency-Key`; other writes are sent once.
   */
  retryable?: boolean;
  signal?: AbortSignal;
}

export interface TransportResponse<T> {
  data: T;
  status: number;
  headers: Headers;
  requestId: string | undefined;
}

export interface Transport {
  request<T>(request: TransportRequest): Promise<TransportResponse<T>>;
}

/**
 * The longest `Retry-After` honoured (60 s). A server asking for more gets no further request: the
 * call fails at once with `RATE_LIMITED` (`details.retryAfter` in seconds).
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The most time one call spends waiting between attempts (backoff and `Retry-After` together, 60 s).
 * A retry that would exceed it is not made: the last error is thrown. So a call lasts at most
 * `MAX_TOTAL_WAIT_MS + (retries + 1) × timeoutMs` (100 s with the defaults).
 */
export const MAX_TOTAL_WAIT_MS = 60_000;

/** Joins the base URL and a path, keeping the base's own path ("/api/nametag" + "/v1/x"). */
export function joinUrl(
  baseUrl: string,
  path: string,
  query?: Record<string, string | undefined>,
): string {
  let base = baseUrl;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(base)) {
    const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
    if (!origin || origin === "null") {
      throw fail(
        "INVALID_OPTIONS",
        DEV &&
          `apiUrl "${baseUrl}" is relative, and there is no page origin to resolve it against. Pass an absolute URL (https://...) on the server.`,
      );
    }
    base = origin + base.replace(/^\/?/, "/");
  }
  const url = new URL(base.replace(/\/+$/, "") + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url.toString();
}

/** Delay before retry `attempt` (0-based): full jitter, or the server's `Retry-After` if longer. */
export function backoffDelay(
  attempt: number,
  retry: Required<RetryOptions>,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  const jittered = Math.random() * ceiling;
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}

/** Parses `Retry-After` (seconds or an HTTP date) into ms. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}

/** Calls `onAbort` once `signal` aborts, at once if it already has; returns the unsubscribe. */
function whenAborted(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  return () => signal?.removeEventListener("abort", onAbort);
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stopListening();
      resolve();
    }, ms);
    const stopListening = whenAborted(signal, () => {
      clearTimeout(timer);
      reject(abortedError(signal));
    });
  });
}

const abortedError = (signal?: AbortSignal): NametagError =>
  fail("ABORTED", DEV && "The request was aborted before it completed.", { cause: signal?.reason });

/** A network error or timeout: worth retrying, and what "offline" looks like. */
export const isTransient = (error: unknown): boolean =>
  isNametagError(error) && (error.code === "NETWORK_ERROR" || error.code === "TIMEOUT");

/**
 * A small fetch wrapper shared by the browser client and the server SDK: JSON bodies, the error
 * envelope turned into `NametagError`, per-attempt timeouts, and retries with jittered backoff.
 */
export function createTransport(options: TransportOptions): Transport {
  const retry: Required<RetryOptions> = {
    retries: 3,
    baseDelayMs: 300,
    maxDelayMs: 5000,
    ...options.retry,
  };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const sleep = options.sleep ?? defaultSleep;

  async function request<T>(req: TransportRequest): Promise<TransportResponse<T>> {
    const { signal } = req;
    // An already-aborted signal never reaches fetch (no request is sent).
    if (signal?.aborted) throw abortedError(signal);
    const url = joinUrl(options.baseUrl, req.path, req.query);
    const headers: Record<string, string> = {
      accept: "application/json",
      ...(typeof options.headers === "function" ? options.headers() : options.headers),
    };
    for (const [key, value] of Object.entries(req.headers ?? {})) {
      if (value !== undefined) headers[key.toLowerCase()] = value;
    }
    const init: RequestInit = { method: req.method, headers };
    if (req.body !== undefined) {
      headers["content-type"] = "application/json";
      init.body = JSON.stringify(req.body);
    }
    const retryable =
      req.retryable ??
      (req.method === "GET" || req.method === "DELETE" || HEADERS.idempotencyKey in headers);
    // `retry: false` sends every request once.
    const retries = retryable && options.retry !== false ? retry.retries : 0;

    /** One fetch with its own timeout, linked to the caller's signal. */
    async function attempt(): Promise<Response> {
      const controller = new AbortController();
      const stopListening = whenAborted(signal, () => controller.abort(signal?.reason));
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        return await (options.fetch ?? globalThis.fetch)(url, {
          ...init,
          signal: controller.signal,
        });
      } catch (cause) {
        if (signal?.aborted) throw abortedError(signal);
        throw fail(
          controller.signal.aborted ? "TIMEOUT" : "NETWORK_ERROR",
          DEV &&
            (controller.signal.aborted
              ? `The Nametag backend did not answer within ${timeoutMs} ms. Raise timeoutMs or check the network.`
              : `Could not reach the Nametag backend at ${url}. Check apiUrl and the network.`),
          { cause },
        );
      } finally {
        clearTimeout(timer);
        stopListening();
      }
    }

    let waitedMs = 0;
    for (let index = 0; ; index++) {
      const last = index >= retries;
      let failure: NametagError;
      let retryAfterMs: number | undefined;
      try {
        const response = await attempt();
        const requestId = requestIdOf(response);
        if (response.ok) {
          const text = await response.text();
          try {
            return {
              data: (text ? JSON.parse(text) : undefined) as T,
              status: response.status,
              headers: response.headers,
              requestId,
            };
          } catch (cause) {
            throw fail(
              "INVALID_RESPONSE",
              DEV &&
                "The Nametag backend answered with a body that is not JSON. Check that apiUrl points at a Nametag backend.",
              { status: response.status, requestId, cause },
            );
          }
        }
        failure = await errorFromResponse(response);
        if (!(response.status === 429 || response.status >= 500)) throw failure;
        retryAfterMs = parseRetryAfter(response.headers.get(HEADERS.retryAfter));
        if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) {
          // The server asked not to be called for longer than any caller should wait: stop now.
          throw new NametagError(
            response.status === 429 ? "RATE_LIMITED" : failure.code,
            failure.message,
            {
              status: response.status,
              requestId,
              details: { ...failure.details, retryAfter: Math.ceil(retryAfterMs / 1000) },
            },
          );
        }
      } catch (error) {
        // Thrown: an abort, a timeout or network error (retried while attempts remain), a refusal.
        if (!isTransient(error) || last) throw error;
        failure = error as NametagError;
      }
      const delayMs = backoffDelay(index, retry, retryAfterMs);
      if (last || waitedMs + delayMs > MAX_TOTAL_WAIT_MS) throw failure;
      waitedMs += delayMs;
      await sleep(delayMs, signal);
    }
  }

  return { request };
}
