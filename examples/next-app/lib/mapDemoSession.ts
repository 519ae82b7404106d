// One session → identity mapping for the server (bootstrap) and the browser (provider), so both
// produce the same identity and a reload sends no second link request.
import type { IdentifyInput } from "@nametag/core";
import type { Session } from "next-auth";

export function mapDemoSession(session: Session): IdentifyInput | null {
  const user = session.user;
  if (!user?.id) return null;
  return {
    userId: user.id,
    userMetadata: { name: user.name, email: user.email, plan: user.plan, company: user.company },
  };
}
