"use client";
// Client entry (`@nametag/next`). Re-exports are listed by name: `export *` across a client
// boundary can drag server code into the browser bundle.
export { NametagIdentityProvider } from "./NametagIdentityProvider";
export type { NametagIdentityProviderProps } from "./NametagIdentityProvider";
export { defaultMapSession } from "./mapSession";
export type { MapSession, NametagSession, NametagSessionUser } from "./mapSession";
export type { NametagBootstrap } from "./NametagBootstrap";
export {
  NametagProvider,
  useNametag,
  useIdentity,
  useVisitorId,
  useAutoIdentify,
  useTemplate,
  useForm,
  useConversations,
} from "@nametag/react";
export type { NametagProviderProps, UseFormResult, UseConversationsResult } from "@nametag/react";
export { NametagError, isNametagError } from "@nametag/core";
export type {
  AgentContext,
  AuthUser,
  Conversation,
  FormSchema,
  Message,
  NametagErrorCode,
  SendMessageResponse,
  Identity,
  IdentifyInput,
  IdentityStatus,
  NametagClient,
  NametagOptions,
} from "@nametag/core";
