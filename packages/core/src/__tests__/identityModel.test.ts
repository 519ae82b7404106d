// Model-based proof of the identity engine (issue 14, "Proof"). Two tabs (two real clients on one
// storage, joined by a BroadcastChannel or, where a browser has none, by the `storage` event: each
// sequence draws one) run random command sequences against @nametag/mock while fast-check's
// scheduler reorders requests, responses and cross-tab messages; faults, offline periods, reloads
// and re-entrant handlers are commands too. After every command the invariants in
// model/invariants.ts are checked; after the sequence the network recovers and both tabs must
// converge. Replay a failure with the printed NAMETAG_MODEL_SEED / _PATH / _REPLAY_PATH (and
// _TRANSPORT when the run was held to one transport).
import fc from "fast-check";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { commandArbitraries } from "./model/commands";
import type { Model } from "./model/commands";
import { checkConverged, checkStep } from "./model/invariants";
import { CROSS_TAB_TRANSPORTS, World } from "./model/world";
import type { CrossTabTransport } from "./model/world";

const numRuns = Number(process.env.NAMETAG_MODEL_RUNS ?? 1_000);
const seed = process.env.NAMETAG_MODEL_SEED
  ? Number(process.env.NAMETAG_MODEL_SEED)
  : (Date.now() ^ (Math.random() * 0x100000000)) >>> 0;
const path = process.env.NAMETAG_MODEL_PATH || undefined;
const replayPath = process.env.NAMETAG_MODEL_REPLAY_PATH || undefined;
/** Holds every sequence to one transport (broadcast-channel or storage-event); unset: drawn. */
const onlyTransport = (process.env.NAMETAG_MODEL_TRANSPORT || undefined) as
  CrossTabTransport | undefined;
if (onlyTransport && !CROSS_TAB_TRANSPORTS.includes(onlyTransport))
  throw new Error(
    `NAMETAG_MODEL_TRANSPORT must be one of ${CROSS_TAB_TRANSPORTS.join(", ")}, not "${onlyTransport}"`,
  );
// Drawn last: holding it to one value leaves a seed's scheduler and commands as they were.
const transportArbitrary = onlyTransport
  ? fc.constant(onlyTransport)
  : fc.constantFrom(...CROSS_TAB_TRANSPORTS);

beforeEach(() => {
  // Timeouts and backoff run on fake time; setImmediate stays real to let the backend compute.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
  vi.spyOn(console, "error").mockImplementation(() => undefined);
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

it(
  `two tabs keep every identity rule under reordered responses, faults and re-entrant handlers, over BroadcastChannel or the storage event (${numRuns} sequences)`,
  async () => {
    // The seed is printed on every run, so a failure on CI can be replayed locally.
    console.log(
      `[nametag model] NAMETAG_MODEL_SEED=${seed}${path ? ` NAMETAG_MODEL_PATH=${path}` : ""}${
        onlyTransport ? ` NAMETAG_MODEL_TRANSPORT=${onlyTransport}` : ""
      } runs=${numRuns}`,
    );
    let sequences = 0;
    const perTransport = new Map<CrossTabTransport, number>();
    const property = fc.asyncProperty(
      fc.scheduler(),
      fc.commands(commandArbitraries, { maxCommands: 20, size: "max", replayPath }),
      transportArbitrary,
      async (scheduler, commands, transport) => {
        sequences++;
        perTransport.set(transport, (perTransport.get(transport) ?? 0) + 1);
        const world = new World(scheduler, transport);
        try {
          world.openTab(0);
          world.openTab(1);
          await world.flush();
          await fc.asyncModelRun(() => ({ model: {} as Model, real: world }), commands);
          // The network recovers: the faults are gone and what was in flight finishes (or fails);
          // then the browser says it is online (the trigger for any kept link) and all runs out.
          await world.clearFaults();
          await world.settle();
          world.setOnline(true);
          await world.settle();
          checkStep(world);
          checkConverged(world);
        } finally {
          world.dispose();
          vi.unstubAllGlobals();
          vi.clearAllTimers();
        }
      },
    );
    const details = await fc.check(property, { seed, path, numRuns });
    console.log(
      `[nametag model] sequences run per transport (shrinking included): ${CROSS_TAB_TRANSPORTS.map(
        (transport) => `${transport}=${perTransport.get(transport) ?? 0}`,
      ).join(" ")}`,
    );
    // A failure prints its seed, path, transport and shrunk commands as one replayable line.
    if (details.failed) {
      const commands = String(details.counterexample?.[1] ?? "");
      const transport = details.counterexample?.[2];
      const replay = /replayPath="([^"]*)"/.exec(commands)?.[1];
      throw new Error(
        `${fc.defaultReportMessage(details)}\n\n${String(
          (details.errorInstance as Error | undefined)?.message ?? details.errorInstance,
        )}\n\nCross-tab transport: ${transport}\nShrunk commands (those that ran):\n  ${commands
          .replace(/\s*\/\*replayPath=.*\*\//, "")
          .split(",")
          .join(
            "\n  ",
          )}\n\nReplay: NAMETAG_MODEL_SEED=${seed} NAMETAG_MODEL_PATH=${details.counterexamplePath}${
          replay ? ` NAMETAG_MODEL_REPLAY_PATH='${replay}'` : ""
        }${
          onlyTransport ? ` NAMETAG_MODEL_TRANSPORT=${onlyTransport}` : ""
        } NAMETAG_MODEL_RUNS=1 node scripts/model.mjs (in packages/core; it runs over ${transport})`,
      );
    }
    // Every sequence asked for ran. (A replay from a path runs that case and the shrinks after
    // it, not numRuns sequences: once a fix makes the case pass, the replay must pass too.)
    if (!path) expect(sequences).toBe(numRuns);
    else expect(sequences).toBeGreaterThan(0);
  },
  Math.max(120_000, numRuns * 400),
);
