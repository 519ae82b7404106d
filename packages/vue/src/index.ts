export { createNametag } from "./plugin";
export type { NametagPlugin, NametagPluginOptions } from "./plugin";
export { nametagKey } from "./keys";
export { useNametag } from "./useNametag";
export { useIdentity } from "./useIdentity";
export { useVisitorId } from "./useVisitorId";
export { useAutoIdentify } from "./useAutoIdentify";
export { useTemplate } from "./useTemplate";
export { useForm } from "./useForm";
export type { UseFormResult } from "./useForm";
export { useConversations } from "./useConversations";
export type { UseConversationsResult } from "./useConversations";
export type {
  AgentContext,
  AuthUser,
  Conversation,
  FormSchema,
  IdentifyInput,
  Identity,
  IdentityStatus,
  Message,
  NametagClient,
  NametagOptions,
} from "@nametag/core";
