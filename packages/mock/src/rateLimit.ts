import { MockHttpError } from "./errors";

export interface RateLimitOptions {
  /** Requests allowed per caller in one window. */
  limit: number;
  /** Window length in ms. */
  windowMs: number;
}

/**
 * A fixed-window counter per caller (API key, user token or visitor id). Windows that have ended
 * are swept out at most once per window length, on the next request, so a flood of one-off
 * visitor ids is freed instead of held for the life of the process.
 */
export function createRateLimiter(options: RateLimitOptions | undefined, now: () => number) {
  const windows = new Map<string, { start: number; count: number }>();
  let nextSweep = -Infinity;

  function sweep(time: number, windowMs: number): void {
    nextSweep = time + windowMs;
    for (const [key, window] of windows) if (time >= window.start + windowMs) windows.delete(key);
  }

  return {
    /** Counts one request; throws 429 RATE_LIMITED with Retry-After (seconds) over the limit. */
    hit(callerKey: string): void {
      if (!options) return;
      const time = now();
      if (time >= nextSweep) sweep(time, options.windowMs);
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
    /** How many windows are held (expired ones included until the next sweep). */
    size(): number {
      return windows.size;
    },
    reset(): void {
      windows.clear();
      nextSweep = -Infinity;
    },
  };
}
