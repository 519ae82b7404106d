// Shared test harness: the same backend reached two ways, through real HTTP (startMockServer on
// a free port) and through MSW's setupServer, so every table runs against both and they agree.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { DEMO_USERS, startMockServer } from "../index";
import type { DemoUser, MockBackend, MockBackendOptions } from "../index";
import { setupMockServer } from "../node";

export type Transport = "http" | "msw";
export const TRANSPORTS: Transport[] = ["http", "msw"];

export const API_KEY = "sk_test_nametag";
export const VISITOR = "v_1700000000000_visitor1";
export const OTHER_VISITOR = "v_1700000000000_visitor2";

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  body: any;
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** A value is sent as JSON; a string is sent as is (for malformed bodies). */
  body?: unknown;
}

export interface Target {
  transport: Transport;
  url: string;
  backend: MockBackend;
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
}

/** Starts a backend for the enclosing describe block, reset after each test. */
export function useTarget(transport: Transport, options: MockBackendOptions = {}): Target {
  const target = { transport } as Target;
  let stop: () => Promise<void> | void = () => undefined;

  beforeAll(async () => {
    if (transport === "http") {
      const server = await startMockServer({ port: 0, apiKey: API_KEY, ...options });
      target.url = server.url;
      target.backend = server.backend;
      stop = () => server.close();
    } else {
      const mock = setupMockServer({ apiKey: API_KEY, ...options });
      mock.listen();
      target.url = options.baseUrl ?? "http://nametag.test";
      target.backend = mock.backend;
      stop = mock.close;
    }
  });
  afterEach(() => target.backend.reset());
  afterAll(() => stop());

  target.call = async (method, path, callOptions = {}) => {
    const headers: Record<string, string> = { ...callOptions.headers };
    let body: string | undefined;
    if (callOptions.body !== undefined) {
      body =
        typeof callOptions.body === "string" ? callOptions.body : JSON.stringify(callOptions.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(`${target.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
  return target;
}

export function browser(visitorId = VISITOR, userId?: string, extra: Record<string, string> = {}) {
  return {
    "x-nametag-visitor-id": visitorId,
    ...(userId === undefined ? {} : { "x-nametag-user-id": userId }),
    ...extra,
  };
}

export function server(userToken?: string, apiKey = API_KEY) {
  return {
    authorization: `Bearer ${apiKey}`,
    ...(userToken === undefined ? {} : { "x-user-token": userToken }),
  };
}

/** A host proxy's headers: `NametagProxy <apiKey>` plus the browser's visitor (and user) id. */
export function proxy(visitorId = VISITOR, userId?: string, apiKey = API_KEY) {
  return { ...browser(visitorId, userId), authorization: `NametagProxy ${apiKey}` };
}

export const { jane: JANE, omar: OMAR } = DEMO_USERS;

/** Links `visitorId` to a demo user through the browser endpoint. */
export async function link(target: Target, identity: DemoUser, visitorId = VISITOR) {
  const reply = await target.call("POST", "/v1/identity", {
    headers: browser(visitorId),
    body: identity,
  });
  if (reply.status !== 200)
    throw new Error(`link failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** Creates a user through the server endpoint. */
export async function createUser(target: Target, input: Record<string, unknown> = {}) {
  const reply = await target.call("POST", "/v1/users", { headers: server(), body: input });
  if (reply.status !== 201)
    throw new Error(`createUser failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** A browser conversation for `visitorId` (and `userId` when identified). */
export async function browserConversation(target: Target, visitorId = VISITOR, userId?: string) {
  const reply = await target.call("POST", "/v1/conversations", {
    headers: browser(visitorId, userId),
    body: {},
  });
  if (reply.status !== 201)
    throw new Error(`conversation failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- values prepared by a case's setup
export type Vars = Record<string, any>;

/** One row of an endpoint's table: prepare, send, and what the backend must answer. */
export interface Case {
  name: string;
  setup?: (target: Target) => Promise<Vars>;
  request: (vars: Vars) => CallOptions & { method: string; path: string };
  status: number;
  /** The error envelope's code, for error rows. */
  code?: string;
  check?: (reply: Reply, vars: Vars, target: Target) => void | Promise<void>;
}

/** Runs a table against a target; every answer carries x-request-id, every error the envelope. */
export function runCases(target: Target, cases: Case[]): void {
  it.each(cases)("$name", async (row) => {
    const vars = (await row.setup?.(target)) ?? {};
    const { method, path, ...options } = row.request(vars);
    const reply = await target.call(method, path, options);
    expect({ status: reply.status, body: reply.body }).toMatchObject({ status: row.status });
    expect(reply.headers.get("x-request-id")).toMatch(/^req_/);
    if (row.status >= 400) {
      expect(reply.body).toEqual({
        error: expect.objectContaining({ code: row.code, message: expect.any(String) }),
      });
    }
    await row.check?.(reply, vars, target);
  });
}
