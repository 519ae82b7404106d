// The proxy's test bench: a real `nametag-mock` (or a scripted backend) and a real proxy server,
// both on 127.0.0.1 with port 0, and a raw HTTP client that sends paths and duplicate header
// lines exactly as given (fetch would normalise both before the proxy ever saw them).
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { DEMO_USERS, startMockServer } from "@nametag/mock";
import type { MockServer } from "@nametag/mock";
import type { NametagProxyOptions } from "../index";
import { createNametagProxy, toNodeHandler } from "../index";

export const API_KEY = "sk_test_proxy_key_4f9c";
export const IDENTITY_SECRET = "proxy-identity-secret";
export const JANE = DEMO_USERS.jane;
export const OMAR = DEMO_USERS.omar;
export const VISITOR = "v_1700000000000_abc123def";
export const ATTACKER = "v_1700000000001_evil0000x";

/** The host app's sessions: a cookie names one. The proxy's getUser reads it, nothing else. */
export const SESSIONS: Record<string, { userId: string; userMetadata?: Record<string, unknown> }> =
  {
    sess_jane: { userId: JANE.userId, userMetadata: { ...JANE.userMetadata } },
    sess_omar: { userId: OMAR.userId, userMetadata: { ...OMAR.userMetadata } },
  };

export function sessionOf(request: Request) {
  const cookie = request.headers.get("cookie") ?? "";
  const match = /(?:^|;\s*)session=([a-z_]+)/.exec(cookie);
  return (match && SESSIONS[match[1] as string]) || null;
}

export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // Tests read whatever the proxy answered (`json.error.code`, `json.conversations`).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface RawRequest {
  method?: string;
  /** Sent verbatim: `..`, `%2F` and `//` reach the server as written. */
  path: string;
  /** An array value is sent as several header lines. */
  headers?: Record<string, string | string[]>;
  body?: string | Uint8Array;
  /** Writes the body (or nothing) and never ends the request: a stalled upload. */
  stall?: boolean;
  /** Aborting it closes the connection: a client that gives up. */
  signal?: AbortSignal;
}

/** One request over a fresh connection, answered with status, headers and the parsed body. */
export function rawRequest(baseUrl: string, options: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: hostname,
        port,
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers,
        agent: false,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = null;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    if (options.body !== undefined) request.write(options.body);
    if (!options.stall) request.end();
  });
}

export interface ProxyStack {
  mock: MockServer;
  proxyUrl: string;
  /** A browser call through the proxy, with this page's visitor id unless `headers` replace it. */
  browser(
    method: string,
    path: string,
    options?: {
      session?: string;
      visitorId?: string | null;
      body?: unknown;
      headers?: Record<string, string | string[]>;
    },
  ): Promise<RawResponse>;
  /** The mock's request log as "METHOD path status" lines. */
  forwarded(): string[];
  close(): Promise<void>;
}

/** A real mock and a real proxy server (Node http + toNodeHandler) in front of it. */
export async function startProxyStack(
  options: {
    identitySecret?: string;
    mockIdentitySecret?: string;
    proxy?: Partial<NametagProxyOptions>;
  } = {},
): Promise<ProxyStack> {
  const mock = await startMockServer({
    apiKey: API_KEY,
    ...(options.mockIdentitySecret === undefined
      ? {}
      : { identitySecret: options.mockIdentitySecret }),
  });
  const proxy = createNametagProxy({
    apiUrl: mock.url,
    apiKey: API_KEY,
    getUser: sessionOf,
    ...(options.identitySecret === undefined ? {} : { identitySecret: options.identitySecret }),
    ...options.proxy,
  });
  const proxyServer = await listen(toNodeHandler(proxy));
  return {
    mock,
    proxyUrl: proxyServer.url,
    browser(method, path, { session, visitorId = VISITOR, body, headers = {} } = {}) {
      const sent: Record<string, string | string[]> = {};
      if (visitorId !== null) sent["x-nametag-visitor-id"] = visitorId;
      if (session !== undefined) sent.cookie = `session=${session}`;
      if (body !== undefined) sent["content-type"] = "application/json";
      Object.assign(sent, headers);
      return rawRequest(proxyServer.url, {
        method,
        path: `/api/nametag${path}`,
        headers: sent,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    },
    forwarded: () =>
      mock.backend.requests().map((entry) => `${entry.method} ${entry.path} ${entry.status}`),
    async close() {
      await proxyServer.close();
      await mock.close();
    },
  };
}

/** What a scripted backend received. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A backend whose answers the test writes (`respond`), recording every request as it arrived:
 * for what the proxy forwards byte for byte, and for backends that misbehave.
 */
export async function startScriptedBackend(
  respond: (request: RecordedRequest, res: ServerResponse) => void,
): Promise<{ url: string; received: RecordedRequest[]; close(): Promise<void> }> {
  const received: RecordedRequest[] = [];
  const server = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(recorded);
      respond(recorded, res);
    });
  });
  return { url: server.url, received, close: server.close };
}

/** Answers `body` as JSON with `status` and any extra headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
