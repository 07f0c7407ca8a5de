import { describe, expect, it } from "vitest";
import { serverNodeFlags } from "../../scripts/node-flags.mjs";

describe("the server's Node flags", () => {
  // V8's background threads leave a core to the event loop and SQLite's writer (scripts/node-flags.mjs).
  it.each([
    [1, 1],
    [2, 1],
    [3, 2],
    [4, 3],
    [5, 4],
    [64, 4],
  ])("on %i cores, V8's pool is %i threads", (cores, pool) => {
    expect(serverNodeFlags(cores)).toEqual([`--v8-pool-size=${pool}`]);
  });
});
