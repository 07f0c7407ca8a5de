// SCORM 2004 4th Edition SN 3.3, the constrained choice considerations of adlseq:
// constrainChoice (from inside a constrained activity only the activities logically just before
// and after it may be chosen) and preventActivation (a choice may not start an attempt on the
// children of an activity that is not active), as the Choice Sequencing Request Process (SB.2.9)
// applies them: what the player offers, what a choice delivers, and what it refuses; after ADL's
// test suite cases CM-16, CM-07d and CM-17a. ADL's reference sequencer (ADLSequencer.java in the
// SCORM 2004 4th Edition Sample RTE) is the reading of SB.2.9 the expectations follow.
import { expect } from "vitest";
import type { PackageSpec } from "../support/build-package.ts";
import type { ConformanceCase } from "../support/runner.ts";
import { v2004 } from "../support/script.ts";
import { asksValid, CHOICE_AND_FLOW, navigates, sequencing, toldRefused } from "../support/sequencing.ts";

const family = "sequencing-constrained-choice";

/** S1, then M2 (flow; constrained or preventing activation) holding S2 and S3, then S4 and S5. */
function aroundModule(constrainedChoice: { constrainChoice?: boolean; preventActivation?: boolean }): PackageSpec {
  return {
    version: "2004 4th",
    items: [{ id: "S1" }, { id: "M2", sequencing: sequencing({ controlMode: { flow: true }, constrainedChoice }), children: [{ id: "S2" }, { id: "S3" }] }, { id: "S4" }, { id: "S5" }],
    organizationSequencing: CHOICE_AND_FLOW,
  };
}

const CONSTRAINED = aroundModule({ constrainChoice: true });
const PREVENTING = aroundModule({ preventActivation: true });

export const cases: ConformanceCase[] = [
  {
    id: "SEQ-CC-01",
    family,
    title: "constrainChoice on the organization constrains nothing: the learner may choose past the next SCO, and back to one never attempted",
    source: "SCORM 2004 4th SN 3.3 (Constrain Choice), SB.2.9 (the constrained activity is an ancestor of the current activity below the common ancestor: the root never is); ADL test case CM-16",
    package: { version: "2004 4th", items: [{ id: "S1" }, { id: "S2" }, { id: "S3" }], organizationSequencing: sequencing({ constrainedChoice: { constrainChoice: true } }) },
    async run(h) {
      await h.play();
      await h.launch("S1");
      expect((await h.controls()).choosable).toEqual(["S1", "S2", "S3"]);
      await h.choose("S3");
      await h.launch("S3");
      await h.choose("S2");
      await h.launch("S2");
    },
  },
  {
    id: "SEQ-CC-02",
    family,
    title: "constrainChoice on a module: from inside it, a choice beyond the activity just after the module is refused and the learner told, and not offered",
    source: "SCORM 2004 4th SN 3.3 (Constrain Choice), SB.2.9 (constrained activity; SB.2.9-8: the target is not the activity logically next or previous to it); RTE 4.4.2; ADL test case CM-07d",
    package: CONSTRAINED,
    async run(h) {
      h.queue("S2", [...asksValid({ "choice.{target=S5}": "false" }), v2004.set("adl.nav.request", "{target=S5}choice"), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      await h.next();
      const launch = await h.launch("S2", { check: false });
      expect(await toldRefused(h)).toMatch(/SB\.2\.9-/);
      expect(h.launchCount("S5"), "S5 delivered from inside the constrained module").toBe(0);
      expect((await h.controls()).choosable).not.toContain("S5");
      expect(launch.problems()).toEqual([]);
    },
  },
  {
    id: "SEQ-CC-03",
    family,
    title: "constrainChoice on a module: from inside it, the other SCO of the module and the activity just after it may be chosen, and are offered",
    source: "SCORM 2004 4th SN 3.3 (Constrain Choice), SB.2.9 (a sibling of the current activity; the constrained range runs from the activity before the constrained one to the one after it); ADL test case CM-07d",
    package: CONSTRAINED,
    async run(h) {
      h.queue("S2", [...asksValid({ "choice.{target=S3}": "true", "choice.{target=S4}": "true" }), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      await h.next();
      const launch = await h.launch("S2", { check: false });
      expect((await h.controls()).choosable).toEqual(["S1", "S2", "S3", "S4"]);
      expect(launch.problems()).toEqual([]);
      await h.choose("S3");
      await h.launch("S3");
      await h.choose("S4");
      await h.launch("S4");
    },
  },
  {
    id: "SEQ-CC-04",
    family,
    title: "preventActivation: from outside a module not yet active, a choice of a SCO inside it is refused and the learner told; Next still flows into it",
    source: "SCORM 2004 4th SN 3.3 (Prevent Activation), SB.2.9-6 (the choice would activate a child of an activity that prevents it); ADL test case CM-17a",
    package: PREVENTING,
    async run(h) {
      h.queue("S1", navigates("{target=S3}choice"));
      await h.play();
      await h.launch("S1");
      expect(await toldRefused(h)).toMatch(/SB\.2\.9-6/);
      expect(h.launchCount("S3")).toBe(0);
      await h.next();
      await h.launch("S2");
    },
  },
  {
    id: "SEQ-CC-05",
    family,
    title: "preventActivation: from outside a module not yet active, the player does not offer its SCOs, and the SCO is told a choice of them is not valid",
    source: "SCORM 2004 4th SN 3.3 (Prevent Activation), SB.2.9-6; RTE 4.4.2 adl.nav.request_valid.choice; ADL test case CM-17a (activity 8: activities 4 and 6 not selectable)",
    package: PREVENTING,
    async run(h) {
      h.queue("S1", asksValid({ "choice.{target=S2}": "false", "choice.{target=S3}": "false", "choice.{target=S4}": "true" }));
      await h.play();
      const launch = await h.launch("S1", { check: false });
      expect((await h.controls()).choosable).toEqual(["S1", "S4", "S5"]);
      expect(launch.problems()).toEqual([]);
    },
  },
  {
    id: "SEQ-CC-06",
    family,
    title: "preventActivation: the module itself may be chosen from outside it, which starts it at its first SCO",
    source: "SCORM 2004 4th SN 3.3 (Prevent Activation applies to the activity's children), SB.2.9 (a cluster target flows to its first leaf); RTE 4.4.1 {target=ID}choice; ADL test case CM-17a (activity 8 chooses activity 2)",
    package: PREVENTING,
    async run(h) {
      h.queue("S1", navigates("{target=M2}choice"));
      await h.play();
      await h.launch("S1");
      await h.launch("S2");
    },
  },
  {
    id: "SEQ-CC-07",
    family,
    title: "preventActivation: once the module is active, the learner may choose another SCO in it, which is offered and delivered",
    source: "SCORM 2004 4th SN 3.3 (Prevent Activation: the module is active, so no new activation), SB.2.9 (a sibling of the current activity); ADL test case CM-17a (activity 3 chooses activity 4)",
    package: PREVENTING,
    async run(h) {
      h.queue("S2", [...asksValid({ "choice.{target=S3}": "true" }), v2004.set("adl.nav.request", "{target=S3}choice"), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      await h.next();
      const launch = await h.launch("S2", { check: false });
      expect(launch.problems()).toEqual([]);
      await h.launch("S3");
      expect((await h.controls()).choosable).toContain("S2");
    },
  },
];
