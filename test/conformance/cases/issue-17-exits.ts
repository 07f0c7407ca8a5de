// Issue 17 item 6, exit semantics: one case per cmi.core.exit (1.2) and cmi.exit (2004) value. The
// first session leaves an unfinished SCO with a bookmark and suspend data and exits that way; the
// next launch shows what the exit meant. SCORM 1.2 RTE 3.4 cmi.core.exit / cmi.core.entry: only
// "suspend" gives entry "resume", every other exit entry "". SCORM 2004 4th RTE 4.2.7 / 4.2.8 and
// ADL test case DMB Act1: only "suspend" resumes the learner attempt; any other exit ends it, and
// the next launch starts a new attempt with a fresh data model (entry ab-initio, nothing set yet).
import { expect } from "vitest";
import type { ConformanceCase } from "../support/runner.ts";
import { v12, v2004 } from "../support/script.ts";

const ZERO_DURATION = /^P(0+[YMWD])*(T(0+(\.0+)?[HMS])*)?$/;

const exits12 = (["time-out", "suspend", "logout", ""] as const).map(
  (exit, index): ConformanceCase => ({
    id: `I17-6-12${"abcd"[index]}`,
    family: "issue-17",
    title: `item 6: SCORM 1.2 exit ${JSON.stringify(exit)} gives the next launch entry ${exit === "suspend" ? '"resume", with its bookmark and suspend data' : '""'}`,
    source: "issue 17 item 6; SCORM 1.2 RTE 3.4 cmi.core.exit, cmi.core.entry",
    package: { version: "1.2", items: [{ id: "S1" }] },
    async run(h) {
      h.queue(
        "S1",
        [v12.initialize(), ...v12.setAll({ "cmi.core.lesson_location": "page-5", "cmi.suspend_data": "state-1", "cmi.core.lesson_status": "incomplete", "cmi.core.exit": exit }), v12.terminate()],
        exit === "suspend"
          ? [v12.initialize(), v12.get("cmi.core.entry", "resume"), v12.get("cmi.core.lesson_location", "page-5"), v12.get("cmi.suspend_data", "state-1")]
          : [v12.initialize(), v12.get("cmi.core.entry", "")],
      );
      await h.session("S1");
      expect((await h.attempt()).performance_status, "the SCO said incomplete: no exit finishes it").toBe("Incomplete");
      await h.play();
      await h.launch("S1");
    },
  }),
);

const exits2004 = (["time-out", "suspend", "logout", "normal", ""] as const).map(
  (exit, index): ConformanceCase => ({
    id: `I17-6-2004${"abcde"[index]}`,
    family: "issue-17",
    title:
      exit === "suspend"
        ? 'item 6: SCORM 2004 exit "suspend" resumes the attempt: entry "resume", bookmark and suspend data kept'
        : `item 6: SCORM 2004 exit ${JSON.stringify(exit)} while incomplete ends the attempt: the next launch is a new one (entry ab-initio, no bookmark, no suspend data, no time)`,
    source: "issue 17 item 6; SCORM 2004 4th RTE 4.2.7 cmi.entry, 4.2.8 cmi.exit; ADL test case DMB Act1V5-V8",
    package: { version: "2004 4th", items: [{ id: "S1" }] },
    async run(h) {
      h.queue(
        "S1",
        [
          v2004.initialize(),
          ...v2004.setAll({ "cmi.location": "page-5", "cmi.suspend_data": "state-1", "cmi.completion_status": "incomplete", "cmi.session_time": "PT1M", "cmi.exit": exit }),
          v2004.terminate(),
        ],
        exit === "suspend"
          ? [v2004.initialize(), v2004.get("cmi.entry", "resume"), v2004.get("cmi.location", "page-5"), v2004.get("cmi.suspend_data", "state-1"), v2004.get("cmi.completion_status", "incomplete")]
          : [
              v2004.initialize(),
              v2004.get("cmi.entry", "ab-initio"),
              v2004.get("cmi.location", { error: "403" }),
              v2004.get("cmi.suspend_data", { error: "403" }),
              v2004.get("cmi.completion_status", "unknown"),
              v2004.get("cmi.total_time", ZERO_DURATION),
            ],
      );
      await h.session("S1");
      // An exit that ends the attempt lets the LMS satisfy the SCO (SN UP.4), but the content said
      // it is incomplete: not finished, not passed, and so not credited.
      expect((await h.attempt()).performance_status, "the SCO said incomplete: no exit finishes it").toBe("Incomplete");
      await h.play();
      await h.launch("S1");
    },
  }),
);

export const exitCases: ConformanceCase[] = [...exits12, ...exits2004];
