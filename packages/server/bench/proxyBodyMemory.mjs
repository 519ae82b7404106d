// Peak RSS of a proxy process while a browser uploads a 1, 50 and 200 MB body (chunked, no
// Content-Length, so only the limit counted while reading can stop it). Each size runs in a fresh
// child process serving createNametagProxy through toNodeHandler on 127.0.0.1:0.
//
//   node scripts/pnpm.mjs --filter @nametag/server build && node packages/server/bench/proxyBodyMemory.mjs
//
// `--buffering` runs the same upload against a handler that reads the whole body first
// (`await request.text()`, what the proxy did before), for comparison.
import { fork } from "node:child_process";
import { request as httpRequest } from "node:http";
import { fileURLToPath } from "node:url";

const SIZES_MB = [1, 50, 200];
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

if (process.argv[2] === "--child") {
  await runChild(process.argv[3] === "buffering");
} else {
  const mode = process.argv.includes("--buffering") ? "buffering" : "proxy";
  console.log(`mode: ${mode} (node ${process.version})`);
  for (const megabytes of SIZES_MB) {
    const result = await measure(megabytes, mode);
    console.log(
      `${String(megabytes).padStart(3)} MB body -> ${result.status}: idle ${mb(result.idle)} MB, peak ${mb(result.peak)} MB (+${mb(result.peak - result.idle)} MB)`,
    );
  }
}

function mb(bytes) {
  return (bytes / 1024 / 1024).toFixed(1);
}

async function measure(megabytes, mode) {
  const child = fork(fileURLToPath(import.meta.url), ["--child", mode], {
    execArgv: ["--expose-gc"],
  });
  const next = () => new Promise((resolve) => child.once("message", resolve));
  const { port } = await next();
  // Warm up with one small refused upload, so "idle" is a server that has served a request.
  await upload(port, 1024 * 1024);
  child.send("mark");
  const { idle } = await next();
  const status = await upload(port, megabytes * 1024 * 1024);
  child.send("report");
  const { peak } = await next();
  child.kill();
  return { status, idle, peak };
}

/** Streams `total` bytes with backpressure; stops writing as soon as the response arrives. */
function upload(port, total) {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/nametag/v1/conversations",
        headers: {
          "content-type": "application/json",
          "x-nametag-visitor-id": "v_1700000000000_abc123def",
        },
      },
      (response) => {
        answered = true;
        response.resume();
        response.on("end", () => {
          request.destroy();
          resolve(response.statusCode);
        });
      },
    );
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    let sent = 0;
    const write = () => {
      while (!answered && sent < total) {
        sent += CHUNK.length;
        if (!request.write(CHUNK)) {
          request.once("drain", write);
          return;
        }
      }
      if (!answered) request.end();
    };
    write();
  });
}

async function runChild(buffering) {
  const { createServer } = await import("node:http");
  const server = await import("../dist/index.js");
  const proxy = buffering
    ? async (request) => {
        const text = await request.text();
        return new Response(
          JSON.stringify({ error: { code: "PAYLOAD_TOO_LARGE", length: text.length } }),
          { status: 413 },
        );
      }
    : server.createNametagProxy({
        apiUrl: "http://127.0.0.1:9",
        apiKey: "sk_bench",
        getUser: () => null,
      });
  const http = createServer(server.toNodeHandler(proxy));
  await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
  let peak = 0;
  let sampler;
  process.on("message", async (message) => {
    if (message === "mark") {
      globalThis.gc?.();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const idle = process.memoryUsage().rss;
      peak = idle;
      sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 2);
      process.send({ idle });
    } else {
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      process.send({ peak });
    }
  });
  process.send({ port: http.address().port });
}
