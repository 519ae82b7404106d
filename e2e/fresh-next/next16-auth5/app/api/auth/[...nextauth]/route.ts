// app/api/auth/[...nextauth]/route.ts (next-auth v5)
import { handlers } from "@/auth";

export const { GET, POST } = handlers;
