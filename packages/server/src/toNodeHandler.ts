import type { NametagProxyHandler } from "./createNametagProxy";

/** The part of Node's `IncomingMessage` (or Express's `req`) the adapter reads. */
export interface NodeProxyRequest {
  method?: string;
  url?: string;
  /** Express: the URL before `app.use(path, ...)` stripped its mount path. */
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Every header line as sent, duplicates included (`IncomingMessage.rawHeaders`). */
  rawHeaders?: string[];
  on(event: "data", listener: (chunk: unknown) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** The part of Node's `ServerResponse` (or Express's `res`) the adapter writes. */
export interface NodeProxyResponse {
  statusCode: number;
  /** `"close"`: the connection ended; before the answer, the client gave up. */
  on?(event: "close", listener: () => void): unknown;
  setHeader(name: string, value: string): unknown;
  end(chunk?: Uint8Array): unknown;
}

/**
 * Runs a Fetch-API handler (the proxy) in Node's `http` server or Express:
 * `app.use("/api/nametag", toNodeHandler(proxy))`. The body is streamed into the `Request`
 * (never buffered here, so the proxy's size limit counts it as it arrives), every header line is
 * kept (duplicates stay visible), and the `Response` is written back with its status and headers.
 * The URL's origin is a fixed `http://localhost`: the proxy reads the path only, never the Host.
 */
export function toNodeHandler(
  handler: NametagProxyHandler,
): (req: NodeProxyRequest, res: NodeProxyResponse) => Promise<void> {
  return async (req, res) => {
    // A client that disconnects aborts the request's signal, so the proxy stops waiting upstream.
    const disconnected = new AbortController();
    let answered = false;
    res.on?.("close", () => {
      if (!answered) disconnected.abort();
    });
    let response: Response;
    try {
      response = await handler(toRequest(req, disconnected.signal));
    } catch {
      response = new Response(
        JSON.stringify({
          error: { code: "INTERNAL", message: "The Nametag proxy failed before answering." },
        }),
        { status: 500, headers: { "content-type": "application/json; charset=utf-8" } },
      );
    }
    answered = true;
    res.statusCode = response.status;
    response.headers.forEach((value, name) => {
      res.setHeader(name, value);
    });
    res.end(new Uint8Array(await response.arrayBuffer()));
  };
}

function toRequest(req: NodeProxyRequest, signal: AbortSignal): Request {
  const method = (req.method ?? "GET").toUpperCase();
  const headers = new Headers();
  const raw = req.rawHeaders;
  if (raw) {
    for (let index = 0; index + 1 < raw.length; index += 2) {
      appendHeader(headers, raw[index] as string, raw[index + 1] as string);
    }
  } else {
    for (const [name, value] of Object.entries(req.headers)) {
      for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value])
        appendHeader(headers, name, item);
    }
  }
  const path = req.originalUrl ?? req.url ?? "/";
  const url = new URL(path.startsWith("/") ? path : `/${path}`, "http://localhost");
  const hasBody = method !== "GET" && method !== "HEAD";
  const init: RequestInit & { duplex?: "half" } = { method, headers, signal };
  if (hasBody) {
    init.body = streamOf(req);
    init.duplex = "half";
  }
  return new Request(url, init);
}

/** Header lines a `Headers` object refuses (invalid names or values) are left out. */
function appendHeader(headers: Headers, name: string, value: string): void {
  try {
    headers.append(name, value);
  } catch {
    // An invalid header line cannot be forwarded anyway; the proxy reads an allowlist only.
  }
}

/**
 * The request body as a web stream with Node's backpressure: the socket is paused while the
 * stream's queue is full. When the proxy stops reading (body too large, too slow), the rest is
 * drained and discarded rather than destroyed, so the error response still reaches the client.
 */
function streamOf(req: NodeProxyRequest): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: unknown) => {
        if (cancelled) return;
        controller.enqueue(
          typeof chunk === "string" ? encoder.encode(chunk) : (chunk as Uint8Array),
        );
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on("end", () => {
        if (!cancelled) controller.close();
      });
      req.on("error", (error: unknown) => {
        if (!cancelled) controller.error(error);
      });
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      cancelled = true;
      req.resume();
    },
  });
}
