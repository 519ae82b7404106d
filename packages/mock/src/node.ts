// `@nametag/mock/node`: test helpers that need Node (MSW's `msw/node`). The main entry stays
// browser-safe, so `setupWorker` users never bundle them.
export { setupMockServer } from "./node/setupMockServer";
export type { MockServerRequest, MockServerSetup } from "./node/setupMockServer";
