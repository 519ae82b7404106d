// `pnpm --filter @nametag/core bench`: the cost of identify(), the sanitizer's throughput against a
// JSON round-trip copy, and template rendering against mustache. Not part of `test`: numbers vary
// by machine, so they are printed, not asserted.
import Mustache from "mustache";
import { createNametag, renderTemplate, sanitizeMetadata } from "../src/index";
import type { LinkResponse } from "../src/index";

function measure(label: string, iterations: number, run: () => void): number {
  for (let index = 0; index < Math.min(iterations, 200); index++) run(); // warm-up
  const start = performance.now();
  for (let index = 0; index < iterations; index++) run();
  const perOpMs = (performance.now() - start) / iterations;
  console.log(
    `  ${label.padEnd(38)} ${(1000 / perOpMs).toFixed(0).padStart(10)} ops/s  ${(perOpMs * 1000).toFixed(2).padStart(9)} µs/op`,
  );
  return perOpMs;
}

async function measureAsync(
  label: string,
  iterations: number,
  run: (index: number) => Promise<void>,
): Promise<number> {
  for (let index = 0; index < 100; index++) await run(-index - 1);
  const start = performance.now();
  for (let index = 0; index < iterations; index++) await run(index);
  const perOpMs = (performance.now() - start) / iterations;
  console.log(
    `  ${label.padEnd(38)} ${(1000 / perOpMs).toFixed(0).padStart(10)} ops/s  ${(perOpMs * 1000).toFixed(2).padStart(9)} µs/op`,
  );
  return perOpMs;
}

async function benchIdentify(): Promise<void> {
  console.log("identify() against an in-process fetch stub that answers at once");
  const body: LinkResponse = {
    userId: "user_jane",
    visitorId: "v_1_abcdefgh",
    linkedConversationIds: [],
    labels: [],
    assignedAgent: null,
  };
  const text = JSON.stringify(body);
  // A Response-shaped object rather than `new Response()`: undici's Response alone costs hundreds
  // of µs per call and would hide the client's own cost. (The transport reads ok, status, headers, text.)
  const headers = new Headers({ "content-type": "application/json" });
  const answer = { ok: true, status: 200, headers, text: async () => text } as unknown as Response;
  const stubFetch: typeof fetch = async () => answer;
  const nametag = createNametag({
    apiUrl: "https://nametag.invalid",
    persistence: "memory",
    fetch: stubFetch,
  });
  const metadata = {
    name: "Jane Smith",
    email: "jane@example.com",
    plan: "enterprise",
    company: "Acme Inc",
    authToken: "t",
  };
  // A new metadata value per call: an identical identify is deduplicated and would cost nothing.
  await measureAsync("identify() (validate, link, publish)", 5000, (index) =>
    nametag.identify({ userId: "user_jane", userMetadata: { ...metadata, visit: index } }),
  );
  await measureAsync("identical identify() (deduplicated)", 20000, () =>
    nametag.identify({ userId: "user_jane", userMetadata: { ...metadata, visit: 4999 } }),
  );
  nametag.destroy();
  const realResponse: typeof fetch = async () => new Response(text, { status: 200, headers });
  const withUndici = createNametag({
    apiUrl: "https://nametag.invalid",
    persistence: "memory",
    fetch: realResponse,
  });
  await measureAsync("identify() with a real Response object", 2000, (index) =>
    withUndici.identify({ userId: "user_jane", userMetadata: { ...metadata, visit: index } }),
  );
  withUndici.destroy();
}

function megabyteOfMetadata(): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  let index = 0;
  while (JSON.stringify(data).length < 1024 * 1024) {
    data[`user${index}`] = {
      name: `User ${index}`,
      email: `user${index}@example.com`,
      plan: index % 2 ? "pro" : "enterprise",
      accessToken: `tok_${index}`,
      address: {
        city: "Oslo",
        zip: String(10000 + index),
        tags: ["a", "b", { apiKey: "k", note: "n" }],
      },
      orders: [index, index + 1, index + 2],
    };
    index++;
  }
  return data;
}

function benchSanitize(): void {
  const data = megabyteOfMetadata();
  const bytes = JSON.stringify(data).length;
  console.log(`\nsanitizeMetadata() on ${(bytes / 1024 / 1024).toFixed(2)} MB of metadata`);
  const sanitize = measure("sanitizeMetadata", 30, () => void sanitizeMetadata(data));
  const copy = measure(
    "JSON.parse(JSON.stringify()) copy",
    30,
    () => void JSON.parse(JSON.stringify(data)),
  );
  console.log(
    `  throughput: ${(bytes / 1024 / 1024 / (sanitize / 1000)).toFixed(0)} MB/s; ratio sanitize / JSON copy = ${(sanitize / copy).toFixed(2)}x the time`,
  );
}

// Interleaved rounds and the median ratio: on a shared machine a burst of load during one side's
// run skews a single sequential measurement (issue 15 budget: sanitize ≤ 1.5× a JSON copy).
function medianRatio(label: string, data: Record<string, unknown>): void {
  const time = (run: () => void, times: number) => {
    const start = performance.now();
    for (let index = 0; index < times; index++) run();
    return performance.now() - start;
  };
  const sanitize = () => void sanitizeMetadata(data);
  const copy = () => void JSON.parse(JSON.stringify(data));
  time(sanitize, 5);
  time(copy, 5);
  const ratios: number[] = [];
  for (let round = 0; round < 9; round++) ratios.push(time(sanitize, 5) / time(copy, 5));
  ratios.sort((a, b) => a - b);
  console.log(
    `  ${label.padEnd(38)} median ratio sanitize / JSON copy = ${ratios[4]?.toFixed(2)}x (9 interleaved rounds, min ${ratios[0]?.toFixed(2)}x, max ${ratios[8]?.toFixed(2)}x)`,
  );
}

/** 1 MB of metadata where a fifth of the strings are secret-shaped (JWTs, Bearer, card numbers, URLs with tokens). */
function megabyteWithSecretValues(): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  let index = 0;
  while (JSON.stringify(data).length < 1024 * 1024) {
    data[`user${index}`] = {
      name: `User ${index}`,
      email: `user${index}@example.com`,
      note: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEyMyJ9.c2lnbmF0dXJlLXZhbHVl",
      callback: `https://example.com/cb?page=${index}&token=abc${index}`,
      header: `Bearer abcdefghijklmnop${index}`,
      card: "4242 4242 4242 4242",
      website: `https://example.com/users/${index}?tab=profile`,
      tags: ["a", "b", { city: "Oslo", zip: String(10000 + index) }],
    };
    index++;
  }
  return data;
}

function benchSanitizeRatio(): void {
  console.log("\nsanitizeMetadata() vs JSON.parse(JSON.stringify()), interleaved");
  medianRatio("1 MB, keys and plain values", megabyteOfMetadata());
  medianRatio("1 MB, many secret-shaped values", megabyteWithSecretValues());
}

function benchTemplates(): void {
  console.log("\nTemplates from the seed (Ansa), rendered vs mustache");
  const templates = [
    "Hello {{userMetadata.name}}! How can I help you today?",
    "https://api.yourstore.com/users/{{userId}}/orders",
    "Bearer {{userMetadata.authToken}}",
    "{{userMetadata.company.name}}",
  ];
  const view = {
    userId: "user_123",
    visitorId: "v_1703347200000_abc123def",
    userMetadata: {
      name: "Jane",
      authToken: "eyJhbGciOiJIUzI1NiIs",
      company: { name: "Acme Inc" },
    },
  };
  for (const template of templates) {
    if (renderTemplate(template, view) !== Mustache.render(template, view))
      throw new Error(`Renderers disagree on ${template}`);
  }
  const ours = measure("renderTemplate (all 4)", 200_000, () => {
    for (const template of templates) renderTemplate(template, view);
  });
  const theirs = measure("Mustache.render (all 4)", 200_000, () => {
    for (const template of templates) Mustache.render(template, view);
  });
  console.log(
    `  ratio renderTemplate / mustache = ${(ours / theirs).toFixed(2)}x the time (${(theirs / ours).toFixed(1)}x faster)`,
  );
}

await benchIdentify();
benchSanitize();
benchSanitizeRatio();
benchTemplates();
