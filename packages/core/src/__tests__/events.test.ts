import { describe, expect, it, vi } from "vitest";
import { createEmitter } from "../events";

interface TestEvents {
  ping: number;
  pong: string;
}

describe("createEmitter", () => {
  it("delivers an event to its own handlers, once per handler, until they unsubscribe", () => {
    const emitter = createEmitter<TestEvents>(() => undefined);
    const ping = vi.fn();
    const pong = vi.fn();
    const off = emitter.on("ping", ping);
    emitter.on("ping", ping);
    emitter.on("pong", pong);
    emitter.emit("ping", 1);
    expect(ping.mock.calls).toEqual([[1]]);
    expect(pong).not.toHaveBeenCalled();
    expect(off()).toBeUndefined();
    emitter.emit("ping", 2);
    emitter.emit("pong", "a");
    expect(ping).toHaveBeenCalledTimes(1);
    expect(pong.mock.calls).toEqual([["a"]]);
  });

  it("delivers to the handlers present when emit began, even if one unsubscribes another", () => {
    const emitter = createEmitter<TestEvents>(() => undefined);
    const calls: string[] = [];
    let offSecond: () => void = () => undefined;
    emitter.on("ping", () => {
      calls.push("first");
      offSecond();
      emitter.on("ping", () => calls.push("late"));
    });
    offSecond = emitter.on("ping", () => calls.push("second"));
    emitter.emit("ping", 1);
    expect(calls).toEqual(["first", "second"]);
  });

  it("reports a throwing handler and still runs the others; clear() removes every handler", () => {
    const reported = vi.fn();
    const emitter = createEmitter<TestEvents>(reported);
    const bug = new Error("handler bug");
    const after = vi.fn();
    emitter.on("ping", () => {
      throw bug;
    });
    emitter.on("ping", after);
    emitter.emit("ping", 1);
    expect(reported).toHaveBeenCalledWith(bug);
    expect(after).toHaveBeenCalledWith(1);
    emitter.clear();
    emitter.emit("ping", 2);
    expect(after).toHaveBeenCalledTimes(1);
    expect(() => emitter.emit("pong", "nobody listens")).not.toThrow();
  });
});
