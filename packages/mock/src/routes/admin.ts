import { MockHttpError } from "../errors";
import type { RouteResult } from "../context";
import type { MockFault } from "../faults";
import { parseFault } from "../faults";
import { readJsonBody } from "../readBody";
import type { MockRequestLogEntry } from "../requestLog";
import type { MockStoreSnapshot } from "../store";

export interface AdminDependencies {
  reset(): void;
  addFault(fault: MockFault): void;
  listFaults(): MockFault[];
  clearFaults(): void;
  requests(): MockRequestLogEntry[];
  snapshot(): MockStoreSnapshot;
}

/**
 * Mock-only routes under `/__mock/` (no API key: they exist for e2e suites and demos, never in a
 * real backend): reset, fault injection, the request log and a store dump.
 */
export async function handleAdmin(
  request: Request,
  path: string,
  admin: AdminDependencies,
): Promise<RouteResult> {
  const route = `${request.method} ${path}`;
  switch (route) {
    case "POST /__mock/reset":
      admin.reset();
      return { status: 200, body: { reset: true } };
    case "POST /__mock/faults":
      admin.addFault(parseFault(await readJsonBody(request)));
      return { status: 201, body: { faults: admin.listFaults() } };
    case "GET /__mock/faults":
      return { status: 200, body: { faults: admin.listFaults() } };
    case "DELETE /__mock/faults":
      admin.clearFaults();
      return { status: 200, body: { faults: [] } };
    case "GET /__mock/requests":
      return { status: 200, body: { requests: admin.requests() } };
    case "GET /__mock/store":
      return { status: 200, body: admin.snapshot() };
    default:
      throw new MockHttpError(
        404,
        "NOT_FOUND",
        `No mock admin route ${route}. There are POST /__mock/reset, POST|GET|DELETE /__mock/faults, GET /__mock/requests and GET /__mock/store.`,
      );
  }
}
