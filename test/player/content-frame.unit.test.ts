import { describe, expect, it } from "vitest";
import { Scorm12API, Scorm2004API } from "scorm-again";
import { cacheSnapshot } from "../../player/content-frame.ts";
import { PROTOCOL, isLauncherMessage, isPlayerMessage } from "../../player/protocol.ts";

describe("cacheSnapshot", () => {
  it("gives CrossFrameAPI's cache every value the content reads after Initialize, with collection counts", () => {
    const api = new Scorm12API({ logLevel: 5 });
    api.loadFromJSON({
      core: { entry: "resume", lesson_location: "s2", lesson_status: "incomplete", exit: "suspend", session_time: "0000:01:00" },
      suspend_data: '{"viewed":["s1","s2"]}',
      student_data: { mastery_score: "80" },
      interactions: { 0: { id: "q1", type: "choice" }, 1: { id: "q2", type: "choice" } },
    });
    const values = cacheSnapshot(api.getFlattenedCMI());
    expect(values).toMatchObject({
      "cmi.core.entry": "resume",
      "cmi.core.lesson_location": "s2",
      "cmi.core.lesson_status": "incomplete",
      "cmi.suspend_data": '{"viewed":["s1","s2"]}',
      "cmi.student_data.mastery_score": "80",
      "cmi.interactions._count": "2",
      "cmi.interactions.1.id": "q2",
      "cmi.objectives._count": "0",
    });
    // Write-only elements are not for the content to read back.
    expect(values).not.toHaveProperty("cmi.core.exit");
    expect(values).not.toHaveProperty("cmi.core.session_time");
    expect(Object.values(values).every((value) => typeof value === "string")).toBe(true);
  });

  it("does the same for SCORM 2004, nested collections included", () => {
    const api = new Scorm2004API({ logLevel: 5 });
    api.loadFromJSON({ entry: "resume", location: "p3", scaled_passing_score: "0.8", interactions: { 0: { id: "q1", type: "choice", objectives: { 0: { id: "o1" }, 1: { id: "o2" } } } } });
    const values = cacheSnapshot(api.getFlattenedCMI());
    expect(values).toMatchObject({ "cmi.entry": "resume", "cmi.location": "p3", "cmi.scaled_passing_score": "0.8", "cmi.interactions._count": "1", "cmi.interactions.0.objectives._count": "2" });
  });
});

describe("the launcher protocol", () => {
  it("recognises only its own messages, never scorm-again's", () => {
    expect(isLauncherMessage({ protocol: PROTOCOL, type: "cmi-request", scoId: "S1" })).toBe(true);
    expect(isLauncherMessage({ messageId: "cfapi-1", method: "LMSInitialize", params: [] })).toBe(false);
    expect(isLauncherMessage({ protocol: PROTOCOL, type: "cmi", scoId: "S1", values: {} })).toBe(false);
    expect(isPlayerMessage({ protocol: PROTOCOL, type: "cmi", scoId: "S1", values: { "cmi.core.entry": "resume" } })).toBe(true);
    expect(isPlayerMessage({ protocol: PROTOCOL, type: "cmi", scoId: "S1", values: { "cmi.core.entry": 1 } })).toBe(false);
    expect(isPlayerMessage({ protocol: "other", type: "unload-sco", scoId: "S1" })).toBe(false);
  });
});
