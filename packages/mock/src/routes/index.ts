import type { Route } from "../context";
import { attributeRoutes } from "./attributes";
import { contactRoutes } from "./contacts";
import { conversationRoutes } from "./conversations";
import { identityRoutes } from "./identity";
import { userRoutes } from "./users";

/** Every endpoint of the contract, in match order (literal paths before parameters). */
export const routes: readonly Route[] = [
  ...identityRoutes,
  ...conversationRoutes,
  ...userRoutes,
  ...contactRoutes,
  ...attributeRoutes,
];
