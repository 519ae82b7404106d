export { NametagProvider } from "./NametagProvider";
export type { NametagProviderProps } from "./NametagProvider";
export { useNametag } from "./useNametag";
export { useIdentity } from "./useIdentity";
export { useVisitorId } from "./useVisitorId";
export { useAutoIdentify } from "./useAutoIdentify";
export { useTemplate } from "./useTemplate";
export { useForm } from "./useForm";
export type { UseFormResult } from "./useForm";
export { useConversations } from "./useConversations";
export type { UseConversationsResult } from "./useConversations";
// Core's errors and public types, so an app imports everything from @nametag/react (as from
// @nametag/vue and @nametag/next). Listed by name: what is public is a decision.
export { NametagError, isNametagError } from "@nametag/core";
export type {
  AgentContext,
  AuthUser,
  Conversation,
  FormField,
  FormSchema,
  IdentifyInput,
  Identity,
  IdentityStatus,
  Message,
  MessageRole,
  NametagClient,
  NametagErrorCode,
  NametagOptions,
  Persistence,
  SendMessageResponse,
  StorageLike,
} from "@nametag/core";
