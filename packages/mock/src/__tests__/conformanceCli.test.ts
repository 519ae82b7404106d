// `nametag-mock conformance` over real HTTP: the bin serves, the bin's subcommand checks it.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { CONFORMANCE_CASES } from "../index";

const run = promisify(execFile);
const bin = inject("nametagMockBin");
const script = new URL("../../scripts/conformance-ci.mjs", import.meta.url).pathname;

async function exitOf(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("nametag-mock conformance over HTTP", () => {
  it("the nametag-mock bin passes every case (the .ci/run step)", async () => {
    const result = await exitOf([script, bin]);
    const last = result.stdout.trim().split("\n").at(-1);
    expect(last, result.stdout + result.stderr).toBe(
      `${CONFORMANCE_CASES.length} passed, 0 failed, 0 skipped`,
    );
    expect(result.code).toBe(0);
  });

  it("exits 1 and reports the case failed when the backend cannot be reached", async () => {
    // A backend that is not there: the case fails at its first request.
    const result = await exitOf([
      bin,
      "conformance",
      "--url",
      "http://127.0.0.1:9",
      "--api-key",
      "k",
      "--only",
      "users.me-needs-token",
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("FAIL  users.me-needs-token");
    expect(result.stdout.trim().split("\n").at(-1)).toBe("0 passed, 1 failed, 0 skipped");
  });

  it("exits 2 on a usage error and names what is missing", async () => {
    const result = await exitOf([bin, "conformance", "--url", "http://127.0.0.1:4010"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--url and --api-key are required");
  });
});
