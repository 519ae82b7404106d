// next-auth v4 configuration: a Credentials provider with the two demo users. The session
// callback exposes `user.id` (what Nametag identifies by) and the public profile fields.
import type { NextAuthOptions } from "next-auth";
import NextAuth, { getServerSession } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { DEMO_PASSWORD, findDemoUser } from "./lib/demoUsers";

declare module "next-auth" {
  interface Session {
    user?: {
      id: string;
      name: string;
      email: string;
      plan: string;
      company: string;
      image?: string | null;
    };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    id?: string;
  }
}

export const authOptions: NextAuthOptions = {
  // A fixed fallback keeps `next dev` working out of the box; set NEXTAUTH_SECRET in production.
  secret: process.env.NEXTAUTH_SECRET ?? "nametag-demo-nextauth-secret-for-development-only",
  session: { strategy: "jwt" },
  providers: [
    CredentialsProvider({
      name: "Demo users",
      credentials: {
        userId: { label: "User", type: "text" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials) {
        const user = findDemoUser(credentials?.userId);
        if (!user || credentials?.password !== DEMO_PASSWORD) return null;
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
      session.user = user
        ? {
            id: user.id,
            name: user.name,
            email: user.email,
            plan: user.plan,
            company: user.company,
          }
        : undefined;
      return session;
    },
  },
};

/** The server session, the way @nametag/next/server reads it (`auth` in next-auth v5). */
export const auth = () => getServerSession(authOptions);

const handler = NextAuth(authOptions);
/** next-auth's route handlers, in v5's shape. */
export const handlers = { GET: handler, POST: handler };
