// The two demo users every Nametag example signs in as (password "demo"). Only public profile
// fields live here: this module is imported by client components too. Secrets are in
// demoSecrets.ts, which is server-only.

export interface DemoUser {
  id: string;
  name: string;
  email: string;
  plan: string;
  company: string;
}

export const DEMO_PASSWORD = "demo";

export const DEMO_USERS: Record<string, DemoUser> = {
  user_jane: {
    id: "user_jane",
    name: "Jane Smith",
    email: "jane@example.com",
    plan: "enterprise",
    company: "Acme Inc",
  },
  user_omar: {
    id: "user_omar",
    name: "Omar Haddad",
    email: "omar@example.com",
    plan: "pro",
    company: "Globex",
  },
};

export function findDemoUser(id: unknown): DemoUser | undefined {
  return typeof id === "string" && Object.hasOwn(DEMO_USERS, id) ? DEMO_USERS[id] : undefined;
}
