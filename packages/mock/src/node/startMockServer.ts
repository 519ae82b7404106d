import type * as NodeFs from "node:fs";
import type * as NodeHttp from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_BODY_BYTES } from "@nametag/core";
import { createMockBackend } from "../createMockBackend";
import type { MockBackend, MockBackendOptions } from "../createMockBackend";
import { errorEnvelope, jsonResponse } from "../envelope";
import { MockHttpError } from "../errors";
import { openPersistJournal } from "./journal";
import type { PersistJournal } from "./journal";

export interface MockServerOptions extends MockBackendOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default `"127.0.0.1"`. */
  host?: string;
  /**
   * Journal file the store is loaded from at start and every change is appended to (JSON lines,
   * fsync'd before the answer is sent, compacted as it grows). A write that cannot be made durable
   * answers 503 `UNAVAILABLE` and the server keeps serving.
   */
  persist?: string;
  /** Serve an existing backend instead of creating one from the options. */
  backend?: MockBackend;
}

export interface MockServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  port: number;
  backend: MockBackend;
  /** Stops listening, drops open connections and closes the `persist` journal. */
  close(): Promise<void>;
}

/**
 * Serves a mock backend over node:http (the `nametag-mock` bin uses it). The node built-ins are
 * imported inside the function, so the MSW handlers of this package stay browser-safe.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { createServer } = await importNodeBuiltin<typeof NodeHttp>("node:http");
  const { port = 0, host = "127.0.0.1", persist, backend: given, ...backendOptions } = options;
  const backend = given ?? createMockBackend(backendOptions);
  const journal = persist ? await persistStore(backend, persist) : undefined;

  const server = createServer((incoming, outgoing) => {
    void bridge(backend, incoming, outgoing, origin, journal);
  });
  let origin = "";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address !== null ? address.port : port;
  origin = `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`;

  let closed: Promise<void> | undefined;
  return {
    url: origin,
    port: actualPort,
    backend,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => journal?.close());
      return closed;
    },
  };
}

/**
 * A dynamic import that bundlers leave alone (a variable specifier plus the ignore hints), so a
 * browser build of an app importing this package never tries to resolve `node:http`.
 */
function importNodeBuiltin<T>(specifier: string): Promise<T> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>;
}

/** Opens the `--persist` journal: loads the store from it, then journals every change. */
async function persistStore(backend: MockBackend, file: string): Promise<PersistJournal> {
  const fs = await importNodeBuiltin<typeof NodeFs>("node:fs");
  return openPersistJournal(fs, backend.store, file);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const HOP_BY_HOP = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
  "expect",
  "upgrade",
]);

/** node:http → Fetch Request → backend.handle() → node:http response. Never throws. */
async function bridge(
  backend: MockBackend,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  origin: string,
  journal: PersistJournal | undefined,
) {
  try {
    const method = (incoming.method ?? "GET").toUpperCase();
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
    const body = method === "GET" || method === "HEAD" ? undefined : await readLimited(incoming);
    let url: URL;
    try {
      url = new URL(incoming.url ?? "/", origin);
    } catch {
      url = new URL("/", origin);
    }
    const request = new Request(url, {
      method,
      headers,
      ...(body && body.byteLength > 0 ? { body } : {}),
    });
    // An unknown peer ("") is not loopback: /__mock/* fails closed.
    let response = await backend.handle(request, {
      remoteAddress: incoming.socket.remoteAddress ?? "",
      host: incoming.headers.host ?? "",
    });
    // A write is acknowledged only once the journal holds it on disk.
    if (journal && !SAFE_METHODS.has(method)) {
      try {
        await journal.flush();
      } catch (error) {
        if (!(error instanceof MockHttpError)) throw error;
        response = jsonResponse(error.status, errorEnvelope(error), {
          ...Object.fromEntries(response.headers),
          ...error.headers,
        });
      }
    }
    const payload = Buffer.from(await response.arrayBuffer());
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    outgoing.writeHead(response.status, responseHeaders);
    outgoing.end(method === "HEAD" ? undefined : payload);
  } catch (error) {
    if (outgoing.headersSent) return outgoing.destroy();
    outgoing.writeHead(500, { "content-type": "application/json; charset=utf-8" });
    outgoing.end(
      JSON.stringify({
        error: {
          code: "INTERNAL",
          message: `nametag-mock could not answer: ${(error as Error).message}`,
        },
      }),
    );
  }
}

/**
 * Reads a body, keeping at most MAX_BODY_BYTES + 1 bytes (enough for the backend to answer 413)
 * while still draining the rest, so the client gets the 413 instead of a reset connection.
 */
function readLimited(incoming: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    incoming.on("data", (chunk: Buffer) => {
      if (kept > MAX_BODY_BYTES) return;
      const room = MAX_BODY_BYTES + 1 - kept;
      const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
      chunks.push(piece);
      kept += piece.length;
    });
    incoming.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    incoming.on("error", reject);
  });
}
