import type { Conversation, User, UserMetadata } from "@nametag/core";
import { browserMetadata } from "./sensitivePaths";

/**
 * What an agent sees: the message and the SANITIZED identity (no token, secret, password, …, and
 * none of the host's `sensitivePaths`).
 */
export interface AgentReplyContext {
  text: string;
  /** `null` for an anonymous visitor. `userId` is the host app's id (the user's externalId). */
  user: { userId: string; userMetadata: UserMetadata } | null;
  conversation: Conversation;
}

/** A mock agent: returns the reply text for one user message. */
export type MockAgent = (context: AgentReplyContext) => string | Promise<string>;

/** The default "support" agent: personalised from the sanitized identity, as the seeds show. */
export const supportAgent: MockAgent = ({ user }) => {
  const metadata = user?.userMetadata ?? {};
  const name = typeof metadata.name === "string" ? metadata.name.trim().split(/\s+/)[0] : undefined;
  const plan = typeof metadata.plan === "string" ? metadata.plan : undefined;
  const greeting = name ? `Hi ${name}!` : "Hi there!";
  const planLine = plan ? ` You're on the ${plan} plan.` : "";
  return `${greeting}${planLine} How can I help you today?`;
};

/**
 * Builds the agent's view of a user: the metadata without the host's `sensitivePaths` and
 * sanitized, never the stored original.
 */
export function agentUser(
  user: User | undefined,
  sensitivePaths: readonly string[] = [],
): AgentReplyContext["user"] {
  if (!user) return null;
  const hasMetadata = Object.keys(user.userMetadata).length > 0;
  if (user.externalId === null && !hasMetadata) return null;
  return {
    userId: user.externalId ?? user.id,
    userMetadata: browserMetadata(user.userMetadata, sensitivePaths),
  };
}
