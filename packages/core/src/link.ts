import { DEV, fail, isNametagError } from "./errors";
import type { NametagError, NametagErrorCode } from "./errors";
import type { Credential, UserIntent } from "./identityState";
import { HEADERS } from "./protocol";
import type { LinkRequest, LinkResponse } from "./protocol";
import { isTransient } from "./transport";
import type { Transport } from "./transport";
import { createIdempotencyKey } from "./visitorId";

/** Returns a fresh credential for a user from the host's server (`getIdentityToken`). */
export type CredentialSource = (
  userId: string,
) => Promise<string | { userHash?: string; identityToken?: string }>;

export const hasProof = (proof: Credential): boolean => !!(proof.userHash || proof.identityToken);

export function isVerificationFailure(error: unknown): error is NametagError {
  return (
    isNametagError(error) &&
    (error.code === "IDENTITY_VERIFICATION_FAILED" ||
      (error.status === 401 && error.code !== "UNAUTHORIZED"))
  );
}

export function toNametagError(
  error: unknown,
  fallbackCode: NametagErrorCode,
  message: string | false,
): NametagError {
  return isNametagError(error) ? error : fail(fallbackCode, message, { cause: error });
}

/** The visitor header, plus the user's and its credential when sent as that user. */
export function identityHeaders(
  visitorId: string,
  user: Pick<UserIntent, "userId" | "credential"> | null,
): Record<string, string | undefined> {
  return user
    ? {
        [HEADERS.visitorId]: visitorId,
        [HEADERS.userId]: user.userId,
        [HEADERS.userHash]: user.credential.userHash,
        [HEADERS.identityToken]: user.credential.identityToken,
      }
    : { [HEADERS.visitorId]: visitorId };
}

export async function fetchCredential(
  source: CredentialSource,
  userId: string,
): Promise<Credential> {
  try {
    const result = await source(userId);
    // The fields that are set; empty ones become undefined, which is never sent.
    return typeof result === "string"
      ? { identityToken: result || undefined }
      : {
          userHash: result?.userHash || undefined,
          identityToken: result?.identityToken || undefined,
        };
  } catch (error) {
    throw toNametagError(
      error,
      "IDENTITY_TOKEN_UNAVAILABLE",
      DEV && "getIdentityToken() failed. Check the route that signs identities on your server.",
    );
  }
}

/** A 2xx is a confirmed link only when its body is the contract's: anything else is refused. */
function isLinkResponse(data: unknown, userId: string): data is LinkResponse {
  const body = data as Partial<LinkResponse> | null;
  return (
    !!body &&
    typeof body === "object" &&
    body.userId === userId &&
    typeof body.visitorId === "string" &&
    Array.isArray(body.linkedConversationIds)
  );
}

export interface LinkJob {
  transport: Transport;
  visitorId: string;
  user: UserIntent;
  /** The link's Idempotency-Key: the same on every retry of this identity change. */
  key: string;
  /** Aborted when the identity changes or the client is destroyed: nothing more is sent. */
  signal: AbortSignal;
  getIdentityToken?: CredentialSource;
  /** Keeps a credential fetched for the link, for the calls that follow it. */
  onCredential(credential: Credential): void;
}

/** What a link came to: true (confirmed), its error, or undefined when it was superseded. */
export type LinkOutcome = true | NametagError | undefined;

/**
 * A failure worth retrying later with the same key: offline, timeout, 5xx or 429 once retries are
 * spent, or a 2xx that was not a link response (the backend may hold it: never silently anonymous).
 */
export const isKept = (error: NametagError): boolean =>
  isTransient(error) ||
  error.status === 429 ||
  (error.status ?? 0) >= 500 ||
  error.code === "INVALID_RESPONSE";

/**
 * Sends one link (`POST /v1/identity`). It first yields once, so an identify superseded in the same
 * tick (`identify(jane); resetUser()`) is never sent, and checks `signal` before every step.
 */
export async function deliverLink(job: LinkJob): Promise<LinkOutcome> {
  const { user, signal } = job;
  await undefined;
  if (signal.aborted) return;
  let credential = user.credential;
  const refresh = async () => {
    credential = await fetchCredential(job.getIdentityToken!, user.userId);
    if (!signal.aborted) job.onCredential(credential);
    return !signal.aborted;
  };
  const send = async (key: string) => {
    // Unset fields are undefined, which JSON leaves out.
    const body: LinkRequest = {
      userId: user.userId,
      userMetadata: user.userMetadata,
      labels: user.labels,
      assignedAgent: user.assignedAgent,
      ...credential,
      sensitivePaths: user.sensitivePaths.length ? [...user.sensitivePaths] : undefined,
    };
    const response = await job.transport.request<unknown>({
      method: "POST",
      path: "/v1/identity",
      body,
      headers: {
        ...identityHeaders(job.visitorId, { userId: user.userId, credential }),
        [HEADERS.idempotencyKey]: key,
      },
      signal,
    });
    if (!isLinkResponse(response.data, user.userId)) {
      throw fail(
        "INVALID_RESPONSE",
        DEV &&
          "The backend answered the link with a body that is not a link response. Check that apiUrl points at a Nametag backend or proxy route.",
        { status: response.status, requestId: response.requestId },
      );
    }
  };
  try {
    if (!hasProof(credential) && job.getIdentityToken && !(await refresh())) return;
    try {
      await send(job.key);
    } catch (error) {
      if (!isVerificationFailure(error) || !job.getIdentityToken || signal.aborted) throw error;
      // One fresh credential, one more try; a changed body needs a new Idempotency-Key.
      if (!(await refresh())) return;
      await send(createIdempotencyKey());
    }
    return !signal.aborted || undefined;
  } catch (cause) {
    return signal.aborted
      ? undefined
      : toNametagError(cause, "NETWORK_ERROR", DEV && "Linking the visitor failed.");
  }
}
