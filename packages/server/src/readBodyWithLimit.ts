/** Why a body could not be read: too large, too slow, or the stream failed. */
export type BodyReadFailure = "too-large" | "timeout" | "aborted";

/**
 * Reads a body stream into one buffer while counting bytes: past `maxBytes` it stops at once
 * and cancels the stream, so an oversized body never sits in memory; a stream that does not end
 * within `timeoutMs` (a stalled upload) is cancelled too.
 */
export async function readBodyWithLimit(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  timeoutMs: number,
): Promise<Uint8Array | BodyReadFailure> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timedOut]);
      if (next === "timeout") {
        void reader.cancel().catch(() => undefined);
        return "timeout";
      }
      if (next.done) break;
      total += next.value.byteLength;
      if (total > maxBytes) {
        void reader.cancel().catch(() => undefined);
        return "too-large";
      }
      chunks.push(next.value);
    }
  } catch {
    return "aborted";
  } finally {
    clearTimeout(timer);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
