import type * as NodeFs from "node:fs";
import type { Conversation, Message } from "@nametag/core";
import { MockHttpError } from "../errors";
import type {
  IdempotencyRecord,
  JournalCollection,
  MockStore,
  MockStoreSnapshot,
  StoreJournalEntry,
} from "../store";

/**
 * The `--persist` file: an append-only journal of JSON lines. The first line is a snapshot of
 * the whole store; every later line is one change (`StoreJournalEntry`). A write is acknowledged
 * only once its lines are written and fsync'd (`flush()`), and the requests of one event-loop
 * turn share one fsync. When the journal grows past `compactBytes` (and four times the last
 * snapshot), it is rewritten as one snapshot: written to a temporary file, fsync'd, renamed over
 * the journal, and the directory fsync'd. A failed write leaves the changes queued and makes the
 * next flush rewrite the file from the in-memory store, so nothing acknowledged is ever lost and
 * the server keeps serving.
 */
export interface PersistJournal {
  /** Makes every change so far durable; rejects with a 503 `UNAVAILABLE` error if it cannot. */
  flush(): Promise<void>;
  /** True while changes are waiting to be written (or a failed write must be retried). */
  readonly dirty: boolean;
  /** Writes what is queued and stops journaling. */
  close(): void;
  /** Bytes in the journal file now; how many compactions ran. */
  stats(): { bytes: number; compactions: number };
}

export interface PersistJournalOptions {
  /** Compact when the journal is larger than this (and 4x the last snapshot). Default 8 MiB. */
  compactBytes?: number;
}

type Fs = typeof NodeFs;

/** Opens (or creates) the journal at `file`, loads it into `store` and journals every change. */
export function openPersistJournal(
  fs: Fs,
  store: MockStore,
  file: string,
  options: PersistJournalOptions = {},
): PersistJournal {
  const compactBytes = options.compactBytes ?? 8 * 1024 * 1024;
  if (fs.existsSync(file)) store.load(readJournal(fs, file));

  let pending: string[] = [];
  let fd: number | undefined;
  let bytes = 0;
  let snapshotBytes = 0;
  let compactions = 0;
  // After a failed or partial write the file may end in half a line: rewrite it whole next time.
  let mustRewrite = true;
  let waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  let writing = false;
  let closed = false;

  const directory = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) || "/" : ".";

  function rewrite(): void {
    const snapshot = store.toJSON();
    const text = `${JSON.stringify({ op: "snapshot", value: snapshot, counter: snapshot.counter })}\n`;
    const temporary = `${file}.${process.pid}.tmp`;
    const temporaryFd = fs.openSync(temporary, "w");
    try {
      fs.writeFileSync(temporaryFd, text);
      fs.fsyncSync(temporaryFd);
    } finally {
      fs.closeSync(temporaryFd);
    }
    fs.renameSync(temporary, file);
    try {
      const directoryFd = fs.openSync(directory, "r");
      try {
        fs.fsyncSync(directoryFd);
      } finally {
        fs.closeSync(directoryFd);
      }
    } catch {
      // Some file systems cannot fsync a directory; the rename is as durable as they allow.
    }
    if (fd !== undefined) fs.closeSync(fd);
    fd = fs.openSync(file, "a");
    bytes = snapshotBytes = Buffer.byteLength(text);
    pending = []; // the snapshot holds every queued change
    mustRewrite = false;
    compactions += 1;
  }

  function writeQueued(): void {
    // A journal whose file was deleted (its directory removed) still accepts writes into the
    // void: treat it as failed and rewrite it at its path.
    if (!mustRewrite && fd !== undefined && fs.fstatSync(fd).nlink === 0) mustRewrite = true;
    if (mustRewrite || fd === undefined) {
      rewrite();
      return;
    }
    if (pending.length === 0) return;
    const text = `${pending.join("\n")}\n`;
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
    bytes += Buffer.byteLength(text);
    pending = [];
    if (bytes > compactBytes && bytes > 4 * snapshotBytes) rewrite();
  }

  /** Appends the queued lines and fsyncs them off the event loop (the server keeps serving). */
  async function appendQueued(): Promise<void> {
    if (!mustRewrite && fd !== undefined && fs.fstatSync(fd).nlink === 0) mustRewrite = true;
    if (mustRewrite || fd === undefined) {
      rewrite();
      return;
    }
    if (pending.length === 0) return;
    const text = `${pending.join("\n")}\n`;
    // Taken now: if the write fails, mustRewrite makes the next flush rewrite them from the store.
    pending = [];
    const target = fd;
    await new Promise<void>((resolve, reject) =>
      fs.writeFile(target, text, (error) => (error ? reject(error) : resolve())),
    );
    await new Promise<void>((resolve, reject) =>
      fs.fsync(target, (error) => (error ? reject(error) : resolve())),
    );
    bytes += Buffer.byteLength(text);
    if (bytes > compactBytes && bytes > 4 * snapshotBytes) rewrite();
  }

  /**
   * Group commit: one append and one fsync for every write answered meanwhile. While an fsync is
   * in flight, new writes queue up and go together in the next one.
   */
  async function commitLoop(): Promise<void> {
    writing = true;
    while (waiters.length > 0) {
      // Let the requests of this turn of the event loop join the batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const batch = waiters;
      waiters = [];
      try {
        await appendQueued();
        for (const waiter of batch) waiter.resolve();
      } catch (error) {
        mustRewrite = true;
        const failure = new MockHttpError(
          503,
          "UNAVAILABLE",
          `nametag-mock could not write its --persist journal ${file} (${(error as Error).message}). The change is kept in memory but is not durable yet: make the file writable again and retry the request with the same Idempotency-Key.`,
          { file },
          { "retry-after": "1" },
        );
        for (const waiter of batch) waiter.reject(failure);
      }
    }
    writing = false;
  }

  store.setJournal((entry) => pending.push(JSON.stringify(entry)));
  // Start from one clean snapshot (drops a half-written last line left by a crash).
  try {
    rewrite();
  } catch (error) {
    store.setJournal(undefined);
    throw new Error(
      `nametag-mock: cannot write --persist file ${file}: ${(error as Error).message}. Check that its directory exists and is writable.`,
    );
  }

  return {
    flush() {
      if (closed || (pending.length === 0 && !mustRewrite)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiters.push({ resolve, reject });
        if (!writing) void commitLoop();
      });
    },
    get dirty() {
      return pending.length > 0 || mustRewrite;
    },
    close() {
      if (closed) return;
      try {
        if (pending.length > 0 || mustRewrite) writeQueued();
      } finally {
        closed = true;
        store.setJournal(undefined);
        if (fd !== undefined) fs.closeSync(fd);
        fd = undefined;
      }
    },
    stats: () => ({ bytes, compactions }),
  };
}

/**
 * Reads a journal into one snapshot. A last line cut short by a crash was never acknowledged and
 * is dropped; any other unreadable line stops the start with an error that says what to do. A
 * file holding one JSON snapshot (the format before the journal) loads as it is.
 */
export function readJournal(fs: Fs, file: string): MockStoreSnapshot {
  const text = fs.readFileSync(file, "utf8");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const state = emptyState();
  let sawSnapshot = false;
  for (let index = 0; index < lines.length; index += 1) {
    let entry: StoreJournalEntry | (MockStoreSnapshot & { op?: undefined });
    try {
      entry = JSON.parse(lines[index] as string) as typeof entry;
    } catch (error) {
      // Only a torn LAST line after a good one is a crash's leftover; a file that starts
      // unreadable is someone else's, and is never overwritten.
      if (index > 0 && index === lines.length - 1 && !text.endsWith("\n")) break;
      throw new Error(
        `nametag-mock: line ${index + 1} of ${file} is not a journal entry (${(error as Error).message}). Move the file away to start with an empty store.`,
      );
    }
    if (entry.op === undefined && (entry as MockStoreSnapshot).version === 1) {
      apply(state, { op: "snapshot", value: entry as MockStoreSnapshot, counter: entry.counter });
      sawSnapshot = true;
      continue;
    }
    if (!sawSnapshot && entry.op !== "snapshot") {
      throw new Error(
        `nametag-mock: ${file} does not start with a snapshot, so it is not a nametag-mock journal. Move it away to start with an empty store.`,
      );
    }
    sawSnapshot = true;
    apply(state, entry as StoreJournalEntry);
  }
  return toSnapshot(state);
}

interface JournalState {
  counter: number;
  collections: Record<JournalCollection, Map<string, unknown>>;
  messages: Map<string, Message[]>;
}

function emptyState(): JournalState {
  return {
    counter: 0,
    collections: {
      users: new Map(),
      conversations: new Map(),
      contacts: new Map(),
      attributes: new Map(),
      visitors: new Map(),
      idempotency: new Map(),
      sensitivePaths: new Map(),
    },
    messages: new Map(),
  };
}

function apply(state: JournalState, entry: StoreJournalEntry): void {
  const { collections, messages } = state;
  switch (entry.op) {
    case "snapshot": {
      const fresh = emptyState();
      Object.assign(state, { collections: fresh.collections, messages: fresh.messages });
      const snapshot = entry.value;
      for (const user of snapshot.users) state.collections.users.set(user.id, user);
      for (const conversation of snapshot.conversations) {
        state.collections.conversations.set(conversation.id, conversation);
        state.messages.set(conversation.id, []);
      }
      for (const message of snapshot.messages)
        state.messages.get(message.conversationId)?.push(message);
      for (const contact of snapshot.contacts)
        state.collections.contacts.set(contact.external_id, contact);
      for (const definition of snapshot.attributes)
        state.collections.attributes.set(definition.name, definition);
      for (const { visitorId, userId } of snapshot.visitors)
        state.collections.visitors.set(visitorId, userId);
      for (const record of snapshot.idempotency)
        state.collections.idempotency.set(`${record.scope}\n${record.key}`, record);
      for (const { userId, paths } of snapshot.sensitivePaths ?? [])
        state.collections.sensitivePaths.set(userId, paths);
      break;
    }
    case "reset": {
      const fresh = emptyState();
      Object.assign(state, { collections: fresh.collections, messages: fresh.messages });
      break;
    }
    case "put":
      collections[entry.collection].set(entry.key, entry.value);
      if (entry.collection === "conversations" && !messages.has(entry.key))
        messages.set(entry.key, []);
      break;
    case "delete":
      collections[entry.collection].delete(entry.key);
      if (entry.collection === "conversations") messages.delete(entry.key);
      break;
    case "message":
      messages.get(entry.value.conversationId)?.push(entry.value);
      break;
  }
  state.counter = entry.counter;
}

function toSnapshot(state: JournalState): MockStoreSnapshot {
  const { collections } = state;
  return {
    version: 1,
    counter: state.counter,
    users: [...collections.users.values()] as MockStoreSnapshot["users"],
    conversations: [...collections.conversations.values()] as Conversation[],
    messages: [...state.messages.values()].flat(),
    contacts: [...collections.contacts.values()] as MockStoreSnapshot["contacts"],
    attributes: [...collections.attributes.values()] as MockStoreSnapshot["attributes"],
    visitors: [...collections.visitors].map(([visitorId, userId]) => ({
      visitorId,
      userId: userId as string,
    })),
    idempotency: [...collections.idempotency.values()] as IdempotencyRecord[],
    sensitivePaths: [...collections.sensitivePaths].map(([userId, paths]) => ({
      userId,
      paths: paths as string[],
    })),
  };
}
