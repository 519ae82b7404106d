// auth.ts (next-auth v5)
import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";

export const { handlers, auth, signIn, signOut } = NextAuth({
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      // Look the user up in your database; this one accepts a single demo user.
      authorize(credentials) {
        if (credentials.email !== "jane@example.com" || credentials.password !== "demo") {
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
      session.user.id = token.id as string;
      return session;
    },
  },
});
