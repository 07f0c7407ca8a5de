// SCORM 1.2 RTE section 3.3, the API: the eight LMS functions, called in the right and the wrong
// states, and the error codes of 3.3.3 (101, 201, 202, 203, 301, 401, 402, 403, 404, 405). The
// ADL 4th Edition suite has no 1.2 cases; these follow the 1.2 RTE's own words, as ADL's SCORM
// 1.2 conformance test suite checked them.
import { expect } from "vitest";
import type { PackageSpec } from "../support/build-package.ts";
import type { ConformanceCase } from "../support/runner.ts";
import { TEXT_UP_TO_255, v12 } from "../support/script.ts";

const ONE_SCO: PackageSpec = { version: "1.2", items: [{ id: "S1" }] };

export const cases: ConformanceCase[] = [
  {
    id: "API-12-01",
    family: "api-12",
    title: "LMSInitialize starts the session once; a second LMSInitialize is refused with 101",
    source: "SCORM 1.2 RTE 3.3 LMSInitialize, error 101",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.lastError("0"),
        v12.initialize(),
        v12.lastError("0"),
        v12.initialize({ error: "101" }),
        v12.lastError("101"),
        v12.get("cmi.core.lesson_status", "not attempted"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-12-02",
    family: "api-12",
    title: 'an argument other than "" is refused with 201, and the session carries on',
    source: "SCORM 1.2 RTE 3.3 LMSInitialize, LMSFinish, LMSCommit: the parameter is \"\", error 201",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.call("initialize", ["x"], { expect: "false", error: "201" }),
        v12.initialize(),
        v12.call("commit", ["x"], { expect: "false", error: "201" }),
        v12.call("terminate", ["x"], { expect: "false", error: "201" }),
        v12.set("cmi.core.lesson_location", "still running"),
        v12.get("cmi.core.lesson_location", "still running"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-12-03",
    family: "api-12",
    title: "before LMSInitialize, LMSGetValue, LMSSetValue, LMSCommit and LMSFinish are refused with 301",
    source: "SCORM 1.2 RTE 3.3 error 301 (not initialized)",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.get("cmi.core.lesson_status", { error: "301" }),
        v12.set("cmi.core.lesson_location", "too soon", { error: "301" }),
        v12.commit({ error: "301" }),
        v12.terminate({ error: "301" }),
        v12.initialize(),
        v12.get("cmi.core.lesson_location", ""),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-12-04",
    family: "api-12",
    title: "what a SCO sets after LMSFinish is not stored: the session is over",
    source: "SCORM 1.2 RTE 3.3 LMSFinish (after it the SCO may call only the error functions)",
    package: ONE_SCO,
    async run(h) {
      // The 1.2 RTE defines no answer for a call after LMSFinish (scorm-again takes it in memory);
      // what matters is that none of it reaches the learner's record.
      h.queue("S1", [
        v12.initialize(),
        v12.set("cmi.core.lesson_location", "before finish"),
        v12.set("cmi.core.lesson_status", "incomplete"),
        v12.terminate(),
        v12.call("setValue", ["cmi.core.lesson_location", "after finish"]),
        v12.call("setValue", ["cmi.core.lesson_status", "completed"]),
        v12.call("commit", [""]),
      ]);
      await h.play();
      await h.launch("S1");
      await h.closed();
      expect((await h.cmi("S1")).core).toMatchObject({ lesson_location: "before finish", lesson_status: "incomplete" });
    },
  },
  {
    id: "API-12-05",
    family: "api-12",
    title: "LMSGetLastError, LMSGetErrorString and LMSGetDiagnostic describe the last error without changing it; a call that succeeds sets 0",
    source: "SCORM 1.2 RTE 3.3 LMSGetLastError, LMSGetErrorString, LMSGetDiagnostic",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        v12.set("cmi.core.student_id", "someone else", { error: "403" }),
        v12.lastError("403"),
        v12.lastError("403"),
        v12.errorString("403", TEXT_UP_TO_255),
        v12.diagnostic("403", /^[\s\S]{0,255}$/),
        v12.lastError("403"),
        v12.errorString("0", TEXT_UP_TO_255),
        v12.errorString("401", TEXT_UP_TO_255),
        v12.get("cmi.core.lesson_status", "not attempted"),
        v12.lastError("0"),
        v12.get("cmi.core.unknown_element", { error: "401" }),
        v12.set("cmi.core.lesson_location", "page 2"),
        v12.lastError("0"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-12-06",
    family: "api-12",
    title: "elements the 1.2 data model does not define are refused with 401",
    source: "SCORM 1.2 RTE 3.3 error 401 (not implemented)",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        v12.get("cmi.core.nonexistent", { error: "401" }),
        v12.set("cmi.nonexistent", "x", { error: "401" }),
        // SCORM 2004 names are not 1.2's.
        v12.get("cmi.completion_status", { error: "401" }),
        v12.set("cmi.location", "x", { error: "401" }),
        v12.get("adl.nav.request", { error: "401" }),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-12-07",
    family: "api-12",
    title: "_children of an element that has none is refused with 202",
    source: "SCORM 1.2 RTE 3.3 error 202 (element cannot have children); 3.4 keyword _children",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        v12.get("cmi.core.student_id._children", { error: "202" }),
        v12.get("cmi.core.lesson_location._children", { error: "202" }),
        v12.get("cmi.suspend_data._children", { error: "202" }),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-12-08",
    family: "api-12",
    title: "_count of an element that is not a list is refused with 203",
    source: "SCORM 1.2 RTE 3.3 error 203 (element not an array, cannot have count); 3.4 keyword _count",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        v12.get("cmi.core._count", { error: "203" }),
        v12.get("cmi.core.score._count", { error: "203" }),
        v12.get("cmi.student_data._count", { error: "203" }),
        v12.get("cmi.interactions._count", "0"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-12-09",
    family: "api-12",
    title: "setting a keyword (_children, _count, _version) is refused with 402",
    source: "SCORM 1.2 RTE 3.3 error 402 (invalid set value, element is a keyword)",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        v12.set("cmi.core._children", "student_id", { error: "402" }),
        v12.set("cmi.core.score._children", "raw", { error: "402" }),
        v12.set("cmi.interactions._count", "3", { error: "402" }),
        v12.set("cmi.objectives._children", "id", { error: "402" }),
        v12.set("cmi._version", "4.0", { error: "402" }),
        v12.get("cmi.interactions._count", "0"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-12-10",
    family: "api-12",
    title: "setting a read-only element is refused with 403 and leaves it as it was",
    source: "SCORM 1.2 RTE 3.3 error 403 (element is read only); 3.4 access of cmi.core.*, cmi.launch_data, cmi.student_data.*",
    package: { version: "1.2", items: [{ id: "S1", masteryScore: 80, dataFromLms: "from the manifest" }] },
    async run(h) {
      const readOnly = ["cmi.core.student_id", "cmi.core.student_name", "cmi.core.credit", "cmi.core.entry", "cmi.core.total_time", "cmi.core.lesson_mode", "cmi.launch_data", "cmi.comments_from_lms", "cmi.student_data.mastery_score"];
      h.queue("S1", [
        v12.initialize(),
        ...readOnly.map((element) => v12.set(element, "changed", { error: "403" })),
        v12.get("cmi.core.student_name", "Smith, Jane"),
        v12.get("cmi.core.credit", "credit"),
        v12.get("cmi.core.entry", "ab-initio"),
        v12.get("cmi.launch_data", "from the manifest"),
        v12.get("cmi.student_data.mastery_score", "80"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-12-11",
    family: "api-12",
    title: "reading a write-only element (exit, session_time, interactions) is refused with 404",
    source: "SCORM 1.2 RTE 3.3 error 404 (element is write only); 3.4 cmi.core.exit, cmi.core.session_time, cmi.interactions.n.*",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        v12.set("cmi.core.exit", "suspend"),
        v12.get("cmi.core.exit", { error: "404" }),
        v12.set("cmi.core.session_time", "0000:00:30.00"),
        v12.get("cmi.core.session_time", { error: "404" }),
        v12.set("cmi.interactions.0.id", "q1"),
        v12.set("cmi.interactions.0.student_response", "a"),
        v12.get("cmi.interactions.0.id", { error: "404" }),
        v12.get("cmi.interactions.0.student_response", { error: "404" }),
        v12.get("cmi.interactions._count", "1"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-12-12",
    family: "api-12",
    title: "a value of the wrong type, vocabulary or range is refused with 405 and not stored",
    source: "SCORM 1.2 RTE 3.3 error 405 (incorrect data type); 3.4 data types CMIVocabulary, CMIDecimal, CMIString255, CMITimespan",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        v12.set("cmi.core.lesson_status", "excellent", { error: "405" }),
        // The SCO may not set the LMS's own initial value.
        v12.set("cmi.core.lesson_status", "not attempted", { error: "405" }),
        v12.set("cmi.core.score.raw", "eighty", { error: "405" }),
        v12.set("cmi.core.score.raw", "101", { error: "405" }),
        v12.set("cmi.core.score.raw", "-5", { error: "405" }),
        v12.set("cmi.core.lesson_location", "x".repeat(256), { error: "405" }),
        v12.set("cmi.core.session_time", "one hour", { error: "405" }),
        v12.set("cmi.interactions.0.type", "essay", { error: "405" }),
        v12.set("cmi.student_preference.audio", "101", { error: "405" }),
        v12.get("cmi.core.lesson_status", "not attempted"),
        v12.get("cmi.core.score.raw", ""),
        v12.get("cmi.core.lesson_location", ""),
        v12.set("cmi.core.score.raw", "100"),
        v12.get("cmi.core.score.raw", "100"),
      ]);
      await h.play();
      await h.launch("S1");
    },
  },
  {
    id: "API-12-13",
    family: "api-12",
    title: "LMSCommit sends what was set to the LMS while the SCO runs on",
    source: "SCORM 1.2 RTE 3.3 LMSCommit",
    package: ONE_SCO,
    async run(h) {
      h.queue("S1", [
        v12.initialize(),
        ...v12.setAll({ "cmi.core.lesson_location": "page-3", "cmi.suspend_data": "seen=1,2,3", "cmi.core.lesson_status": "incomplete" }),
        v12.commit(),
        v12.get("cmi.core.lesson_location", "page-3"),
      ]);
      await h.play();
      await h.launch("S1");
      await expect.poll(() => h.cmi("S1"), { timeout: 10_000 }).toMatchObject({ core: { lesson_location: "page-3", lesson_status: "incomplete" }, suspend_data: "seen=1,2,3" });
      expect((await h.commits("S1")).some((commit) => commit.isTerminateCommit)).toBe(false);
    },
  },
];
