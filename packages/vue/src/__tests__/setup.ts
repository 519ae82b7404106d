import { afterAll, afterEach, beforeAll } from "vitest";
import { backend, requests, server } from "./mockBackend";

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  backend.reset();
  requests.length = 0;
});
afterAll(() => server.close());
