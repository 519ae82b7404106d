import { afterAll, afterEach, beforeAll } from "vitest";
import { mock } from "./mockBackend";

beforeAll(mock.listen);
afterEach(mock.reset);
afterAll(mock.close);
