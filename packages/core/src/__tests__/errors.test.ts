import { describe, expect, it } from "vitest";
import { NametagError, errorFromResponse, isNametagError } from "../errors";

describe("isNametagError", () => {
  it("recognises this copy's errors and another copy's by their shape", () => {
    expect(isNametagError(new NametagError("TIMEOUT", "slow"))).toBe(true);
    // What a NametagError from a second copy of the package looks like to this one.
    const foreign = Object.assign(new Error("from another copy"), {
      name: "NametagError",
      code: "TIMEOUT",
    });
    expect(isNametagError(foreign)).toBe(true);
    expect(isNametagError(new Error("plain"))).toBe(false);
    expect(isNametagError(Object.assign(new Error("no code"), { name: "NametagError" }))).toBe(
      false,
    );
    expect(isNametagError({ name: "NametagError", code: "TIMEOUT", message: "" })).toBe(false);
    expect(isNametagError(undefined)).toBe(false);
  });
});

describe("errorFromResponse", () => {
  it("keeps the envelope's code, message and details, with the status and request id", async () => {
    const response = Response.json(
      {
        error: {
          code: "VALIDATION_FAILED",
          message: "labels must be strings",
          details: { at: "labels" },
        },
      },
      { status: 422, headers: { "x-request-id": "req_1" } },
    );
    const error = await errorFromResponse(response);
    expect(error).toBeInstanceOf(NametagError);
    expect(error).toMatchObject({
      code: "VALIDATION_FAILED",
      message: "labels must be strings",
      status: 422,
      requestId: "req_1",
      details: { at: "labels" },
    });
  });

  it("without an envelope: UNAVAILABLE for 5xx, INVALID_RESPONSE otherwise", async () => {
    await expect(
      errorFromResponse(new Response("<html>", { status: 502, headers: { "x-request-id": "r" } })),
    ).resolves.toMatchObject({ code: "UNAVAILABLE", status: 502, requestId: "r" });
    await expect(
      errorFromResponse(Response.json({ error: "nope" }, { status: 400 })),
    ).resolves.toMatchObject({ code: "INVALID_RESPONSE", status: 400, requestId: undefined });
  });
});
