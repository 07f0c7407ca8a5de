// SCORM 2004 4th Edition SN 3.4, sequencing rules: the pre-condition actions (skip, disabled,
// hiddenFromChoice, stopForwardTraversal), exit rules, and the post-condition actions (retry,
// continue, previous, exitAll), each seen in what is delivered next and what the player offers;
// after ADL's test suite cases CM-06, CM-07a/b/c/e, CM-08, CM-09ca, RU-01aa, RU-02b and SX-06.
import { expect } from "vitest";
import type { ConformanceCase } from "../support/runner.ts";
import { v2004 } from "../support/script.ts";
import { asksValid, CHOICE_AND_FLOW, FLOW_ONLY, performanceStatus, reports, sequencing, terminated, toldRefused } from "../support/sequencing.ts";

const family = "sequencing-rules";
const always = (action: string) => sequencing({ preConditionRules: [{ action, conditions: ["always"] }] });

export const cases: ConformanceCase[] = [
  {
    id: "SEQ-SR-01",
    family,
    title: "pre-condition skip: Next passes over the skipped SCO, and Previous passes over it back again",
    source: "SCORM 2004 4th SN 3.4 (preConditionRule skip), SB.2.2 Flow Activity Traversal (skipped activities are passed over in both directions); ADL test case CM-07b",
    package: { version: "2004 4th", items: [{ id: "S1" }, { id: "S2", sequencing: always("skip") }, { id: "S3" }], organizationSequencing: FLOW_ONLY },
    async run(h) {
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S3");
      await h.previous();
      await h.launch("S1");
      expect(h.launchCount("S2")).toBe(0);
    },
  },
  {
    id: "SEQ-SR-02",
    family,
    title: "pre-condition disabled: the SCO cannot be chosen, and a Next into it is refused (flow stops there, it does not skip) and the learner told",
    source: "SCORM 2004 4th SN 3.4 (disabled), UP.5 Check Activity, SB.2.2 Flow Activity Traversal (SB.2.2-2: a disabled activity stops the flow), SB.2.9; ADL test case CM-07a",
    package: { version: "2004 4th", items: [{ id: "S1" }, { id: "S2", sequencing: always("disabled") }, { id: "S3" }], organizationSequencing: CHOICE_AND_FLOW },
    async run(h) {
      h.queue("S1", [...asksValid({ "choice.{target=S2}": "false", "choice.{target=S3}": "true" }), v2004.set("adl.nav.request", "continue"), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      expect(await toldRefused(h)).toMatch(/SB\.2\.2-2/);
      expect((await h.controls()).choosable).toEqual(["S1", "S3"]);
      await h.choose("S3");
      await h.launch("S3");
      expect([h.launchCount("S2"), h.launchCount("S3")]).toEqual([0, 1]);
    },
  },
  {
    id: "SEQ-SR-03",
    family,
    title: "pre-condition disabled: the player does not offer Next into the disabled SCO, and the SCO is told continue is not valid",
    source: "SCORM 2004 4th SN 3.4 (disabled), SB.2.2-2; RTE 4.4.2 adl.nav.request_valid.continue (the LMS's look-ahead); ADL test case CM-07a",
    package: { version: "2004 4th", items: [{ id: "S1" }, { id: "S2", sequencing: always("disabled") }, { id: "S3" }], organizationSequencing: CHOICE_AND_FLOW },
    async run(h) {
      h.queue("S1", asksValid({ continue: "false" }));
      await h.play();
      const launch = await h.launch("S1", { check: false });
      expect((await h.controls()).next.enabled, "Next is offered into a disabled SCO").toBe(false);
      expect(launch.problems()).toEqual([]);
    },
  },
  {
    id: "SEQ-SR-10",
    family,
    title: "pre-condition disabled, flow only: Next refused once the SCO on screen has ended leaves that SCO on screen, tells the learner why, and is offered no more",
    source: "SCORM 2004 4th SN 3.4 (disabled), UP.5 Check Activity, SB.2.2-2; ADL test case CM-07a",
    package: { version: "2004 4th", items: [{ id: "S1" }, { id: "S2" }, { id: "S3", sequencing: always("disabled") }], organizationSequencing: FLOW_ONLY },
    async run(h) {
      h.queue("S1", [v2004.initialize()]);
      h.queue("S2", [v2004.initialize(), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S2");
      // S2 ended by itself, asking for nothing: no SCO runs (its terminate commit left the player).
      await terminated(h, "S2");
      await h.next();
      expect(await toldRefused(h)).toMatch(/its rules close it.*\(sequencing rule SB\.2\.2-2\)/);
      const { frames } = (await h.playerShows()) as { frames: string[] };
      expect(frames.some((url) => url.endsWith("/S2")), `S2 is still on screen: ${frames.join(", ")}`).toBe(true);
      expect((await h.controls()).next.enabled).toBe(false);
      await h.previous();
      await h.launch("S1");
    },
  },
  {
    id: "SEQ-SR-04",
    family,
    title: "pre-condition hiddenFromChoice: the SCO cannot be chosen from the contents, yet Next still delivers it",
    source: "SCORM 2004 4th SN 3.4 (hiddenFromChoice affects choice only), SB.2.9; ADL test case CM-07c",
    package: { version: "2004 4th", items: [{ id: "S1" }, { id: "S2", sequencing: always("hiddenFromChoice") }, { id: "S3" }], organizationSequencing: CHOICE_AND_FLOW },
    async run(h) {
      h.queue("S1", [...asksValid({ "choice.{target=S2}": "false", continue: "true" }), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      expect((await h.controls()).choosable).toEqual(["S1", "S3"]);
      await h.next();
      await h.launch("S2");
    },
  },
  {
    id: "SEQ-SR-05",
    family,
    title: "pre-condition stopForwardTraversal: a choice from before it to a SCO after it is refused and the learner told, and not offered; the stopping SCO itself can be chosen, and Next still flows on",
    source: "SCORM 2004 4th SN 3.4 (stopForwardTraversal), SB.2.9 Choice Sequencing Request, SB.2.4 Choice Activity Traversal (forward: SB.2.4-1); ADL test case CM-07e",
    package: { version: "2004 4th", items: [{ id: "S1" }, { id: "S2", sequencing: always("stopForwardTraversal") }, { id: "S3" }], organizationSequencing: CHOICE_AND_FLOW },
    async run(h) {
      h.queue("S1", [...asksValid({ "choice.{target=S2}": "true", "choice.{target=S3}": "false" }), v2004.set("adl.nav.request", "{target=S3}choice"), v2004.terminate()]);
      await h.play();
      const launch = await h.launch("S1", { check: false });
      expect(await toldRefused(h)).toMatch(/SB\.2\.(4|9)-/);
      expect(h.launchCount("S3"), "S3 delivered past the stopping SCO").toBe(0);
      expect((await h.controls()).choosable).toEqual(["S1", "S2"]);
      expect(launch.problems()).toEqual([]);
      await h.choose("S2");
      await h.launch("S2");
      await h.next();
      await h.launch("S3");
    },
  },
  {
    id: "SEQ-SR-06",
    family,
    title: "an exit rule on a module: once the module is satisfied, leaving its first SCO exits the whole module, and Next goes on past the rest of it",
    source: "SCORM 2004 4th SN 3.4 (exitConditionRule exit), TB.2.1 Sequencing Exit Action Rules Subprocess, TB.2.3; ADL test cases RU-01aa, RU-02b",
    package: {
      version: "2004 4th",
      items: [
        {
          id: "M1",
          sequencing: sequencing({
            controlMode: { flow: true },
            exitConditionRules: [{ action: "exit", conditions: ["satisfied"] }],
            rollup: { rules: [{ action: "satisfied", childActivitySet: "any", conditions: ["satisfied"] }] },
          }),
          children: [{ id: "S1" }, { id: "S2" }],
        },
        { id: "S3" },
      ],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      h.queue("S1", reports({ "cmi.success_status": "passed" }));
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S3");
      expect(h.launchCount("S2")).toBe(0);
    },
  },
  {
    id: "SEQ-SR-07",
    family,
    title: "post-condition retry: a SCO that ends not satisfied is delivered again at once, as a new attempt with a fresh data model; passed, the course moves on",
    source: "SCORM 2004 4th SN 3.4 (postConditionRule retry), TB.2.2, SB.2.10 Retry; RTE 4.2.8 (a new attempt: entry ab-initio); ADL test cases CM-06, SX-06",
    package: {
      version: "2004 4th",
      items: [{ id: "S1", sequencing: sequencing({ postConditionRules: [{ action: "retry", conditions: ["not satisfied"] }] }) }, { id: "S2" }],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      h.queue(
        "S1",
        [v2004.initialize(), v2004.set("cmi.location", "first try"), v2004.set("cmi.success_status", "failed"), v2004.terminate()],
        [v2004.initialize(), v2004.get("cmi.entry", "ab-initio"), v2004.get("cmi.success_status", "unknown"), v2004.get("cmi.location", { error: "403" }), v2004.set("cmi.success_status", "passed"), v2004.terminate()],
      );
      await h.play();
      await h.launch("S1");
      await h.launch("S1");
      expect(h.launchCount("S2")).toBe(0);
      await h.next();
      await h.launch("S2");
      expect(h.launchCount("S1")).toBe(2);
    },
  },
  {
    id: "SEQ-SR-08",
    family,
    title: "post-condition previous: a SCO that ends satisfied sends the learner back to the SCO before it",
    source: "SCORM 2004 4th SN 3.4 (postConditionRule previous), TB.2.2, SB.2.8; ADL test case RU-01aa",
    package: {
      version: "2004 4th",
      items: [{ id: "S1" }, { id: "S2", sequencing: sequencing({ postConditionRules: [{ action: "previous", conditions: ["satisfied"] }] }) }],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      h.queue("S2", reports({ "cmi.success_status": "passed" }));
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S2");
      await h.launch("S1");
    },
  },
  {
    id: "SEQ-SR-09",
    family,
    title: "post-condition continue then exitAll: the first SCO's end delivers the next by itself, whose end closes the course, left Incomplete with its third SCO never attempted",
    source: "SCORM 2004 4th SN 3.4 (postConditionRule continue, exitAll), TB.2.2, SB.2.7, TB.2.3 (exit all ends the session); ADL test cases CM-09ca, CM-08",
    package: {
      version: "2004 4th",
      items: [
        { id: "S1", sequencing: sequencing({ postConditionRules: [{ action: "continue", conditions: ["always"] }] }) },
        { id: "S2", sequencing: sequencing({ postConditionRules: [{ action: "exitAll", conditions: ["always"] }] }) },
        { id: "S3" },
      ],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      await h.play();
      await h.launch("S1");
      await h.launch("S2");
      await h.closed();
      expect(h.launchCount("S3")).toBe(0);
      await performanceStatus(h, "Incomplete");
    },
  },
];
