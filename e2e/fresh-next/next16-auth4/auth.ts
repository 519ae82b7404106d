// auth.ts (next-auth v4)
import { getServerSession, type NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";

export const authOptions: NextAuthOptions = {
  providers: [
    CredentialsProvider({
      credentials: { email: {}, password: {} },
      // Look the user up in your database; this one accepts a single demo user.
      authorize(credentials) {
        if (credentials?.email !== "jane@example.com" || credentials.password !== "demo") {
          return null;
        }
        return { id: "user_jane", name: "Jane Smith", email: "jane@example.com" };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.id = user.id;
      return token;
    },
    session({ session, token }) {
      if (session.user) (session.user as { id?: string }).id = token.id as string;
      return session;
    },
  },
};

// What @nametag/next/server calls to read the session (v5 exports `auth` itself).
export const auth = () => getServerSession(authOptions);
