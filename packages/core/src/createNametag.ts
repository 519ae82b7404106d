import { createConversations } from "./conversations";
import { openCrossTab } from "./crossTab";
import type { CrossTabLink } from "./crossTab";
import { DEV, fail } from "./errors";
import type { NametagError, NametagErrorCode } from "./errors";
import { createEmitter } from "./events";
import { createFormRegistry } from "./forms";
import { resolveHttpTool as resolveHttpToolPure } from "./httpTool";
import { identityFingerprint, initialState, persistedOf, transition } from "./identityState";
import type {
  Credential,
  IdentityEffect,
  IdentityEvent,
  IdentityState,
  UserIntent,
} from "./identityState";
import {
  deliverLink,
  fetchCredential,
  hasProof,
  identityHeaders,
  isKept,
  isVerificationFailure,
  toNametagError,
} from "./link";
import type { LinkOutcome } from "./link";
import { watchOnline } from "./offline";
import { assertOptions } from "./options";
import { HEADERS } from "./protocol";
import type { UserMetadata } from "./protocol";
import { createRunner } from "./runner";
import { sanitizeMetadata } from "./sanitize";
import type { SanitizeOptions } from "./sanitize";
import { createSnapshot, postIdentity } from "./snapshot";
import { STORAGE_KEY, readState, resolveStorage, writeState } from "./storage";
import type { PersistedState } from "./storage";
import { renderTemplate } from "./template";
import { createTransport } from "./transport";
import type { TransportRequest } from "./transport";
import type {
  AgentContext,
  AuthUser,
  IdentifyInput,
  NametagClient,
  NametagEvents,
  NametagOptions,
} from "./types";
import {
  validateLabels,
  validateMetadata,
  validateOptionalString,
  validateUserId,
} from "./validate";
import { createIdempotencyKey, createVisitorId } from "./visitorId";

export { IDENTITY_UPDATE_MESSAGE } from "./snapshot";

/**
 * Creates the Nametag client: the wiring of the identity state machine (identityState.ts), its
 * runner, storage, cross-tab sync, transport and events. Creating it reads storage only (in a
 * browser): no listener, timer or request starts before `mount()` or a call, so it is safe on a server.
 */
export function createNametag(options: NametagOptions): NametagClient {
  assertOptions(options);
  // Frozen copies: the sanitizer builds its matcher once per frozen list.
  const sanitizeOptions: SanitizeOptions = {
    sensitiveKeys: Object.freeze([...(options.sensitiveKeys ?? [])]),
    allowKeys: Object.freeze([...(options.allowKeys ?? [])]),
  };
  const limits = { maxBytes: options.maxMetadataBytes };
  const { storage, shared } = resolveStorage(options.persistence, (message) =>
    console.warn(`[nametag] ${message}`),
  );
  const transport = createTransport({ ...options, baseUrl: options.apiUrl });
  // A throwing event handler or onError is logged, never allowed to break the client.
  const logError = (error: unknown) => console.error("[nametag]", error);
  const emitter = createEmitter<NametagEvents>(logError);
  const forms = createFormRegistry();
  // Aborted by destroy(): no request outlives the client.
  const lifetime = new AbortController();

  let destroyed = false;
  let inResetHandler = false;
  let mountCount = 0;
  let crossTab: CrossTabLink | null = null;
  let stopOnline: (() => void) | null = null;
  /** The Idempotency-Key and visitor id of the last link sent. */
  let sentLink = ["", ""];
  /** The link being sent (resolves when it settled; never rejects). */
  let linkFlight: Promise<void> | null = null;
  /** Aborted when the generation changes: a superseded link sends nothing more. */
  let generationControl = { generation: -1, controller: new AbortController() };
  const reads = new Map<string, Promise<unknown>>();
  // The current user, once the runner exists (intentOf() runs before that for initialIdentity).
  let currentUser = (): UserIntent | null => null;

  function intentOf(
    identity: Pick<UserIntent, "userId" | "userMetadata" | "labels" | "assignedAgent">,
    credential: Credential,
  ): UserIntent {
    const fingerprint = identityFingerprint(identity);
    const current = currentUser();
    // The same input as the current user's (an identical identify): its sanitized copy is reused.
    const { value, removedPointers } =
      current?.fingerprint === fingerprint && current.userId === identity.userId
        ? { value: current.sanitized, removedPointers: current.sensitivePaths as string[] }
        : sanitizeMetadata(identity.userMetadata, sanitizeOptions);
    return {
      ...identity,
      sanitized: value,
      sensitivePaths: removedPointers,
      credential,
      fingerprint,
      secret: removedPointers.length > 0 || hasProof(credential),
    };
  }

  /** Validates identify()'s input into detached copies (throws a NametagError, state untouched). */
  function toIntent(input: IdentifyInput): UserIntent {
    const userId = validateUserId(input?.userId);
    return intentOf(
      {
        userId,
        userMetadata: validateMetadata(input.userMetadata, limits),
        labels: validateLabels(input.labels),
        assignedAgent: validateOptionalString(input.assignedAgent, "assignedAgent"),
      },
      {
        userHash: validateOptionalString(input.userHash, "userHash"),
        identityToken: validateOptionalString(input.identityToken, "identityToken"),
      },
    );
  }

  // ---- initial state: storage, then the server's initialIdentity ----------------------------
  const stored = readState(storage);
  let visitorPersisted = stored !== null;
  let start: IdentityState = {
    ...initialState(stored?.visitorId ?? createVisitorId()),
    seq: stored?.seq ?? 0,
  };
  if (stored?.userId) {
    // The user storage remembered: sanitized metadata only, no fingerprint when it held secrets.
    start = {
      ...start,
      status: "identified",
      user: {
        userId: stored.userId,
        userMetadata: stored.userMetadata,
        sanitized: stored.userMetadata,
        sensitivePaths: [],
        credential: {},
        // "" matches no identify: a user stored without a fingerprint is linked once per page load.
        fingerprint: stored.fingerprint ?? "",
        secret: stored.fingerprint === null,
      },
      linkedUserId: stored.userId,
    };
  }
  if (options.initialIdentity) {
    const initial = toIntent(options.initialIdentity);
    if (stored?.userId && stored.userId !== initial.userId) {
      // Another user was stored: the new one must not inherit that visitor's history.
      start = initialState(createVisitorId());
      visitorPersisted = false;
    }
    start = {
      ...start,
      status: "identified",
      user: initial,
      // Owed to the backend and sent on mount (or the first call), unless storage confirms it.
      link:
        // (A fingerprint covers the userId; a stored user without one is linked again.)
        start.user?.fingerprint === initial.fingerprint
          ? null
          : { key: createIdempotencyKey(), phase: "waiting" },
    };
  }
  const snapshot = createSnapshot(start);
  const runner = createRunner<IdentityState, IdentityEvent, IdentityEffect>(
    start,
    transition,
    perform,
  );
  currentUser = () => runner.state.user;

  function syncGeneration(): void {
    const { generation } = runner.state;
    if (generation === generationControl.generation) return;
    generationControl.controller.abort();
    generationControl = { generation, controller: new AbortController() };
  }

  function dispatch(event: IdentityEvent): void {
    if (destroyed) return;
    runner.dispatch(event);
    syncGeneration();
  }

  // ---- the claim: which user a shared visitor id is being linked to, and the request order ----
  const CLAIM_KEY = `${STORAGE_KEY}:claim`;
  /**
   * `seq`: the request counter; `[visitorId, userId, seq]`: the latest claims, newest last, with
   * the request each was made for (userId `""`: retired by a logout, no user may be linked on that
   * visitor id again).
   */
  type Claim = { seq?: number; claims?: [string, string, number?][] };
  function readClaim(): Claim {
    try {
      return JSON.parse(storage.getItem(CLAIM_KEY)!) ?? {};
    } catch {
      return {};
    }
  }
  const writeClaim = (claim: Claim) => storage.setItem(CLAIM_KEY, JSON.stringify(claim));
  /** The next request's place in the order all tabs share (storage holds the counter). */
  function nextSeq(): number {
    const claim = readClaim();
    const seq = Math.max(claim.seq! | 0, runner.state.seq) + 1;
    writeClaim({ ...claim, seq });
    return seq;
  }

  // ---- effects -------------------------------------------------------------------------------
  function perform(effect: IdentityEffect, state: IdentityState): void {
    if (destroyed) return;
    switch (effect.type) {
      case "persist": {
        const raw = writeState(storage, persistedOf(state));
        visitorPersisted = true;
        crossTab?.publish(raw);
        return;
      }
      case "publish": {
        const changed = snapshot.update(state);
        if (changed) {
          emitter.emit("identityUpdate", changed);
          postIdentity(changed);
        }
        return;
      }
      case "reset": {
        // After a logout the user's id does not stay in storage: their claims on earlier visitor
        // ids are retired (""), not forgotten, so no tab can link another user on a visitor id
        // they had. Only theirs, and only those made before this reset: another user's claim is
        // another tab's link in progress (that tab retires it when it takes this reset on), and a
        // newer claim is a later login this tab hears of late. Retiring either would move that
        // link to a fresh visitor id with the same key: one identity linked twice. The current
        // visitor id's claim stays (a tab adopting another's reset may share the id it links).
        const claim = readClaim();
        if (claim.claims)
          writeClaim({
            ...claim,
            claims: claim.claims.map(([visitorId, userId, seq]) => [
              visitorId,
              visitorId !== state.visitorId && userId === effect.previousUserId && seq! < state.seq
                ? ""
                : userId,
              seq,
            ]),
          });
        // A resetUser() from a reset handler is satisfied by this reset, even if it would queue.
        inResetHandler = true;
        emitter.emit("reset", {
          previousUserId: effect.previousUserId,
          visitorId: effect.visitorId,
        });
        inResetHandler = false;
        return;
      }
      case "error":
        if (effect.verificationFailed) emitter.emit("verificationFailed", effect.error);
        report(effect.error);
        return;
      case "link":
        startLink(effect, state);
    }
  }

  function startLink(effect: Extract<IdentityEffect, { type: "link" }>, state: IdentityState) {
    const { generation } = effect;
    const claim = readClaim();
    const claims = claim.claims ?? [];
    const owner = claims.find(([visitorId]) => visitorId === state.visitorId)?.[1];
    // Another tab is linking (or linked) this shared visitor id to another user: never share it.
    // A link already sent on this visitor id is resent there whatever the claim says now (a logout
    // elsewhere retired it): the backend may hold it, and its key must not link a second visitor.
    if (
      owner !== undefined &&
      owner !== effect.user.userId &&
      (sentLink[0] !== effect.key || sentLink[1] !== state.visitorId)
    )
      return dispatch({ type: "rotate", generation, freshVisitorId: createVisitorId() });
    sentLink = [effect.key, state.visitorId];
    // Announced before it is sent, so another tab about to link someone else rotates first.
    const others = claims.filter(([visitorId]) => visitorId !== state.visitorId).slice(-7);
    writeClaim({
      ...claim,
      claims: [...others, [state.visitorId, effect.user.userId, state.seq]],
    });
    syncGeneration();
    const flight = deliverLink({
      transport,
      visitorId: state.visitorId,
      user: effect.user,
      key: effect.key,
      signal: generationControl.controller.signal,
      getIdentityToken: options.getIdentityToken,
      onCredential: (credential) => dispatch({ type: "credential", generation, credential }),
    }).then((outcome: LinkOutcome) => {
      if (outcome === true) dispatch({ type: "linkSucceeded", generation });
      else if (outcome)
        dispatch({
          type: "linkFailed",
          generation,
          error: outcome,
          kept: isKept(outcome),
          refused: isVerificationFailure(outcome),
        });
      if (linkFlight === flight) linkFlight = null;
    });
    linkFlight = flight;
  }

  function report(error: NametagError): void {
    try {
      options.onError?.(error);
    } catch (handlerError) {
      logError(handlerError);
    }
    emitter.emit("error", error);
  }

  function assertAlive(method: string | false): void {
    if (destroyed)
      throw fail(
        "DESTROYED",
        DEV && `${method} was called after destroy(). Create a new client with createNametag().`,
      );
  }

  // ---- backend calls -------------------------------------------------------------------------
  /**
   * Waits for the link a call depends on: a link in flight is awaited, a failed one is retried
   * (same Idempotency-Key) first. A call never goes out as the anonymous visitor of a user who is
   * logging in: if the link cannot be made, it fails with the link's error.
   */
  async function awaitLink(): Promise<void> {
    for (let round = 0; round < 8; round++) {
      const before = runner.state;
      if (!before.link) return;
      if (before.link.phase === "waiting") dispatch({ type: "retryLink" });
      const flight = linkFlight;
      if (!flight) return;
      await flight;
      const after = runner.state;
      if (after.generation === before.generation && after.link?.phase === "waiting") {
        if (after.status !== "identifying") return;
        const cause = after.link.error;
        throw fail(
          (cause?.code ?? "NETWORK_ERROR") as NametagErrorCode,
          DEV &&
            `The user "${after.user?.userId}" could not be linked yet (${cause?.message}), so this call was not sent as an anonymous visitor. It is retried on the next call, identify() or when the browser is back online.`,
          { cause, status: cause?.status, requestId: cause?.requestId },
        );
      }
    }
  }

  async function browserRequest<T>(request: TransportRequest): Promise<T> {
    assertAlive(DEV && "conversations");
    // A call made from a listener runs after the transition that notified it (its link included).
    await undefined;
    const wanted = runner.state.user;
    await awaitLink();
    assertAlive(DEV && "conversations");
    // A write made for a user must not go out as whoever replaced them while it waited.
    if (request.method !== "GET" && runner.state.user?.userId !== wanted?.userId)
      throw fail(
        "ABORTED",
        DEV && "The user changed while this call waited for the link, so it was not sent.",
      );
    // Something created under this visitor id must be found again after a reload.
    if (request.method !== "GET" && !visitorPersisted) dispatch({ type: "visitorUsed" });
    const state = runner.state;
    const asUser = state.status === "identified" ? state.user : null;
    const headers = { ...request.headers, ...identityHeaders(state.visitorId, asUser) };
    const send = () =>
      transport
        .request<T>({ ...request, headers, signal: lifetime.signal })
        .then((response) => response.data);
    const run = async (): Promise<T> => {
      try {
        return await send();
      } catch (error) {
        if (!isVerificationFailure(error) || !options.getIdentityToken || !asUser) throw error;
        const credential = await fetchCredential(options.getIdentityToken, asUser.userId);
        dispatch({ type: "credential", generation: state.generation, credential });
        Object.assign(headers, identityHeaders(state.visitorId, { ...asUser, credential }));
        return send();
      }
    };
    if (request.method !== "GET") {
      // A read in flight may predate this write: later reads start afresh.
      reads.clear();
      return run().finally(() => reads.clear());
    }
    // Identical concurrent reads (same path, query and identity) share one request.
    const key = JSON.stringify([request.path, request.query, headers]);
    let shared = reads.get(key) as Promise<T> | undefined;
    if (!shared) {
      shared = run().finally(() => reads.delete(key));
      reads.set(key, shared);
    }
    return shared;
  }

  const writeHeaders = () => ({ [HEADERS.idempotencyKey]: createIdempotencyKey() });

  // ---- public methods ------------------------------------------------------------------------
  /** Resolves once the newest link settled (or was superseded); never rejects. */
  const settled = (): Promise<void> => Promise.resolve().then(() => linkFlight ?? undefined);

  const identify = (input: IdentifyInput): Promise<void> => {
    assertAlive(DEV && "identify()");
    const user = toIntent(input);
    dispatch({
      type: "identify",
      user,
      // Drawn only if the transition needs them (an identical identify needs neither).
      get key() {
        return createIdempotencyKey();
      },
      get freshVisitorId() {
        return createVisitorId();
      },
      seq: nextSeq(),
    });
    return settled();
  };

  const resetUser = (): void => {
    assertAlive(DEV && "resetUser()");
    if (inResetHandler) return;
    dispatch({
      type: "reset",
      freshVisitorId: createVisitorId(),
      reentrant: runner.busy,
      seq: nextSeq(),
    });
  };

  const syncAuth = (user: AuthUser): Promise<void> => {
    assertAlive(DEV && "syncAuth()");
    if (user === undefined) return Promise.resolve();
    if (user === null) {
      if (runner.state.user !== null) resetUser();
      return Promise.resolve();
    }
    return identify(user);
  };

  const updateMetadata = (partial: Record<string, unknown>): Promise<void> => {
    assertAlive(DEV && "updateMetadata()");
    const current = runner.state.user;
    if (current === null) {
      throw fail(
        "NOT_IDENTIFIED",
        DEV && "updateMetadata() needs an identified user. Call identify() first.",
      );
    }
    const patch = validateMetadata(partial, { ...limits, name: "updateMetadata()" });
    // Spreading defines own properties, so a `__proto__` key stays data here too.
    const merge = (base: UserMetadata): UserMetadata => {
      const merged: UserMetadata = { ...base, ...patch };
      for (const key of Object.keys(patch)) if (patch[key] === null) delete merged[key];
      return merged;
    };
    validateMetadata(merge(current.userMetadata), limits);
    const { generation } = runner.state;
    const live = () => runner.state.generation === generation && runner.state.user !== null;
    const sensitivePaths = sanitizeMetadata(patch, sanitizeOptions).removedPointers;
    return (async () => {
      try {
        await awaitLink();
        if (!live()) return;
        await browserRequest({
          method: "PATCH",
          path: "/v1/identity",
          body: {
            userMetadata: patch,
            sensitivePaths: sensitivePaths.length ? sensitivePaths : undefined,
          },
          headers: writeHeaders(),
        });
      } catch (error) {
        if (live())
          report(toNametagError(error, "NETWORK_ERROR", DEV && "Updating metadata failed."));
        return;
      }
      const user = runner.state.user;
      if (!live() || !user) return;
      dispatch({
        type: "metadataUpdated",
        generation,
        user: intentOf({ ...user, userMetadata: merge(user.userMetadata) }, user.credential),
      });
    })();
  };

  const agentContexts = new WeakMap<object, AgentContext>();
  const getAgentContext = (): AgentContext => {
    const identity = snapshot.get();
    let value = agentContexts.get(identity);
    if (!value) {
      value = Object.freeze({ userId: identity.userId, userMetadata: identity.userMetadata });
      agentContexts.set(identity, value);
    }
    return value;
  };

  const onOtherTab = (stored: PersistedState) => dispatch({ type: "otherTab", stored });

  const mount = (): void => {
    assertAlive(DEV && "mount()");
    if (++mountCount > 1) return;
    if (!visitorPersisted) {
      // Another tab may have written a visitor since this client was created: share it.
      const latest = readState(storage);
      if (latest && latest.visitorId !== runner.state.visitorId && runner.state.user === null)
        onOtherTab(latest);
      else dispatch({ type: "visitorUsed" });
      visitorPersisted = true;
    }
    if (options.crossTab !== false && shared)
      crossTab = openCrossTab({ storageKey: STORAGE_KEY, onState: onOtherTab });
    stopOnline = watchOnline(() => dispatch({ type: "retryLink" }));
    // A bootstrap link (initialIdentity) or one kept from a failure is sent now.
    dispatch({ type: "retryLink" });
  };

  function detach(): void {
    crossTab?.close();
    crossTab = null;
    stopOnline?.();
    stopOnline = null;
  }

  const unmount = (): void => {
    if (mountCount === 0) return;
    if (--mountCount === 0) detach();
  };

  const destroy = (): void => {
    if (destroyed) return;
    destroyed = true;
    mountCount = 0;
    detach();
    generationControl.controller.abort();
    lifetime.abort(fail("DESTROYED", DEV && "The client was destroyed."));
    emitter.clear();
  };

  const fullUser = () => {
    const { user, visitorId } = runner.state;
    return { userId: user?.userId ?? null, visitorId, userMetadata: user?.userMetadata ?? {} };
  };

  return {
    identify,
    updateMetadata,
    resetUser,
    clearIdentity: resetUser,
    syncAuth,
    getVisitorId: () => runner.state.visitorId,
    getIdentity: snapshot.get,
    // Subscribers are identityUpdate handlers without the payload (useSyncExternalStore's shape).
    subscribe: (listener) => emitter.on("identityUpdate", () => listener()),
    getAgentContext,
    render: (template) => {
      const identity = snapshot.get();
      return renderTemplate(
        template,
        {
          userId: identity.userId,
          visitorId: identity.visitorId,
          userMetadata: identity.userMetadata,
        },
        "text",
      );
    },
    resolveHttpTool: (tool) => resolveHttpToolPure(tool, fullUser()),
    forms: {
      register: forms.register,
      resolve: (nameOrSchema, args) => {
        const { userId, userMetadata } = fullUser();
        return forms.resolve(
          nameOrSchema,
          args ?? {},
          { userId, userMetadata: structuredClone(userMetadata) },
          sanitizeOptions,
        );
      },
    },
    conversations: createConversations(browserRequest, options.agent, writeHeaders),
    on: emitter.on,
    mount,
    unmount,
    destroy,
  };
}
