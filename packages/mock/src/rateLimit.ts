import { MockHttpError } from "./errors";

export interface RateLimitOptions {
  /** Requests allowed per caller in one window. */
  limit: number;
  /** Window length in ms. */
  windowMs: number;
}

/** A fixed-window counter per caller (API key, user token or visitor id). */
export function createRateLimiter(options: RateLimitOptions | undefined, now: () => number) {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** Counts one request; throws 429 RATE_LIMITED with Retry-After (seconds) over the limit. */
    hit(callerKey: string): void {
      if (!options) return;
      const time = now();
      let window = windows.get(callerKey);
      if (!window || time >= window.start + options.windowMs) {
        window = { start: time, count: 0 };
        windows.set(callerKey, window);
      }
      window.count += 1;
      if (window.count > options.limit) {
        const retryAfter = Math.max(1, Math.ceil((window.start + options.windowMs - time) / 1000));
        throw new MockHttpError(
          429,
          "RATE_LIMITED",
          `Too many requests: at most ${options.limit} per ${options.windowMs} ms. Wait ${retryAfter} s (Retry-After) and try again.`,
          { limit: options.limit, windowMs: options.windowMs, retryAfter },
          { "retry-after": String(retryAfter) },
        );
      }
    },
    reset(): void {
      windows.clear();
    },
  };
}
