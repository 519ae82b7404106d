import { MAX_BODY_BYTES } from "@nametag/core";
import { MockHttpError } from "./errors";

/**
 * Reads and parses a JSON body. An empty body is `undefined`; more than MAX_BODY_BYTES is 413;
 * anything that is not JSON is 400 BAD_REQUEST.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw payloadTooLarge();
  if (request.body === null) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await request.arrayBuffer());
  } catch {
    throw new MockHttpError(
      400,
      "BAD_REQUEST",
      "The request body could not be read. Send it again.",
    );
  }
  if (bytes.byteLength > MAX_BODY_BYTES) throw payloadTooLarge();
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MockHttpError(
      400,
      "BAD_REQUEST",
      "The request body is not valid JSON. Send a JSON object with Content-Type: application/json.",
    );
  }
}

function payloadTooLarge(): MockHttpError {
  return new MockHttpError(
    413,
    "PAYLOAD_TOO_LARGE",
    `The request body is larger than ${MAX_BODY_BYTES} bytes. Send less metadata, or split contacts into smaller batches.`,
    { maxBytes: MAX_BODY_BYTES },
  );
}
