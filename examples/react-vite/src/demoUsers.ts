import type { IdentifyInput } from "@nametag/core";

/**
 * The two accounts of the fake login, already in the shape `useAutoIdentify()` takes. Jane's
 * metadata carries an auth token: Nametag sends it to the backend (HTTP tools may need it) but it
 * never reaches the agent, the page or web storage.
 */
export const demoUsers = {
  jane: {
    userId: "user_jane",
    userMetadata: {
      name: "Jane Smith",
      email: "jane@example.com",
      plan: "enterprise",
      company: "Acme Inc",
      authToken: "demo-jane-auth-token-7f3a",
    },
  },
  omar: {
    userId: "user_omar",
    userMetadata: {
      name: "Omar Haddad",
      email: "omar@example.com",
      plan: "pro",
      company: "Globex",
    },
  },
} satisfies Record<string, IdentifyInput & { userMetadata: { name: string; plan: string } }>;

export type DemoUserKey = keyof typeof demoUsers;
export type DemoUser = (typeof demoUsers)[DemoUserKey];
