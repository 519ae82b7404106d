/** One request the backend answered, as `GET /__mock/requests` lists it. */
export interface MockRequestLogEntry {
  method: string;
  /** Path relative to the base URL, with the query string. */
  path: string;
  status: number;
  idempotencyKey: string | null;
  /** True when the response was a replay for a repeated Idempotency-Key. */
  replayed: boolean;
  requestId: string;
}

const MAX_ENTRIES = 2000;

/** The last requests the backend answered (admin routes excluded), oldest first. */
export function createRequestLog() {
  let entries: MockRequestLogEntry[] = [];
  return {
    add(entry: MockRequestLogEntry): void {
      entries.push(entry);
      if (entries.length > MAX_ENTRIES) entries = entries.slice(-MAX_ENTRIES);
    },
    list(): MockRequestLogEntry[] {
      return entries.map((entry) => ({ ...entry }));
    },
    clear(): void {
      entries = [];
    },
  };
}
