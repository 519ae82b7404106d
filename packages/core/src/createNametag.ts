import { createConversations } from "./conversations";
import { openCrossTab } from "./crossTab";
import type { CrossTabLink } from "./crossTab";
import { DEV, fail, isNametagError } from "./errors";
import type { NametagErrorCode, NametagError } from "./errors";
import { createEmitter } from "./events";
import { fingerprint, stableStringify } from "./fingerprint";
import { createFormRegistry } from "./forms";
import { resolveHttpTool as resolveHttpToolPure } from "./httpTool";
import { HEADERS } from "./protocol";
import type { LinkRequest, LinkResponse, MetadataUpdateResponse, UserMetadata } from "./protocol";
import { createSensitiveKeyMatcher, sanitizeMetadata } from "./sanitize";
import type { SensitiveKeyPattern } from "./sanitize";
import { STORAGE_KEY, readState, resolveStorage, writeState } from "./storage";
import type { PersistedState } from "./storage";
import { renderTemplate } from "./template";
import { createTransport, isTransient } from "./transport";
import type { TransportRequest } from "./transport";
import type {
  AgentContext,
  AuthUser,
  IdentifyInput,
  Identity,
  IdentityStatus,
  NametagClient,
  NametagEvents,
  NametagOptions,
  StorageLike,
} from "./types";
import {
  validateLabels,
  validateMetadata,
  validateOptionalString,
  validateUserId,
} from "./validate";
import { createIdempotencyKey, createVisitorId } from "./visitorId";

function freeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) freeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The `postMessage` type of identity updates, sent to the page's own origin only. */
export const IDENTITY_UPDATE_MESSAGE = "nametag:identityUpdate";

interface Credential {
  userHash?: string;
  identityToken?: string;
}

/** identify()'s input after validation: detached copies the caller can no longer change. */
interface NormalizedIdentity {
  userId: string;
  userMetadata: UserMetadata;
  labels: string[] | undefined;
  assignedAgent: string | undefined;
  credential: Credential;
  fingerprint: string;
}

/** A link that could not be delivered (offline): resent with the SAME Idempotency-Key. */
interface PendingLink {
  generation: number;
  idempotencyKey: string;
}

function identityFingerprint(
  identity: Omit<NormalizedIdentity, "credential" | "fingerprint">,
): string {
  return fingerprint([
    identity.userId,
    identity.userMetadata,
    identity.labels ?? null,
    identity.assignedAgent ?? null,
  ]);
}

/** The credential fields that are set; empty ones become undefined, which is never sent. */
const proofOf = (source: Credential | null | undefined): Credential => ({
  userHash: source?.userHash || undefined,
  identityToken: source?.identityToken || undefined,
});

const hasProof = (proof: Credential): boolean => !!(proof.userHash || proof.identityToken);

function isVerificationFailure(error: unknown): error is NametagError {
  return (
    isNametagError(error) &&
    (error.code === "IDENTITY_VERIFICATION_FAILED" ||
      (error.status === 401 && error.code !== "UNAUTHORIZED"))
  );
}

function toNametagError(
  error: unknown,
  fallbackCode: NametagErrorCode,
  message: string | false,
): NametagError {
  return isNametagError(error) ? error : fail(fallbackCode, message, { cause: error });
}

type WindowLike = Pick<Window, "addEventListener" | "removeEventListener" | "postMessage"> & {
  location?: { origin?: string };
};

function getWindow(): WindowLike | undefined {
  const candidate = (globalThis as { window?: WindowLike }).window;
  return candidate && typeof candidate.addEventListener === "function" ? candidate : undefined;
}

/** Throws INVALID_OPTIONS, with what to pass instead, for the first option that is wrong. */
function assertOptions(options: NametagOptions | undefined): void {
  const check = (valid: unknown, message: string | false) => {
    if (!valid) throw fail("INVALID_OPTIONS", message);
  };
  check(
    typeof options?.apiUrl === "string" && options.apiUrl.trim(),
    DEV &&
      'createNametag() needs apiUrl: your backend URL or proxy route, e.g. createNametag({ apiUrl: "/api/nametag" }).',
  );
  const { persistence, sensitiveKeys } = options as NametagOptions;
  check(
    persistence === undefined ||
      ["localStorage", "sessionStorage", "memory"].includes(persistence as string) ||
      (["getItem", "setItem", "removeItem"] as const).every(
        (method) => typeof (persistence as Partial<StorageLike> | null)?.[method] === "function",
      ),
    DEV &&
      'persistence must be "localStorage", "sessionStorage", "memory" or an object with getItem, setItem and removeItem.',
  );
  for (const name of ["timeoutMs", "maxMetadataBytes"] as const) {
    const value = (options as NametagOptions)[name];
    check(
      value === undefined || (typeof value === "number" && value > 0),
      DEV &&
        `${name} must be a positive number of ${name === "timeoutMs" ? "milliseconds" : "bytes"}.`,
    );
  }
  check(
    sensitiveKeys === undefined ||
      (Array.isArray(sensitiveKeys) &&
        sensitiveKeys.every((key) => typeof key === "string" || key instanceof RegExp)),
    DEV && "sensitiveKeys must be an array of strings or RegExps.",
  );
}

/**
 * Creates the Nametag client. Creating it is free of side effects beyond reading storage: no
 * listener, timer or request starts before `mount()` or `identify()`, so it is safe on a server.
 */
export function createNametag(options: NametagOptions): NametagClient {
  assertOptions(options);
  const sensitiveKeys: readonly SensitiveKeyPattern[] = Object.freeze([
    ...(options.sensitiveKeys ?? []),
  ]);
  const limits = { maxBytes: options.maxMetadataBytes };
  // The full metadata is replaced, never mutated, so its sanitized copy is reused until it changes.
  let lastSanitized: { full: UserMetadata; value: UserMetadata } | null = null;
  const sanitize = (metadata: UserMetadata): UserMetadata => {
    if (lastSanitized?.full !== metadata) {
      lastSanitized = {
        full: metadata,
        value: sanitizeMetadata(metadata, { sensitiveKeys }).value,
      };
    }
    return lastSanitized.value;
  };
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

  // Full (unsanitized) identity: kept in memory only, for the backend, HTTP tools and forms.
  let visitorId: string;
  let userId: string | null = null;
  let status: IdentityStatus = "anonymous";
  let fullMetadata: UserMetadata = {};
  let labels: string[] | undefined;
  let assignedAgent: string | undefined;
  let credential: Credential = {};
  let currentFingerprint: string | null = null;
  /** The userId the backend confirmed linked to this visitor. */
  let linkedUserId: string | null = null;
  let visitorPersisted = false;

  let inflight: Promise<void> | null = null; // the link being sent
  let pendingLink: PendingLink | null = null;
  let linkOnMount = false;
  let mountCount = 0;
  let destroyed = false;
  let crossTab: CrossTabLink | null = null;
  let removeOnlineListener: (() => void) | null = null;

  // ---- initial state: storage, then the server's initialIdentity ----------------------------
  const stored = readState(storage);
  visitorId = stored?.visitorId ?? createVisitorId();
  visitorPersisted = stored !== null;
  if (stored?.userId) {
    userId = linkedUserId = stored.userId;
    status = "identified";
    fullMetadata = stored.userMetadata;
    currentFingerprint = stored.fingerprint;
  }
  if (options.initialIdentity) {
    const initial = normalize(options.initialIdentity);
    if (stored?.userId && stored.userId !== initial.userId) {
      // Another user was stored: the new one must not inherit that visitor's history.
      visitorId = createVisitorId();
      visitorPersisted = false;
      linkedUserId = null;
    }
    linkOnMount = !(linkedUserId === initial.userId && currentFingerprint === initial.fingerprint);
    adopt(initial);
    status = "identified";
  }
  // The published identity: frozen, the same reference until something changes.
  let snapshot: Identity = freeze({
    status,
    visitorId,
    userId,
    userMetadata: sanitize(fullMetadata),
  });
  let metadataKey = stableStringify(snapshot.userMetadata);
  // Every identity change starts a new generation; work of an older one (a late link response
  // after a reset) is dropped.
  let gen = 0;
  const live = (generation: number) => generation === gen;
  let agentContext: { snapshot: Identity; value: AgentContext } | null = null;

  // ---- helpers -------------------------------------------------------------------------------
  function normalize(input: IdentifyInput): NormalizedIdentity {
    const userIdValue = validateUserId(input?.userId);
    const userMetadata = validateMetadata(input.userMetadata, limits);
    const normalized = {
      userId: userIdValue,
      userMetadata,
      labels: validateLabels(input.labels),
      assignedAgent: validateOptionalString(input.assignedAgent, "assignedAgent"),
    };
    return {
      ...normalized,
      credential: {
        userHash: validateOptionalString(input.userHash, "userHash"),
        identityToken: validateOptionalString(input.identityToken, "identityToken"),
      },
      fingerprint: identityFingerprint(normalized),
    };
  }

  function adopt(identity: NormalizedIdentity): void {
    userId = identity.userId;
    fullMetadata = identity.userMetadata;
    labels = identity.labels;
    assignedAgent = identity.assignedAgent;
    credential = identity.credential;
    currentFingerprint = identity.fingerprint;
  }

  function assertAlive(method: string | false): void {
    if (destroyed)
      throw fail(
        "DESTROYED",
        DEV && `${method} was called after destroy(). Create a new client with createNametag().`,
      );
  }

  function report(error: NametagError): void {
    try {
      options.onError?.(error);
    } catch (handlerError) {
      logError(handlerError);
    }
    emitter.emit("error", error);
  }

  function persist(): void {
    const linked = linkedUserId !== null && linkedUserId === userId;
    const raw = writeState(storage, {
      visitorId,
      userId: linked ? userId : null,
      userMetadata: linked ? sanitize(fullMetadata) : {},
      fingerprint: linked ? currentFingerprint : null,
    });
    visitorPersisted = true;
    crossTab?.publish(raw);
  }

  /** Writes the state and tells subscribers, the page and the other tabs. */
  function commit(): void {
    persist();
    publish();
  }

  function publish(): void {
    const userMetadata = sanitize(fullMetadata);
    const same =
      status === snapshot.status && visitorId === snapshot.visitorId && userId === snapshot.userId;
    // The same sanitized object (reused until the full metadata changes) needs no serialising.
    if (same && userMetadata === snapshot.userMetadata) return;
    const key = stableStringify(userMetadata);
    if (same && key === metadataKey) return;
    metadataKey = key;
    snapshot = freeze({ status, visitorId, userId, userMetadata });
    emitter.emit("identityUpdate", snapshot);
    postIdentity(snapshot);
  }

  /** Tells the page (e.g. a widget iframe host) about the change: own origin, sanitized data only. */
  function postIdentity(snapshot: Identity): void {
    const target = getWindow();
    const origin = target?.location?.origin;
    if (!target || typeof target.postMessage !== "function" || !origin || origin === "null") return;
    try {
      // The snapshot holds exactly status, visitorId, userId and the sanitized userMetadata.
      target.postMessage({ type: IDENTITY_UPDATE_MESSAGE, data: snapshot }, origin);
    } catch {
      // A page that cannot receive messages is not an error worth surfacing.
    }
  }

  /** The visitor header, plus the user's and its credential once identified (or while linking). */
  function identityHeaders(
    asUser = status === "identified" ? userId : null,
  ): Record<string, string | undefined> {
    return asUser
      ? {
          [HEADERS.visitorId]: visitorId,
          [HEADERS.userId]: asUser,
          [HEADERS.userHash]: credential.userHash,
          [HEADERS.identityToken]: credential.identityToken,
        }
      : { [HEADERS.visitorId]: visitorId };
  }

  async function fetchCredential(forUserId: string): Promise<Credential> {
    try {
      const result = await options.getIdentityToken!(forUserId);
      return proofOf(typeof result === "string" ? { identityToken: result } : result);
    } catch (error) {
      throw toNametagError(
        error,
        "IDENTITY_TOKEN_UNAVAILABLE",
        DEV && "getIdentityToken() failed. Check the route that signs identities on your server.",
      );
    }
  }

  /** Asks getIdentityToken for a fresh credential; false when the identity changed meanwhile. */
  async function refreshCredential(generation: number): Promise<boolean> {
    const fresh = await fetchCredential(userId as string);
    if (!live(generation)) return false;
    credential = fresh;
    return true;
  }

  // ---- linking -------------------------------------------------------------------------------
  async function sendLink(generation: number, idempotencyKey: string): Promise<LinkResponse> {
    // Unset fields are undefined, which JSON leaves out.
    const body: LinkRequest = {
      userId: userId as string,
      userMetadata: fullMetadata,
      labels,
      assignedAgent,
      ...credential,
    };
    const response = await transport.request<LinkResponse>({
      method: "POST",
      path: "/v1/identity",
      body,
      headers: {
        ...identityHeaders(userId),
        [HEADERS.idempotencyKey]: idempotencyKey,
      },
      signal: lifetime.signal,
    });
    if (!live(generation)) throw fail("ABORTED", DEV && "superseded");
    return response.data;
  }

  function runLink(generation: number, idempotencyKey: string): Promise<void> {
    // Assigned after the call returns; read only after the first await below.
    let entry: Promise<void> | null = null;
    entry = (async () => {
      // Yield first, so `inflight` is set before any of this can finish.
      await undefined;
      try {
        if (
          !hasProof(credential) &&
          options.getIdentityToken &&
          !(await refreshCredential(generation))
        )
          return;
        try {
          await sendLink(generation, idempotencyKey);
        } catch (error) {
          if (!isVerificationFailure(error) || !options.getIdentityToken || !live(generation))
            throw error;
          // One fresh credential, one more try; a changed body needs a new Idempotency-Key.
          if (!(await refreshCredential(generation))) return;
          await sendLink(generation, createIdempotencyKey());
        }
        if (!live(generation)) return;
        linkedUserId = userId;
        status = "identified";
        commit();
      } catch (error) {
        if (!live(generation)) return;
        onLinkFailed(
          toNametagError(error, "NETWORK_ERROR", DEV && "Linking the visitor failed."),
          generation,
          idempotencyKey,
        );
      } finally {
        if (inflight === entry) inflight = null;
      }
    })();
    return (inflight = entry);
  }

  function onLinkFailed(error: NametagError, generation: number, idempotencyKey: string): void {
    const refused = isVerificationFailure(error);
    if (isTransient(error)) {
      // Kept, with its key, until the browser is back online or the client mounts again.
      pendingLink = { generation, idempotencyKey };
    } else if (refused || linkedUserId !== userId) {
      // Refused, or never confirmed: do not pretend the user is identified.
      becomeAnonymous(false);
      commit();
      if (refused) emitter.emit("verificationFailed", error);
    }
    report(error);
  }

  function becomeAnonymous(rotateVisitor: boolean): void {
    ++gen;
    pendingLink = null;
    inflight = null;
    linkOnMount = false;
    userId = null;
    linkedUserId = null;
    status = "anonymous";
    fullMetadata = {};
    labels = undefined;
    assignedAgent = undefined;
    credential = {};
    currentFingerprint = null;
    if (rotateVisitor) visitorId = createVisitorId();
  }

  function deliverPendingLink(): void {
    const pending = pendingLink;
    if (!pending || destroyed) return;
    pendingLink = null;
    if (!live(pending.generation)) return;
    void runLink(pending.generation, pending.idempotencyKey);
  }

  // ---- cross-tab -----------------------------------------------------------------------------
  function onOtherTab(state: PersistedState): void {
    if (destroyed) return;
    if (state.userId === null) {
      if (userId === null && state.visitorId === visitorId) return;
      const previousUserId = userId;
      becomeAnonymous(false);
      visitorId = state.visitorId;
      publish();
      if (previousUserId !== null) emitter.emit("reset", { previousUserId, visitorId });
      return;
    }
    if (
      state.userId === userId &&
      state.fingerprint === currentFingerprint &&
      state.visitorId === visitorId &&
      status === "identified"
    )
      return;
    const sameUser = state.userId === userId;
    const keptCredential = sameUser ? credential : {};
    // Storage holds no sensitive field: the same user keeps the ones this tab already has.
    const isSensitive = createSensitiveKeyMatcher(sensitiveKeys);
    // fromEntries defines own properties, so a `__proto__` key stays data.
    const keptSensitive: UserMetadata = sameUser
      ? Object.fromEntries(Object.entries(fullMetadata).filter(([key]) => isSensitive(key)))
      : {};
    becomeAnonymous(false);
    visitorId = state.visitorId;
    userId = linkedUserId = state.userId;
    status = "identified";
    fullMetadata = { ...state.userMetadata, ...keptSensitive };
    currentFingerprint = state.fingerprint;
    credential = keptCredential;
    publish();
  }

  // ---- browser requests ----------------------------------------------------------------------
  async function browserRequest<T>(request: TransportRequest): Promise<T> {
    assertAlive(DEV && "conversations");
    // A conversation call right after identify() must see the linked user, not the visitor.
    if (inflight) await inflight;
    const send = () =>
      transport.request<T>({
        ...request,
        headers: { ...request.headers, ...identityHeaders() },
        signal: lifetime.signal,
      });
    try {
      return (await send()).data;
    } catch (error) {
      if (!isVerificationFailure(error) || !options.getIdentityToken || userId === null)
        throw error;
      await refreshCredential(gen);
      return (await send()).data;
    }
  }

  // ---- public methods ------------------------------------------------------------------------
  const identify = (input: IdentifyInput): Promise<void> => {
    assertAlive(DEV && "identify()");
    const next = normalize(input);
    if (
      userId === next.userId &&
      currentFingerprint === next.fingerprint &&
      status !== "anonymous"
    ) {
      // Identical identify: nothing to send; pick up what storage could not keep.
      fullMetadata = next.userMetadata;
      if (hasProof(next.credential)) credential = next.credential;
      return inflight ?? Promise.resolve();
    }
    if (userId !== null && userId !== next.userId) resetUser();
    const generation = ++gen;
    pendingLink = null;
    linkOnMount = false;
    // The same user with new metadata but no credential keeps the one it proved itself with.
    const previousCredential = userId === next.userId ? credential : {};
    adopt(next);
    if (!hasProof(next.credential)) credential = previousCredential;
    if (status === "anonymous") status = "identifying";
    publish();
    return runLink(generation, createIdempotencyKey());
  };

  const resetUser = (): void => {
    assertAlive(DEV && "resetUser()");
    const previousUserId = userId;
    becomeAnonymous(true);
    commit();
    emitter.emit("reset", { previousUserId, visitorId });
  };

  const syncAuth = (user: AuthUser): Promise<void> => {
    assertAlive(DEV && "syncAuth()");
    if (user === undefined) return Promise.resolve();
    if (user === null) {
      if (userId !== null) resetUser();
      return Promise.resolve();
    }
    return identify(user);
  };

  const updateMetadata = (partial: Record<string, unknown>): Promise<void> => {
    assertAlive(DEV && "updateMetadata()");
    if (userId === null) {
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
    validateMetadata(merge(fullMetadata), limits);
    const generation = gen;
    return (async () => {
      if (inflight) await inflight;
      if (!live(generation) || userId === null) return;
      try {
        await browserRequest<MetadataUpdateResponse>({
          method: "PATCH",
          path: "/v1/identity",
          body: { userMetadata: patch },
          retryable: true,
        });
      } catch (error) {
        if (live(generation))
          report(toNametagError(error, "NETWORK_ERROR", DEV && "Updating metadata failed."));
        return;
      }
      if (!live(generation) || userId === null) return;
      fullMetadata = merge(fullMetadata);
      currentFingerprint = identityFingerprint({
        userId,
        userMetadata: fullMetadata,
        labels,
        assignedAgent,
      });
      commit();
    })();
  };

  const getIdentity = (): Identity => snapshot;

  const getAgentContext = (): AgentContext => {
    if (agentContext?.snapshot !== snapshot) {
      agentContext = {
        snapshot,
        value: Object.freeze({ userId: snapshot.userId, userMetadata: snapshot.userMetadata }),
      };
    }
    return agentContext.value;
  };

  const mount = (): void => {
    assertAlive(DEV && "mount()");
    mountCount++;
    if (mountCount > 1) return;
    if (!visitorPersisted) {
      // Another tab may have written a visitor since this client was created: share it.
      const latest = readState(storage);
      if (latest && latest.visitorId !== visitorId && userId === null) onOtherTab(latest);
      else persist();
      visitorPersisted = true;
    }
    if (options.crossTab !== false && shared)
      crossTab = openCrossTab({ storageKey: STORAGE_KEY, onState: onOtherTab });
    const target = getWindow();
    if (target) {
      const onOnline = () => deliverPendingLink();
      target.addEventListener("online", onOnline);
      removeOnlineListener = () => target.removeEventListener("online", onOnline);
    }
    if (linkOnMount && userId !== null) {
      linkOnMount = false;
      void runLink(++gen, createIdempotencyKey());
    } else {
      deliverPendingLink();
    }
  };

  function detach(): void {
    crossTab?.close();
    crossTab = null;
    removeOnlineListener?.();
    removeOnlineListener = null;
  }

  const unmount = (): void => {
    if (mountCount === 0) return;
    mountCount--;
    if (mountCount === 0) detach();
  };

  const destroy = (): void => {
    if (destroyed) return;
    destroyed = true;
    mountCount = 0;
    detach();
    ++gen;
    pendingLink = null;
    inflight = null;
    lifetime.abort(fail("DESTROYED", DEV && "The client was destroyed."));
    emitter.clear();
  };

  return {
    identify,
    updateMetadata,
    resetUser,
    clearIdentity: resetUser,
    syncAuth,
    getVisitorId: () => visitorId,
    getIdentity,
    // Subscribers are identityUpdate handlers without the payload (useSyncExternalStore's shape).
    subscribe: (listener) => emitter.on("identityUpdate", () => listener()),
    getAgentContext,
    render: (template) => {
      return renderTemplate(
        template,
        {
          userId: snapshot.userId,
          visitorId: snapshot.visitorId,
          userMetadata: snapshot.userMetadata,
        },
        "text",
      );
    },
    resolveHttpTool: (tool) =>
      resolveHttpToolPure(tool, { userId, visitorId, userMetadata: fullMetadata }),
    forms: {
      register: forms.register,
      resolve: (nameOrSchema, args) =>
        forms.resolve(
          nameOrSchema,
          args ?? {},
          { userId, userMetadata: structuredClone(fullMetadata) },
          { sensitiveKeys },
        ),
    },
    conversations: createConversations(browserRequest, options.agent),
    on: emitter.on,
    mount,
    unmount,
    destroy,
  };
}
