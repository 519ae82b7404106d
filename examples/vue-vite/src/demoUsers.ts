import type { UserMetadata } from "@nametag/core";

/** The two accounts of the fake login. Jane's metadata carries a secret the agent must never see. */
export interface DemoUser {
  id: string;
  metadata: UserMetadata & { name: string };
}

export const demoUsers: Record<"jane" | "omar", DemoUser> = {
  jane: {
    id: "user_jane",
    metadata: {
      name: "Jane Smith",
      email: "jane@example.com",
      plan: "enterprise",
      company: "Acme Inc",
      authToken: "demo-jane-auth-token-7f3a",
    },
  },
  omar: {
    id: "user_omar",
    metadata: { name: "Omar Haddad", email: "omar@example.com", plan: "pro", company: "Globex" },
  },
};
