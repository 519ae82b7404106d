import type { NametagError } from "./errors";
import { fingerprint, stableStringify } from "./fingerprint";
import type { UserMetadata } from "./protocol";
import type { PersistedState } from "./storage";
import type { IdentityStatus } from "./types";

/**
 * The identity state machine: pure transitions `(state, event) → [state, effects]`, with no timer,
 * storage or network. `createNametag` runs them (see runner.ts) and performs the effects.
 *
 *   anonymous ──identify──▶ identifying ──linked──▶ identified
 *       ▲                     │   ▲  │ transient failure: stays identifying, link kept (same key)
 *       │                     │   └──┘ retryLink (identify again, syncAuth, online, mount, a call)
 *       └──── reset / refused ┘
 *
 * Every change of user or identity bumps `generation`; the runner drops any effect of an older one
 * before it is performed, so a superseded link is never sent.
 */

export interface Credential {
  userHash?: string;
  identityToken?: string;
}

/** identify()'s input after validation and sanitizing: what the client intends the backend to know. */
export interface UserIntent {
  readonly userId: string;
  /** The full metadata (for the backend, HTTP tools and forms); never stored or published. */
  readonly userMetadata: UserMetadata;
  /** What the agent, events and storage may see. */
  readonly sanitized: UserMetadata;
  /** JSON Pointers of the fields the sanitizer removed: sent to the backend as `sensitivePaths`. */
  readonly sensitivePaths: readonly string[];
  readonly labels?: string[];
  readonly assignedAgent?: string;
  readonly credential: Credential;
  /** A hash of the identify input, to recognise an identical identify. Memory only when `secret`. */
  readonly fingerprint: string;
  /** The input holds something secret (a removed field, a userHash or identityToken). */
  readonly secret: boolean;
}

/** The link the client owes the backend: one per identity change, one Idempotency-Key. */
/** The hash that recognises an identical identify: everything the link sends except the credential. */
export const identityFingerprint = (
  user: Pick<UserIntent, "userId" | "userMetadata" | "labels" | "assignedAgent">,
): string =>
  fingerprint([user.userId, user.userMetadata, user.labels ?? null, user.assignedAgent ?? null]);

export interface OwedLink {
  readonly key: string;
  /** "sending": an attempt is in flight; "waiting": not sent yet, or failed and kept for a trigger. */
  readonly phase: "sending" | "waiting";
  readonly error?: NametagError;
}

export interface IdentityState {
  readonly status: IdentityStatus;
  readonly generation: number;
  /** The order, across tabs, of the request this state answers: an older tab's state never wins. */
  readonly seq: number;
  readonly visitorId: string;
  readonly user: UserIntent | null;
  /** The userId the backend confirmed for this visitor (or storage remembered). */
  readonly linkedUserId: string | null;
  readonly link: OwedLink | null;
  /** The last transition was a reset: a reset asked for from its own handlers is already done. */
  readonly justReset: boolean;
}

export type IdentityEvent =
  /** `freshVisitorId` is used only when another user was identified (their history stays theirs). */
  | { type: "identify"; user: UserIntent; key: string; freshVisitorId: string; seq: number }
  | { type: "reset"; freshVisitorId: string; reentrant: boolean; seq: number }
  /** Another tab claimed this visitor id for another user: link this one on a fresh id. */
  | { type: "rotate"; generation: number; freshVisitorId: string }
  /** A trigger to (re)send an owed link: online, mount, a backend call, the same identify again. */
  | { type: "retryLink" }
  | { type: "linkSucceeded"; generation: number }
  | { type: "linkFailed"; generation: number; error: NametagError; kept: boolean; refused: boolean }
  | { type: "credential"; generation: number; credential: Credential }
  | { type: "metadataUpdated"; generation: number; user: UserIntent }
  | { type: "otherTab"; stored: PersistedState }
  /** Something was created under the visitor id: it must survive a reload. */
  | { type: "visitorUsed" };

export type IdentityEffect =
  | { type: "link"; generation: number; key: string; user: UserIntent }
  | { type: "persist" }
  | { type: "publish" }
  | { type: "reset"; previousUserId: string | null; visitorId: string }
  | { type: "error"; error: NametagError; verificationFailed: boolean };

export type Transition = [IdentityState, IdentityEffect[]];

export function initialState(visitorId: string): IdentityState {
  return {
    status: "anonymous",
    generation: 0,
    seq: 0,
    visitorId,
    user: null,
    linkedUserId: null,
    link: null,
    justReset: false,
  };
}

/** The record storage keeps: the user only once linked, sanitized, and no fingerprint of a secret. */
export function persistedOf(state: IdentityState): Omit<PersistedState, "v"> {
  const user =
    state.linkedUserId !== null && state.user?.userId === state.linkedUserId ? state.user : null;
  return {
    visitorId: state.visitorId,
    userId: user ? user.userId : null,
    userMetadata: user ? user.sanitized : {},
    fingerprint: user && !user.secret ? user.fingerprint : null,
    seq: state.seq,
  };
}

function anonymous(state: IdentityState, visitorId: string): IdentityState {
  return {
    ...initialState(visitorId),
    generation: state.generation + 1,
    seq: state.seq,
  };
}

function sendLink(state: IdentityState, key: string): Transition {
  const next = { ...state, link: { key, phase: "sending" as const } };
  return [next, [{ type: "link", generation: state.generation, key, user: state.user! }]];
}

export function transition(state: IdentityState, event: IdentityEvent): Transition {
  // An answer about another generation (or about no user) is stale: ignored.
  const user = state.user!;
  if ("generation" in event && (event.generation !== state.generation || !user)) return [state, []];
  switch (event.type) {
    case "identify": {
      const current = state.user;
      const sameUser = current?.userId === event.user.userId;
      // The same user without a credential keeps the one it proved itself with.
      const user: UserIntent =
        sameUser && !(event.user.credential.userHash || event.user.credential.identityToken)
          ? { ...event.user, credential: current.credential }
          : event.user;
      if (sameUser && current.fingerprint === user.fingerprint) {
        // The same identity again: nothing new to send. It brings back what storage could not
        // keep (full metadata, credential) and is a trigger for a link that failed.
        const next = { ...state, user, justReset: false, seq: event.seq };
        if (state.link?.phase === "waiting") return sendLink(next, state.link.key);
        // Another tab asked for someone else since: this request is newer, the tabs must hear it.
        return [
          next,
          event.seq > state.seq + 1 && state.linkedUserId === user.userId
            ? [{ type: "persist" }]
            : [],
        ];
      }
      let base = state;
      const effects: IdentityEffect[] = [];
      if (current && !sameUser) {
        // Another user: the new one never inherits the previous user's visitor or history.
        base = anonymous({ ...state, seq: event.seq }, event.freshVisitorId);
        effects.push(
          { type: "persist" },
          { type: "reset", previousUserId: current.userId, visitorId: base.visitorId },
        );
      }
      const next: IdentityState = {
        ...base,
        generation: base.generation + 1,
        seq: event.seq,
        user,
        status: base.status === "anonymous" ? "identifying" : base.status,
        link: null,
        justReset: false,
      };
      const [linked, linkEffects] = sendLink(next, event.key);
      return [linked, [...effects, { type: "publish" }, ...linkEffects]];
    }

    case "reset": {
      if (event.reentrant && state.justReset) return [state, []];
      const next = {
        ...anonymous({ ...state, seq: event.seq }, event.freshVisitorId),
        justReset: true,
      };
      return [
        next,
        [
          { type: "persist" },
          { type: "publish" },
          { type: "reset", previousUserId: state.user?.userId ?? null, visitorId: next.visitorId },
        ],
      ];
    }

    case "rotate":
      return state.link
        ? sendLink(
            { ...state, visitorId: event.freshVisitorId, generation: state.generation + 1 },
            state.link.key,
          )
        : [state, []];

    case "retryLink":
      return state.link?.phase === "waiting" && state.user
        ? sendLink(state, state.link.key)
        : [state, []];

    case "credential":
      return [{ ...state, user: { ...user, credential: event.credential } }, []];

    case "linkSucceeded":
      return [
        {
          ...state,
          status: "identified",
          linkedUserId: user.userId,
          link: null,
        },
        [{ type: "persist" }, { type: "publish" }],
      ];

    case "linkFailed": {
      if (!state.link) return [state, []];
      const report: IdentityEffect = {
        type: "error",
        error: event.error,
        verificationFailed: event.refused,
      };
      if (event.kept) {
        // Timeout, retries spent, offline: the intent stays, with its Idempotency-Key.
        return [
          { ...state, link: { ...state.link, phase: "waiting", error: event.error } },
          [report],
        ];
      }
      if (!event.refused && state.linkedUserId === user.userId) {
        // The same user is still linked with earlier data: they stay identified.
        return [{ ...state, link: null }, [report]];
      }
      // Refused or never confirmed: do not pretend the user is identified.
      return [
        anonymous(state, state.visitorId),
        [{ type: "persist" }, { type: "publish" }, report],
      ];
    }

    case "metadataUpdated":
      return [{ ...state, user: event.user }, [{ type: "persist" }, { type: "publish" }]];

    case "otherTab": {
      const { stored } = event;
      // Written for an older request than this tab's own: its own wins, unless it is only the same
      // user's update on the same visitor (metadata another tab changed).
      if (
        stored.seq! < state.seq &&
        (stored.userId !== state.user?.userId || stored.visitorId !== state.visitorId)
      )
        return [state, []];
      if (stored.userId === null) {
        if (state.user === null && stored.visitorId === state.visitorId) return [state, []];
        const next = anonymous({ ...state, seq: stored.seq ?? state.seq }, stored.visitorId);
        return [
          next,
          state.user
            ? [
                { type: "publish" },
                { type: "reset", previousUserId: state.user.userId, visitorId: next.visitorId },
              ]
            : [{ type: "publish" }],
        ];
      }
      const current = state.user;
      const sameUser = current?.userId === stored.userId;
      if (
        sameUser &&
        stored.visitorId === state.visitorId &&
        state.status === "identified" &&
        // A fingerprint only says "identical" when neither side holds a secret storage lacks.
        (stored.fingerprint === null || current!.secret
          ? stableStringify(stored.userMetadata) === stableStringify(current!.sanitized)
          : stored.fingerprint === current!.fingerprint)
      )
        return [state, []];
      // Storage holds no secret: the same user keeps the secret fields and credential this tab has,
      // so the fingerprint is this tab's (the stored one describes the other tab's identity, and an
      // identify repeating this tab's own input must still be recognised).
      const mine = sameUser && current!.secret;
      const kept: UserMetadata = {};
      for (const pointer of sameUser ? current!.sensitivePaths : []) {
        const key = topLevelKey(pointer);
        if (key in current!.userMetadata) kept[key] = current!.userMetadata[key];
      }
      const base = sameUser ? current! : { credential: {}, sensitivePaths: [] };
      const userMetadata = { ...stored.userMetadata, ...kept };
      const user: UserIntent = {
        ...base,
        userId: stored.userId,
        userMetadata,
        sanitized: stored.userMetadata,
        fingerprint:
          (!mine && stored.fingerprint) ||
          identityFingerprint({ ...base, userId: stored.userId, userMetadata }),
        secret: mine || stored.fingerprint === null,
      };
      return [
        {
          ...anonymous({ ...state, seq: stored.seq ?? state.seq }, stored.visitorId),
          status: "identified",
          user,
          linkedUserId: user.userId,
        },
        [{ type: "publish" }],
      ];
    }

    case "visitorUsed":
      return [state, [{ type: "persist" }]];
  }
}

/** The first segment of a JSON Pointer ("/a~1b/0" → "a/b"). */
function topLevelKey(pointer: string): string {
  const end = pointer.indexOf("/", 1);
  return pointer
    .slice(1, end < 0 ? undefined : end)
    .replace(/~1/g, "/")
    .replace(/~0/g, "~");
}
