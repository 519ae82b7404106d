// next-auth v5 configuration (the `next-auth-v5` alias of next-auth@5.0.0-beta.32): the same
// Credentials provider and demo users as auth.v4.ts, the same session shape.
import type { Session } from "next-auth";
import NextAuth from "next-auth-v5";
import Credentials from "next-auth-v5/providers/credentials";
import { DEMO_PASSWORD, findDemoUser } from "./lib/demoUsers";

const nextAuth = NextAuth({
  // A fixed fallback keeps `next dev` working out of the box; set AUTH_SECRET in production.
  secret: process.env.AUTH_SECRET ?? "nametag-demo-nextauth-secret-for-development-only",
  // The demo runs on 127.0.0.1 without a proxy that sets the host; trust it.
  trustHost: true,
  session: { strategy: "jwt" },
  providers: [
    Credentials({
      name: "Demo users",
      credentials: { userId: { label: "User" }, password: { label: "Password", type: "password" } },
      authorize(credentials) {
        const user = findDemoUser(credentials.userId);
        if (!user || credentials.password !== DEMO_PASSWORD) return null;
        return { id: user.id, name: user.name, email: user.email };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.id = user.id;
      return token;
    },
    session({ session, token }) {
      const user = findDemoUser(token.id);
      // The same public profile as v4's session callback (no secret ever goes in the session).
      return {
        ...session,
        user: user
          ? {
              id: user.id,
              name: user.name,
              email: user.email,
              plan: user.plan,
              company: user.company,
            }
          : undefined,
      } as unknown as typeof session;
    },
  },
});

export const handlers = nextAuth.handlers;
export const auth = async (): Promise<Session | null> =>
  (await nextAuth.auth()) as unknown as Session | null;
