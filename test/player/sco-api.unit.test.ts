// The API the SCO calls in the launcher (player/sco-api.ts), over scorm-again's real API, in Node:
// every answer synchronous and the spec's, the successful calls relayed in order, and the player
// window's API, fed the relayed calls, ending in the same state.
import { describe, expect, it } from "vitest";
import { Scorm12API, Scorm2004API } from "scorm-again";
import { createScoApi, type LocalApi, type ScormVersion } from "../../player/sco-api.ts";
import { CMI_MODEL_12 } from "../../server/scorm/cmi-model-12.ts";
import { CMI_MODEL_2004 } from "../../server/scorm/cmi-model-2004.ts";
import type { ApiCall, NavValidity } from "../../player/protocol.ts";

const SETTINGS = { logLevel: 5, lmsCommitUrl: false, autocommit: false };
type Api = Record<string, (...args: string[]) => string>;

function launch(version: ScormVersion, cmi: Record<string, unknown> = {}, nav: NavValidity | null = null) {
  const newApi = () => (version === "1.2" ? new Scorm12API(SETTINGS) : new Scorm2004API(SETTINGS)) as unknown as LocalApi;
  const local = newApi();
  local.loadFromJSON(cmi);
  const relayed: ApiCall[] = [];
  const sco = createScoApi({ model: version === "1.2" ? CMI_MODEL_12 : CMI_MODEL_2004, api: local, newApi, relay: (call) => relayed.push(call), navValidity: () => nav });
  return { sco, local, relayed, newApi };
}

/** The player window's API, given the same start and the relayed calls. */
function replay(version: ScormVersion, cmi: Record<string, unknown>, calls: ApiCall[]): Api {
  const api = (version === "1.2" ? new Scorm12API(SETTINGS) : new Scorm2004API(SETTINGS)) as unknown as Api & LocalApi;
  api.loadFromJSON(cmi);
  for (const { method, args } of calls) api[method]!(...args);
  return api;
}

describe("the SCO's API in the launcher", () => {
  it("counts the interactions a quiz appends at _count, each with its own answers (SCORM 2004)", () => {
    const { sco, relayed } = launch("2004");
    expect(sco.Initialize!("")).toBe("true");
    for (let question = 1; question <= 14; question++) {
      const n = sco.GetValue!("cmi.interactions._count");
      expect(n).toBe(String(question - 1));
      for (const [element, value] of [
        ["id", `q${question}`],
        ["type", "choice"],
        ["learner_response", `answer-${question}`],
        ["result", "correct"],
        ["objectives.0.id", `objective-${question}`],
        ["correct_responses.0.pattern", `answer-${question}`],
      ] as const) {
        expect(sco.SetValue!(`cmi.interactions.${n}.${element}`, value)).toBe("true");
        expect(sco.GetLastError!()).toBe("0");
      }
    }
    expect(sco.GetValue!("cmi.interactions._count")).toBe("14");
    expect(sco.GetValue!("cmi.interactions.13.learner_response")).toBe("answer-14");
    expect(sco.Terminate!("")).toBe("true");
    expect(relayed.at(-1)).toEqual({ method: "Terminate", args: [""] });
    // Read before its Terminate: a terminated API answers nothing.
    const player = replay("2004", {}, relayed.slice(0, -1));
    expect(player.GetValue!("cmi.interactions._count")).toBe("14");
    expect(player.GetValue!("cmi.interactions.6.id")).toBe("q7");
    expect(player.GetValue!("cmi.interactions.6.learner_response")).toBe("answer-7");
    expect(player.GetValue!("cmi.interactions.6.objectives.0.id")).toBe("objective-7");
  });

  it("appends after what earlier sessions recorded (SCORM 1.2)", () => {
    const { sco } = launch("1.2", { interactions: { 0: { id: "q1", type: "choice", student_response: "a" } } });
    sco.LMSInitialize!("");
    expect(sco.LMSGetValue!("cmi.interactions._count")).toBe("1");
    expect(sco.LMSSetValue!("cmi.interactions.1.id", "q2")).toBe("true");
    expect(sco.LMSGetValue!("cmi.interactions._count")).toBe("2");
  });

  it("answers refusals 'false' with the spec's error code, synchronously, and relays nothing of them", () => {
    const { sco, relayed } = launch("2004");
    expect(sco.SetValue!("cmi.location", "p1")).toBe("false");
    expect(sco.GetLastError!()).toBe("132"); // Store Data Before Initialization
    sco.Initialize!("");
    expect(sco.SetValue!("cmi.completion_status", "finished")).toBe("false");
    expect(sco.GetLastError!()).toBe("406");
    expect(sco.SetValue!("cmi.learner_id", "someone")).toBe("false");
    expect(sco.GetLastError!()).toBe("404");
    expect(sco.SetValue!("cmi.interactions.3.id", "q4")).toBe("false");
    expect(sco.GetLastError!()).toBe("351");
    expect(sco.GetErrorString!("351")).not.toBe("");
    expect(sco.GetValue!("cmi.interactions._count")).toBe("0");
    expect(sco.GetLastError!()).toBe("0");
    expect(relayed.map((call) => call.method)).toEqual(["Initialize"]);
  });

  it("refuses a value the LMS would refuse at commit, though scorm-again takes it: 1.2 hours of more than 4 digits (405)", () => {
    const { sco, relayed } = launch("1.2");
    sco.LMSInitialize!("");
    expect(sco.LMSSetValue!("cmi.core.session_time", `${"9".repeat(400)}:00:00`)).toBe("false");
    expect(sco.LMSGetLastError!()).toBe("405");
    expect(sco.LMSGetDiagnostic!("")).toMatch(/cmi\.core\.session_time/);
    // The next call sets the error state anew.
    expect(sco.LMSSetValue!("cmi.core.session_time", "0001:30:00")).toBe("true");
    expect(sco.LMSGetLastError!()).toBe("0");
    expect(relayed.filter((call) => call.method === "LMSSetValue")).toEqual([{ method: "LMSSetValue", args: ["cmi.core.session_time", "0001:30:00"] }]);
  });

  it("refuses an absurd 2004 session_time as out of range (407)", () => {
    const { sco } = launch("2004");
    sco.Initialize!("");
    expect(sco.SetValue!("cmi.session_time", `P${"9".repeat(400)}Y`)).toBe("false");
    expect(sco.GetLastError!()).toBe("407");
  });

  it("keeps scorm-again's code when both would refuse: an interaction out of order is 351 before its latency is out of range", () => {
    const { sco } = launch("2004");
    sco.Initialize!("");
    expect(sco.SetValue!("cmi.interactions.5.latency", `P${"9".repeat(400)}Y`)).toBe("false");
    expect(sco.GetLastError!()).toBe("351");
    // The copy that asked scorm-again left the SCO's data model as it was.
    expect(sco.GetValue!("cmi.interactions._count")).toBe("0");
  });

  it("answers adl.nav.request_valid.* from the player's sequencer (SCORM 2004)", () => {
    const { sco } = launch("2004", {}, { continue: true, previous: false, choice: { "item-2": true, "item-3": false } });
    sco.Initialize!("");
    expect(sco.GetValue!("adl.nav.request_valid.continue")).toBe("true");
    expect(sco.GetValue!("adl.nav.request_valid.previous")).toBe("false");
    expect(sco.GetValue!("adl.nav.request_valid.choice.{target=item-2}")).toBe("true");
    expect(sco.GetValue!("adl.nav.request_valid.choice.{target=item-3}")).toBe("false");
    expect(sco.GetLastError!()).toBe("0");
    expect(sco.SetValue!("adl.nav.request", "continue")).toBe("true");
  });

  it("relays exactly the calls that leave the player's API in the launcher's state (SCORM 1.2)", () => {
    const start = { core: { lesson_location: "p1", entry: "resume" }, suspend_data: "s" };
    const { sco, relayed } = launch("1.2", start);
    sco.LMSInitialize!("");
    sco.LMSSetValue!("cmi.core.lesson_location", "p2");
    sco.LMSSetValue!("cmi.core.score.raw", "eighty"); // refused
    sco.LMSSetValue!("cmi.suspend_data", "x".repeat(5_000)); // beyond 4,096: scorm-again and the LMS take it
    sco.LMSCommit!("");
    sco.LMSFinish!("");
    const player = replay("1.2", start, relayed.slice(0, -1));
    expect(player.LMSGetValue!("cmi.core.lesson_location")).toBe("p2");
    expect(player.LMSGetValue!("cmi.suspend_data")).toHaveLength(5_000);
    expect(player.LMSGetValue!("cmi.core.score.raw")).toBe("");
    expect(relayed.map((call) => call.method)).toEqual(["LMSInitialize", "LMSSetValue", "LMSSetValue", "LMSCommit", "LMSFinish"]);
  });

  it("refuses a record's elements before its id (408) and a duplicate objective id (351), without making a record (2004)", async () => {
    const { sco, relayed } = launch("2004");
    sco.Initialize!("");
    expect(sco.SetValue!("cmi.objectives.0.score.raw", "5")).toBe("false");
    expect(sco.GetLastError!()).toBe("408");
    expect(sco.SetValue!("cmi.interactions.0.type", "choice")).toBe("false");
    expect(sco.GetLastError!()).toBe("408");
    expect(sco.GetValue!("cmi.objectives._count")).toBe("0");
    expect(sco.GetValue!("cmi.interactions._count")).toBe("0");
    expect(sco.SetValue!("cmi.objectives.0.id", "objective-1")).toBe("true");
    expect(sco.SetValue!("cmi.objectives.0.score.raw", "5")).toBe("true");
    expect(sco.SetValue!("cmi.objectives.1.id", "objective-1")).toBe("false");
    expect(sco.GetLastError!()).toBe("351");
    expect(sco.GetDiagnostic!("")).toMatch(/already has the identifier "objective-1"/);
    expect(sco.GetValue!("cmi.objectives._count")).toBe("1");
    expect(relayed.filter((call) => call.method === "SetValue").map((call) => call.args[0])).toEqual(["cmi.objectives.0.id", "cmi.objectives.0.score.raw"]);
  });

  it("sets the error code to 0 on every successful GetValue (2004), though scorm-again left it after some", () => {
    const { sco } = launch("2004");
    sco.Initialize!("");
    expect(sco.GetValue!("cmi.location")).toBe("");
    expect(sco.GetLastError!()).toBe("403");
    expect(sco.GetValue!("cmi.completion_status")).toBe("unknown");
    expect(sco.GetLastError!()).toBe("0");
  });

  it("reads adl.nav.request back: _none_, then what the SCO set (2004 RTE 4.4.1)", () => {
    const { sco } = launch("2004");
    sco.Initialize!("");
    expect(sco.GetValue!("adl.nav.request")).toBe("_none_");
    expect(sco.GetLastError!()).toBe("0");
    sco.SetValue!("adl.nav.request", "continue");
    expect(sco.GetValue!("adl.nav.request")).toBe("continue");
  });

  it("ends a 1.2 session at LMSFinish: nothing more is read, stored or committed in it (301)", () => {
    const { sco, relayed } = launch("1.2");
    sco.LMSInitialize!("");
    sco.LMSSetValue!("cmi.core.lesson_location", "before finish");
    expect(sco.LMSFinish!("")).toBe("true");
    expect(sco.LMSSetValue!("cmi.core.lesson_location", "after finish")).toBe("false");
    expect(sco.LMSGetLastError!()).toBe("301");
    expect(sco.LMSGetValue!("cmi.core.lesson_location")).toBe("");
    expect(sco.LMSCommit!("")).toBe("false");
    expect(sco.LMSFinish!("")).toBe("false");
    expect(sco.LMSGetLastError!()).toBe("301");
    expect(relayed.map((call) => call.method)).toEqual(["LMSInitialize", "LMSSetValue", "LMSFinish"]);
  });
});
