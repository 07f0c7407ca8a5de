// The player's read of a SCO's state: a stalled request is made again, never waited on for ever.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchState, PlayerError } from "../../player/sco-state.ts";

const STATE = { attemptId: 7, scoId: "S1", scormVersion: "2004", cmi: {}, commitSequence: 0 };
const config = { runtimeBase: "http://lms.test/runtime/attempts/7/scos/", csrfToken: "the-session-token" };

/** A fetch that answers the tries listed (true: answers with STATE; false: never answers), in turn. */
function stubFetch(...answers: boolean[]) {
  const calls: string[] = [];
  vi.stubGlobal("fetch", (url: string, init: RequestInit) => {
    calls.push(url);
    if (answers.shift()) return Promise.resolve(new Response(JSON.stringify(STATE), { status: 200 }));
    return new Promise((_resolve, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason)));
  });
  return calls;
}

describe("reading a SCO's state", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("makes a stalled request again, and takes the answer of the next", async () => {
    const calls = stubFetch(false, true);
    expect(await fetchState(config, "S1", 50)).toEqual(STATE);
    expect(calls).toEqual([`${config.runtimeBase}S1/state`, `${config.runtimeBase}S1/state`]);
  });

  it("tells the learner, once three tries have stalled", async () => {
    const calls = stubFetch(false, false, false, true);
    await expect(fetchState(config, "S1", 20)).rejects.toThrow(PlayerError);
    expect(calls).toHaveLength(3);
  });

  it("does not try again when the connection is refused: the learner is told at once", async () => {
    let calls = 0;
    vi.stubGlobal("fetch", () => {
      calls += 1;
      return Promise.reject(new TypeError("Failed to fetch"));
    });
    await expect(fetchState(config, "S1", 20)).rejects.toThrow(/connection seems to be down/);
    expect(calls).toBe(1);
  });
});
