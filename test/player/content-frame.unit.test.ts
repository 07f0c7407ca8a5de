import { describe, expect, it } from "vitest";
import { Scorm12API, Scorm2004API } from "scorm-again";
import { dataModelSnapshot } from "../../player/content-frame.ts";
import { PROTOCOL, isLauncherMessage, isPlayerMessage } from "../../player/protocol.ts";

describe("dataModelSnapshot", () => {
  it("gives the launcher's API every value the content reads after Initialize, without write-only ones", () => {
    const api = new Scorm12API({ logLevel: 5 });
    api.loadFromJSON({
      core: { entry: "resume", lesson_location: "s2", lesson_status: "incomplete", exit: "suspend", session_time: "0000:01:00", total_time: "0001:02:03.00" },
      suspend_data: '{"viewed":["s1","s2"]}',
      student_data: { mastery_score: "80" },
      interactions: { 0: { id: "q1", type: "choice" }, 1: { id: "q2", type: "choice" } },
    });
    const launcher = new Scorm12API({ logLevel: 5 });
    launcher.loadFromJSON(dataModelSnapshot("1.2", api));
    launcher.LMSInitialize("");
    const read = (element: string) => launcher.LMSGetValue(element);
    expect(read("cmi.core.entry")).toBe("resume");
    expect(read("cmi.core.lesson_location")).toBe("s2");
    expect(read("cmi.core.lesson_status")).toBe("incomplete");
    expect(read("cmi.suspend_data")).toBe('{"viewed":["s1","s2"]}');
    expect(read("cmi.student_data.mastery_score")).toBe("80");
    // Left out of scorm-again's JSON, put back by the snapshot.
    expect(read("cmi.core.total_time")).toBe("01:02:03");
    // The content appends after what the earlier sessions recorded.
    expect(read("cmi.interactions._count")).toBe("2");
    const snapshot = dataModelSnapshot("1.2", api) as { core: Record<string, unknown> };
    expect(snapshot.core).not.toHaveProperty("exit");
    expect(snapshot.core).not.toHaveProperty("session_time");
  });

  it("leaves out 1.2's initial 'not attempted', so that a silent SCO still completes at LMSFinish", () => {
    const api = new Scorm12API({ logLevel: 5 });
    const snapshot = dataModelSnapshot("1.2", api) as { core: Record<string, unknown> };
    expect(snapshot.core).not.toHaveProperty("lesson_status");
  });

  it("does the same for SCORM 2004, nested collections included", () => {
    const api = new Scorm2004API({ logLevel: 5 });
    api.loadFromJSON({ entry: "resume", location: "p3", exit: "suspend", scaled_passing_score: "0.8", interactions: { 0: { id: "q1", type: "choice", objectives: { 0: { id: "o1" }, 1: { id: "o2" } } } } });
    const launcher = new Scorm2004API({ logLevel: 5 });
    launcher.loadFromJSON(dataModelSnapshot("2004", api));
    launcher.Initialize("");
    expect(launcher.GetValue("cmi.location")).toBe("p3");
    expect(launcher.GetValue("cmi.scaled_passing_score")).toBe("0.8");
    expect(launcher.GetValue("cmi.interactions.0.objectives._count")).toBe("2");
    expect(dataModelSnapshot("2004", api)).not.toHaveProperty("exit");
  });
});

describe("the launcher protocol", () => {
  it("recognises only its own messages, well formed", () => {
    expect(isLauncherMessage({ protocol: PROTOCOL, type: "cmi-request", scoId: "S1" })).toBe(true);
    expect(isLauncherMessage({ protocol: PROTOCOL, type: "api-calls", scoId: "S1", calls: [{ method: "SetValue", args: ["cmi.location", "p2"] }] })).toBe(true);
    expect(isLauncherMessage({ protocol: PROTOCOL, type: "api-calls", scoId: "S1", calls: [{ method: "SetValue", args: ["cmi.location", 2] }] })).toBe(false);
    expect(isLauncherMessage({ messageId: "cfapi-1", method: "LMSInitialize", params: [] })).toBe(false);
    expect(isLauncherMessage({ protocol: PROTOCOL, type: "cmi", scoId: "S1", cmi: {}, nav: null })).toBe(false);
    expect(isPlayerMessage({ protocol: PROTOCOL, type: "cmi", scoId: "S1", cmi: { entry: "resume" }, nav: null })).toBe(true);
    expect(isPlayerMessage({ protocol: PROTOCOL, type: "cmi", scoId: "S1", cmi: { entry: "resume" }, nav: { continue: true, previous: "no", choice: {} } })).toBe(false);
    expect(isPlayerMessage({ protocol: PROTOCOL, type: "nav-validity", scoId: "S1", nav: { continue: true, previous: false, choice: { A: true } } })).toBe(true);
    expect(isPlayerMessage({ protocol: "other", type: "unload-sco", scoId: "S1" })).toBe(false);
  });
});
