// next-auth's own routes (sign-in, session, CSRF), from the selected next-auth version.
import { handlers } from "../../../../auth";

export const { GET, POST } = handlers;
