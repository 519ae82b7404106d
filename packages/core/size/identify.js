// size-limit entry for the "identify path" budget: what a page that only identifies and logs out
// pulls in (the client, its state machine, storage, sanitizer and transport), nothing else.
import { createNametag } from "../dist/index.js";

const nametag = createNametag({ apiUrl: "/api/nametag" });
nametag
  .identify({ userId: "user_jane", userMetadata: { name: "Jane Smith" } })
  .then(() => console.log(nametag.getVisitorId()))
  .finally(() => nametag.resetUser());
