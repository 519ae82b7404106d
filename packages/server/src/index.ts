export { Nametag } from "./Nametag";
export { signIdentity, DEFAULT_IDENTITY_EXPIRES_IN } from "./signIdentity";
export type { SignIdentityInput, SignedIdentity } from "./signIdentity";
export {
  createNametagProxy,
  DEFAULT_PROXY_BASE_PATH,
  DEFAULT_PROXY_TIMEOUT_MS,
} from "./createNametagProxy";
export type {
  NametagProxyHandler,
  NametagProxyOptions,
  NametagProxyUser,
} from "./createNametagProxy";
export { toNodeHandler } from "./toNodeHandler";
export type { NodeProxyRequest, NodeProxyResponse } from "./toNodeHandler";
export { matchBrowserRoute, BROWSER_ID_PATTERN } from "./browserRoutes";
export type { BrowserRoute, BrowserRouteName, BrowserRouteRefusal } from "./browserRoutes";
export type {
  NametagServerOptions,
  RequestOptions,
  CreateUserInput,
  GetUserInput,
  UpdateUserInput,
  DeleteUserInput,
  CreateConversationInput,
  GetConversationInput,
  ListConversationsInput,
  Page,
  PageInput,
  ListMessagesInput,
  SendMessageInput,
  DefineAttributeInput,
  GetContactInput,
  UserOrToken,
} from "./types";
// Shared with @nametag/core so `instanceof` and `code` checks work across packages.
export { NametagError, isNametagError, USER_ID_PATTERN } from "@nametag/core";
export type {
  NametagErrorCode,
  User,
  Conversation,
  ConversationWithUser,
  Message,
  SendMessageResponse,
  DeleteUserResponse,
  ContactInput,
  Contact,
  UpsertContactsResponse,
  AttributeType,
  AttributeDefinition,
  RetryOptions,
} from "@nametag/core";
