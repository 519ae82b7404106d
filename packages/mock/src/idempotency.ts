import { HEADERS } from "@nametag/core";
import type { Caller, RouteResult } from "./context";
import { MockHttpError } from "./errors";
import type { MockStore } from "./store";

/** Body fields that prove who the caller is; a retry may refresh them under the same key. */
const CREDENTIAL_FIELDS = new Set(["userHash", "identityToken"]);

export interface IdempotentOutcome {
  result: RouteResult;
  replayed: boolean;
}

/**
 * Runs a write once per `Idempotency-Key`: a repeat with the same request replays the first
 * successful result (`Idempotent-Replayed: true`); a different request under the key is 422.
 * Failures are not stored, so a corrected retry can reuse its key.
 */
export function createIdempotency(store: MockStore) {
  const inFlight = new Map<string, Promise<unknown>>();

  async function run(
    request: Request,
    path: string,
    body: unknown,
    caller: Caller,
    execute: () => Promise<RouteResult>,
  ): Promise<IdempotentOutcome> {
    const key = request.headers.get(HEADERS.idempotencyKey);
    if (key === null || request.method === "GET")
      return { result: await execute(), replayed: false };
    if (key.length === 0 || key.length > 255) {
      throw new MockHttpError(
        400,
        "BAD_REQUEST",
        "Idempotency-Key must be 1-255 characters (a UUID is a good choice).",
      );
    }
    const scope =
      caller.kind === "browser"
        ? `visitor:${caller.visitorId}`
        : `server:${caller.scopeUserId ?? "*"}`;
    // Who sent it is part of the request: the same key from another user of this visitor, or
    // from a proxy instead of the browser, is a different request (422), never a replay.
    const fingerprint = `${callerFingerprint(caller)} ${request.method} ${path} ${stableJson(body)}`;
    const slot = `${scope}\n${key}`;

    // Two concurrent requests with one key: the second waits for the first, then replays it.
    for (let waiting = inFlight.get(slot); waiting; waiting = inFlight.get(slot)) {
      await waiting.catch(() => undefined);
    }

    const stored = store.getIdempotency(scope, key);
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        throw new MockHttpError(
          422,
          "IDEMPOTENCY_KEY_REUSED",
          "This Idempotency-Key was already used for a different request. Use a new key for every new logical write.",
        );
      }
      return { result: { status: stored.status, body: stored.body }, replayed: true };
    }

    const pending = execute();
    inFlight.set(slot, pending);
    try {
      const result = await pending;
      if (result.status >= 200 && result.status < 300) {
        store.putIdempotency({
          scope,
          key,
          fingerprint,
          status: result.status,
          body: result.body,
          ...(result.userId === undefined ? {} : { userId: result.userId }),
        });
      }
      return { result, replayed: false };
    } finally {
      inFlight.delete(slot);
    }
  }

  return { run, clear: () => inFlight.clear() };
}

function callerFingerprint(caller: Caller): string {
  if (caller.kind === "server") return "server";
  return `${caller.vouched ? "proxy" : "browser"}:${caller.externalId ?? ""}`;
}

/** JSON with sorted keys and without credentials, so `{a,b}` and `{b,a}` are one request. */
function stableJson(value: unknown, depth = 0): string {
  if (Array.isArray(value))
    return `[${value.map((item) => stableJson(item, depth + 1)).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([key]) => !(depth === 0 && CREDENTIAL_FIELDS.has(key)))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item, depth + 1)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
