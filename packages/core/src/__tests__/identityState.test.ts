// The pure transitions, with no timer, storage or network: what each event does to the state and
// which effects it asks for.
import { describe, expect, it } from "vitest";
import { fail } from "../errors";
import { identityFingerprint, initialState, persistedOf, transition } from "../identityState";
import type { IdentityEvent, IdentityState, UserIntent } from "../identityState";

function intent(
  userId: string,
  metadata: Record<string, unknown> = {},
  secret = false,
): UserIntent {
  const identity = { userId, userMetadata: metadata };
  return {
    ...identity,
    sanitized: metadata,
    sensitivePaths: secret ? ["/password"] : [],
    credential: {},
    fingerprint: identityFingerprint(identity),
    secret,
  };
}

function run(state: IdentityState, ...events: IdentityEvent[]) {
  const effects: string[] = [];
  for (const event of events) {
    const [next, produced] = transition(state, event);
    state = next;
    effects.push(...produced.map((effect) => effect.type));
  }
  return { state, effects };
}

const V1 = "v_1_aaaaaaaaaaaaaaaa";
const V2 = "v_2_bbbbbbbbbbbbbbbb";
const identify = (user: UserIntent, key = "k1", seq = 1): IdentityEvent => ({
  type: "identify",
  user,
  key,
  freshVisitorId: V2,
  seq,
});

describe("identity transitions", () => {
  it("identify: anonymous → identifying, one link effect with the event's key; success → identified", () => {
    const start = initialState(V1);
    const [identifying, effects] = transition(start, identify(intent("jane")));
    expect(identifying).toMatchObject({
      status: "identifying",
      generation: 1,
      link: { key: "k1", phase: "sending" },
    });
    expect(effects).toEqual([
      { type: "publish" },
      { type: "link", generation: 1, key: "k1", user: identifying.user },
    ]);
    const { state, effects: after } = run(identifying, { type: "linkSucceeded", generation: 1 });
    expect(state).toMatchObject({ status: "identified", linkedUserId: "jane", link: null });
    expect(after).toEqual(["persist", "publish"]);
  });

  it("an identical identify after another tab's request is announced (persisted with its order); otherwise nothing", () => {
    const bo = intent("bo");
    const linked = run(initialState(V1), identify(bo), {
      type: "linkSucceeded",
      generation: 1,
    }).state;
    // Nobody asked for anything since (this tab's own next number): nothing to write.
    expect(run(linked, identify(bo, "k1", 2)).effects).toEqual([]);
    // Another tab took number 2 (another user): bo's repeat is newer, the other tabs must hear it.
    const { state, effects } = run(linked, identify(bo, "k1", 3));
    expect(effects).toEqual(["persist"]);
    expect(persistedOf(state)).toMatchObject({ userId: "bo", seq: 3 });
    // A state another tab wrote for an older request than this tab's own is not adopted.
    const older = {
      v: 1 as const,
      visitorId: V2,
      userId: "ada",
      userMetadata: {},
      fingerprint: null,
    };
    expect(run(state, { type: "otherTab", stored: { ...older, seq: 2 } }).state).toBe(state);
    expect(run(state, { type: "otherTab", stored: { ...older, seq: 4 } }).state.user?.userId).toBe(
      "ada",
    );
    // The same user on another visitor id, for an older request, is not taken either.
    const moved = { ...older, userId: "bo", seq: 1 };
    expect(run(state, { type: "otherTab", stored: moved }).state).toBe(state);
    // The same user's state (a metadata update another tab made) is taken whatever its order.
    const update = {
      ...older,
      visitorId: V1,
      userId: "bo",
      userMetadata: { plan: "free" },
      seq: 1,
    };
    expect(run(state, { type: "otherTab", stored: update }).state.user?.sanitized).toEqual({
      plan: "free",
    });
  });

  it("a response of an older generation changes nothing", () => {
    const { state } = run(
      initialState(V1),
      identify(intent("jane")),
      { type: "reset", freshVisitorId: V2, reentrant: false, seq: 1 },
      { type: "linkSucceeded", generation: 1 },
    );
    expect(state).toMatchObject({ status: "anonymous", user: null, visitorId: V2, generation: 2 });
  });

  it("another user rotates the visitor first and emits reset, then links under the new visitor", () => {
    const { state } = run(initialState(V1), identify(intent("jane")), {
      type: "linkSucceeded",
      generation: 1,
    });
    const [next, effects] = transition(state, identify(intent("omar"), "k2"));
    expect(next).toMatchObject({ visitorId: V2, status: "identifying", user: { userId: "omar" } });
    expect(effects.map((effect) => effect.type)).toEqual(["persist", "reset", "publish", "link"]);
  });

  it("a kept failure waits with its key; identify again or retryLink resends the same key", () => {
    const error = fail("TIMEOUT", false);
    const { state } = run(initialState(V1), identify(intent("jane")), {
      type: "linkFailed",
      generation: 1,
      error,
      kept: true,
      refused: false,
    });
    expect(state).toMatchObject({ status: "identifying", link: { key: "k1", phase: "waiting" } });
    const [again, effects] = transition(state, identify(intent("jane"), "ignored"));
    expect(effects).toEqual([{ type: "link", generation: 1, key: "k1", user: again.user }]);
    const [, retried] = transition(state, { type: "retryLink" });
    expect(retried).toEqual([{ type: "link", generation: 1, key: "k1", user: state.user }]);
  });

  it("a refused link becomes anonymous (verificationFailed); a sending link ignores retryLink", () => {
    const error = fail("IDENTITY_VERIFICATION_FAILED", false);
    const started = run(initialState(V1), identify(intent("jane"))).state;
    expect(transition(started, { type: "retryLink" })[1]).toEqual([]);
    const [state, effects] = transition(started, {
      type: "linkFailed",
      generation: 1,
      error,
      kept: false,
      refused: true,
    });
    expect(state).toMatchObject({ status: "anonymous", user: null, visitorId: V1 });
    expect(effects).toEqual([
      { type: "persist" },
      { type: "publish" },
      { type: "error", error, verificationFailed: true },
    ]);
  });

  it("a re-entrant reset right after a reset is already satisfied; a direct one rotates again", () => {
    const { state } = run(initialState(V1), {
      type: "reset",
      freshVisitorId: V2,
      reentrant: false,
      seq: 1,
    });
    expect(
      transition(state, { type: "reset", freshVisitorId: V1, reentrant: true, seq: 1 }),
    ).toEqual([state, []]);
    expect(
      transition(state, { type: "reset", freshVisitorId: V1, reentrant: false, seq: 1 })[0]
        .visitorId,
    ).toBe(V1);
  });

  it("storage gets the user only once linked, and no fingerprint when the identity holds a secret", () => {
    const plain = run(initialState(V1), identify(intent("jane", { plan: "pro" })));
    expect(persistedOf(plain.state)).toEqual({
      visitorId: V1,
      userId: null,
      userMetadata: {},
      fingerprint: null,
      seq: 1,
    });
    const linked = run(plain.state, { type: "linkSucceeded", generation: 1 }).state;
    expect(persistedOf(linked).fingerprint).toBe(linked.user?.fingerprint);
    const secret = run(initialState(V1), identify(intent("sam", { name: "Sam" }, true)), {
      type: "linkSucceeded",
      generation: 1,
    }).state;
    expect(persistedOf(secret)).toEqual({
      visitorId: V1,
      userId: "sam",
      userMetadata: { name: "Sam" },
      fingerprint: null,
      seq: 1,
    });
  });

  it("another tab's logout resets this tab onto its visitor; its login is adopted without a link", () => {
    const jane = run(initialState(V1), identify(intent("jane")), {
      type: "linkSucceeded",
      generation: 1,
    }).state;
    const [out, effects] = transition(jane, {
      type: "otherTab",
      stored: { v: 1, visitorId: V2, userId: null, userMetadata: {}, fingerprint: null },
    });
    expect(out).toMatchObject({ status: "anonymous", visitorId: V2, user: null });
    expect(effects.map((effect) => effect.type)).toEqual(["publish", "reset"]);
    const [adopted, adoptEffects] = transition(initialState(V1), {
      type: "otherTab",
      stored: { v: 1, visitorId: V1, userId: "omar", userMetadata: { a: 1 }, fingerprint: "f" },
    });
    expect(adopted).toMatchObject({ status: "identified", linkedUserId: "omar", link: null });
    expect(adoptEffects).toEqual([{ type: "publish" }]);
  });
});
