// The proxy for real inside the frameworks the README shows: Hono (the Fetch handler as is) and
// Express (through toNodeHandler), each as a server on 127.0.0.1 in front of a real mock.
import type { MockServer } from "@nametag/mock";
import { startMockServer } from "@nametag/mock";
import express from "express";
import { Hono } from "hono";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { NametagProxyHandler } from "../index";
import { createNametagProxy, toNodeHandler } from "../index";
import type { RawResponse } from "./proxyStack";
import { API_KEY, ATTACKER, JANE, VISITOR, listen, rawRequest, sessionOf } from "./proxyStack";

let mock: MockServer;
let proxy: NametagProxyHandler;
beforeAll(async () => {
  mock = await startMockServer({ apiKey: API_KEY });
  proxy = createNametagProxy({
    apiUrl: mock.url,
    apiKey: API_KEY,
    getUser: sessionOf,
    maxBodyBytes: 4096,
  });
});
afterEach(() => mock.backend.reset());
afterAll(() => mock.close());

const frameworks: Record<string, () => Promise<{ url: string; close(): Promise<void> }>> = {
  hono: () => {
    const app = new Hono();
    app.all("/api/nametag/*", (c) => proxy(c.req.raw));
    // Hono is served by its own Fetch handler, bridged to node:http like any Fetch app.
    return listen(toNodeHandler((request) => Promise.resolve(app.fetch(request))));
  },
  express: () => {
    const app = express();
    app.use("/api/nametag", toNodeHandler(proxy));
    return listen(app);
  },
};

describe.each(Object.keys(frameworks))("inside %s", (name) => {
  let server: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    server = await (frameworks[name] as () => Promise<typeof server>)();
  });
  afterAll(() => server.close());

  function call(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<RawResponse> {
    return rawRequest(server.url, {
      method,
      path: `/api/nametag${path}`,
      headers: {
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: options.body }),
    });
  }

  it("serves a signed-in user's chat end to end", async () => {
    const headers = { "x-nametag-visitor-id": VISITOR, cookie: "session=sess_jane" };
    const link = await call("POST", "/v1/identity", { headers, body: "{}" });
    expect(link.status).toBe(200);
    expect(link.json.userId).toBe(JANE.userId);
    const created = await call("POST", "/v1/conversations", { headers, body: "{}" });
    expect(created.status).toBe(201);
    const sent = await call("POST", `/v1/conversations/${created.json.id}/messages`, {
      headers,
      body: JSON.stringify({ text: "Hello" }),
    });
    expect(sent.status).toBe(201);
    expect(sent.json.reply.text).toContain("Jane");
    expect(mock.backend.requests().map((entry) => `${entry.method} ${entry.status}`)).toEqual([
      "POST 200",
      "POST 201",
      "POST 201",
    ]);
  });

  it("refuses a call without a visitor id, forwarding nothing", async () => {
    const response = await call("GET", "/v1/conversations", {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe("INVALID_VISITOR_ID");
    expect(mock.backend.requests()).toEqual([]);
  });

  it("refuses a streamed body over the limit with 413, forwarding nothing", async () => {
    const response = await call("POST", "/v1/conversations", {
      headers: { "x-nametag-visitor-id": ATTACKER },
      body: JSON.stringify({ agent: "x".repeat(10_000) }),
    });
    expect(response.status).toBe(413);
    expect(response.json.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(mock.backend.requests()).toEqual([]);
  });

  it("refuses server-only routes with 404", async () => {
    const response = await call("GET", "/v1/users", {
      headers: { "x-nametag-visitor-id": ATTACKER },
    });
    expect(response.status).toBe(404);
    expect(mock.backend.requests()).toEqual([]);
  });
});
