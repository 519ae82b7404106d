import { execFile, spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const run = promisify(execFile);
const bin = inject("nametagMockBin");

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stop(): Promise<number | null>;
}

/** Starts the real bin on a free port and waits for its "listening on" line. */
function startBin(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [bin, "--port", "0", ...args]);
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += String(chunk);
      const match = /^nametag-mock listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
      if (match) {
        resolve({
          child,
          url: match[1] as string,
          stop: () =>
            new Promise((done) => {
              child.once("exit", (code) => done(code));
              child.kill("SIGTERM");
            }),
        });
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (output += String(chunk)));
    child.once("exit", (code) => reject(new Error(`nametag-mock exited with ${code}: ${output}`)));
  });
}

interface Example {
  expected: number;
  script: string;
}

/** The ```sh blocks of API.md, each with its `# expect <status>` line. */
function apiExamples(): Example[] {
  const markdown = readFileSync(new URL("../../API.md", import.meta.url), "utf8");
  return [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map(([, script = ""]) => {
    const expected = /^# expect (\d{3})$/m.exec(script);
    if (!expected) throw new Error(`An API.md example has no "# expect <status>" line:\n${script}`);
    return { expected: Number(expected[1]), script };
  });
}

describe("API.md curl examples against the nametag-mock bin", () => {
  let mock: Started;
  beforeAll(async () => {
    mock = await startBin(["--api-key", "sk_test_123"]);
  });
  afterAll(() => mock.stop());

  it("every example runs as written, in order, with its documented status", async () => {
    const examples = apiExamples();
    expect(examples.length).toBeGreaterThanOrEqual(25);
    const statuses: number[] = [];
    for (const { script } of examples) {
      // Only the port differs; a curl wrapper reports the status without changing the command.
      const wrapped = `curl() { command curl -s -S -o /dev/null -w '%{http_code}' "$@"; }\n${script.replaceAll("http://127.0.0.1:4010", mock.url)}`;
      const { stdout } = await run("sh", ["-c", wrapped]);
      statuses.push(Number(stdout.trim()));
    }
    expect(statuses).toEqual(examples.map((example) => example.expected));
  });
});

describe("the nametag-mock bin", () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), "nametag-mock-bin-"));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("takes its flags, keeps --persist across a restart and exits 0 on SIGTERM", async () => {
    const file = join(directory, "store.json");
    const secret = ["--identity-secret", "s3cret", "--persist", file, "--api-key", "sk_flag"];
    const first = await startBin(secret);
    const created = await fetch(`${first.url}/v1/users`, {
      method: "POST",
      headers: { authorization: "Bearer sk_flag", "content-type": "application/json" },
      body: JSON.stringify({ externalId: "alice" }),
    });
    expect(created.status).toBe(201);
    const unsigned = await fetch(`${first.url}/v1/identity`, {
      method: "POST",
      headers: {
        "x-nametag-visitor-id": "v_1700000000000_abcdef",
        "content-type": "application/json",
      },
      body: JSON.stringify({ userId: "alice" }),
    });
    expect(unsigned.status).toBe(401);
    expect(await first.stop()).toBe(0);

    const second = await startBin(secret);
    const again = await fetch(`${second.url}/v1/users/external/alice`, {
      headers: { authorization: "Bearer sk_flag" },
    });
    expect(again.status).toBe(200);
    expect(await second.stop()).toBe(0);
  });

  it("rate-limits with --rate-limit N/ms", async () => {
    const mock = await startBin(["--rate-limit", "1/60000"]);
    const call = () =>
      fetch(`${mock.url}/v1/conversations`, {
        headers: { "x-nametag-visitor-id": "v_1700000000000_abcdef" },
      });
    expect((await call()).status).toBe(200);
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    await mock.stop();
  });

  it("reflects only the --cors-origin origins (repeatable)", async () => {
    const mock = await startBin([
      "--cors-origin",
      "https://app.example.com",
      "--cors-origin",
      "https://admin.example.com",
    ]);
    const allowOrigin = async (origin: string) =>
      (
        await fetch(`${mock.url}/v1/conversations`, {
          headers: { "x-nametag-visitor-id": "v_1700000000000_abcdef", origin },
        })
      ).headers.get("access-control-allow-origin");
    expect(await allowOrigin("https://app.example.com")).toBe("https://app.example.com");
    expect(await allowOrigin("https://admin.example.com")).toBe("https://admin.example.com");
    expect(await allowOrigin("http://localhost:5173")).toBeNull();
    expect(await allowOrigin("https://evil.example")).toBeNull();
    await mock.stop();
  });

  it("refuses a bad flag with a usage message", async () => {
    await expect(run(process.execPath, [bin, "--rate-limit", "lots"])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--rate-limit needs <n>/<ms>"),
    });
  });
});
