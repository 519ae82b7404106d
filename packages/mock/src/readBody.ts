import { MAX_BODY_BYTES } from "@nametag/core";
import { MockHttpError } from "./errors";

/** The deepest nesting of objects and arrays a body may have (`{"a":{"b":1}}` is 2). */
export const MAX_JSON_DEPTH = 64;

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
  // Checked on the text, before parsing: thousands of levels would overflow the stack of every
  // recursive step after JSON.parse (copying, sanitizing, comparing), which is a 500.
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw new MockHttpError(
      400,
      "BAD_REQUEST",
      `The request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep. Send flatter JSON.`,
      { maxDepth: MAX_JSON_DEPTH },
    );
  }
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

/** True when `text` opens more than `max` objects/arrays at once (brackets inside strings ignored). */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c /* \ */) index += 1;
      else if (char === 0x22 /* " */) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      depth += 1;
      if (depth > max) return true;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      depth -= 1;
    }
  }
  return false;
}
