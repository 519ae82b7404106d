// The two demo users of the examples, the e2e suite and every package's tests, in one place so a
// change to a demo value cannot leave one suite asserting the old one. Plain data: browser-safe.

// Type aliases, not interfaces: only an alias is assignable to core's `Record<string, unknown>`.
export type DemoUserMetadata = {
  readonly name: string;
  readonly email: string;
  readonly plan: string;
  readonly company: string;
  /** Jane only: a sensitive key, kept by the backend and never shown to the agent. */
  readonly authToken?: string;
};

export type DemoUser = { readonly userId: string; readonly userMetadata: DemoUserMetadata };

const jane: DemoUser = Object.freeze({
  userId: "user_jane",
  userMetadata: Object.freeze({
    name: "Jane Smith",
    email: "jane@example.com",
    plan: "enterprise",
    company: "Acme Inc",
    // Sensitive on purpose: tests prove it reaches the backend but never the agent or the DOM.
    authToken: "demo-jane-auth-token-7f3a",
  }),
});

const omar: DemoUser = Object.freeze({
  userId: "user_omar",
  userMetadata: Object.freeze({
    name: "Omar Haddad",
    email: "omar@example.com",
    plan: "pro",
    company: "Globex",
  }),
});

/** Jane (enterprise, with a sensitive `authToken`) and Omar (pro); frozen, so no test can change them for the next. */
export const DEMO_USERS: { readonly jane: DemoUser; readonly omar: DemoUser } = Object.freeze({
  jane,
  omar,
});
