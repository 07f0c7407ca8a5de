// player/choice-sequencing.ts, the SN's choice processes (NB.2.1, SB.2.9 with SB.2.4, SB.2.9.1-2,
// DB.1.1), on the tree of scorm-again 3.4.3's real sequencer, driven in Node to the point each row
// names; and player/navigation-validity.ts, what the player offers from them and from scorm-again's
// preview. Packages are the conformance cases' own, and a few more after ADL's test cases.
import { describe, expect, it } from "vitest";
import { choiceRefusal } from "../../player/choice-sequencing.ts";
import { mayChangeNavigation, navigationValidity } from "../../player/navigation-validity.ts";
import type { PackageSpec } from "../conformance/support/build-package.ts";
import { cases as constrainedChoice } from "../conformance/cases/sequencing-constrained-choice.ts";
import { cases as controlModes } from "../conformance/cases/sequencing-control-modes.ts";
import { cases as limitConditions } from "../conformance/cases/sequencing-limit-conditions.ts";
import { cases as rules } from "../conformance/cases/sequencing-rules.ts";
import { sequencing } from "../conformance/support/sequencing.ts";
import { packageOf, sequencerFor } from "./sequencer-fixture.ts";

const CONSTRAINED_ORGANIZATION = packageOf(constrainedChoice, "SEQ-CC-01");
const CONSTRAINED_MODULE = packageOf(constrainedChoice, "SEQ-CC-02");
const PREVENTING_MODULE = packageOf(constrainedChoice, "SEQ-CC-05");
const STOPPING_S2 = packageOf(rules, "SEQ-SR-05");
const DISABLED_S2 = packageOf(rules, "SEQ-SR-03");
const HIDDEN_S2 = packageOf(rules, "SEQ-SR-04");
const S1_ONCE = packageOf(limitConditions, "SEQ-LC-02");
const NO_EXIT_MODULE = packageOf(controlModes, "SEQ-CM-04");
const NO_CHOICE_MODULE = packageOf(controlModes, "SEQ-CM-05");
const FORWARD_ONLY_WITH_CHOICE: PackageSpec = {
  version: "2004 4th",
  items: [{ id: "S1" }, { id: "S2" }, { id: "S3" }],
  organizationSequencing: sequencing({ controlMode: { choice: true, flow: true, forwardOnly: true } }),
};
// ADL CM-07d: constrainChoice on a module that is the first child of its parent: backward from it
// is the activity before the parent (SB.2.9.2 goes up), forward is the next sibling.
const CONSTRAINED_FIRST_CHILD: PackageSpec = {
  version: "2004 4th",
  items: [
    { id: "S0" },
    {
      id: "M1",
      sequencing: sequencing({ controlMode: { choice: true, flow: true } }),
      children: [{ id: "M2", sequencing: sequencing({ controlMode: { flow: true }, constrainedChoice: { constrainChoice: true } }), children: [{ id: "S1" }, { id: "S2" }] }, { id: "S3" }, { id: "S4" }],
    },
  ],
  organizationSequencing: sequencing({ controlMode: { choice: true, flow: true } }),
};

describe("a choice, as the SN decides it", () => {
  it.each([
    // constrainChoice (SN 3.3, SB.2.9 case 5, SB.2.9-8)
    ["on the organization, past the next SCO", CONSTRAINED_ORGANIZATION, ["choice S1"], "S3", null],
    ["inside the constrained module, its other SCO", CONSTRAINED_MODULE, ["start", "continue"], "S3", null],
    ["from inside the constrained module, the activity just after it", CONSTRAINED_MODULE, ["start", "continue"], "S4", null],
    ["from inside the constrained module, the activity just before it", CONSTRAINED_MODULE, ["start", "continue"], "S1", null],
    ["from inside the constrained module, beyond the activity just after it", CONSTRAINED_MODULE, ["start", "continue"], "S5", "SB.2.9-8"],
    ["from outside the constrained module, into it", CONSTRAINED_MODULE, ["start"], "S3", null],
    ["from inside a constrained first child, the activity before its parent", CONSTRAINED_FIRST_CHILD, ["start", "continue"], "S0", null],
    ["from inside a constrained first child, its next sibling", CONSTRAINED_FIRST_CHILD, ["start", "continue"], "S3", null],
    ["from inside a constrained first child, beyond its next sibling", CONSTRAINED_FIRST_CHILD, ["start", "continue"], "S4", "SB.2.9-8"],
    // preventActivation (SN 3.3, SB.2.9-6)
    ["into a module not yet active", PREVENTING_MODULE, ["start"], "S3", "SB.2.9-6"],
    ["into a module not yet active, before the session begins", PREVENTING_MODULE, [], "S2", "SB.2.9-6"],
    ["the module not yet active itself", PREVENTING_MODULE, ["start"], "M2", null],
    ["inside the active module", PREVENTING_MODULE, ["start", "continue"], "S3", null],
    // stopForwardTraversal (SB.2.4-1)
    ["past the SCO whose rule stops forward traversal", STOPPING_S2, ["start"], "S3", "SB.2.4-1"],
    ["the SCO whose rule stops forward traversal", STOPPING_S2, ["start"], "S2", null],
    ["back past it", STOPPING_S2, ["start", "continue", "continue"], "S1", null],
    // forwardOnly (SB.2.4-2), choice control (NB.2.1-10, SN 3.2.1), choiceExit (NB.2.1-11)
    ["back, where the parent is forwardOnly", FORWARD_ONLY_WITH_CHOICE, ["start", "continue"], "S1", "SB.2.4-2"],
    ["on, where the parent is forwardOnly", FORWARD_ONLY_WITH_CHOICE, ["start"], "S3", null],
    ["a SCO of a module that does not allow choice", NO_CHOICE_MODULE, ["start"], "S2", "NB.2.1-10"],
    ["out of an active module with choiceExit false", NO_EXIT_MODULE, ["start"], "S3", "NB.2.1-11"],
    ["inside an active module with choiceExit false", NO_EXIT_MODULE, ["start"], "S2", null],
    // pre-condition rules and limit conditions (SB.2.9-3, DB.1.1-3)
    ["a SCO hidden from choice", HIDDEN_S2, ["start"], "S2", "SB.2.9-3"],
    ["a disabled SCO", DISABLED_S2, ["start"], "S2", "DB.1.1-3"],
    ["a SCO whose attempts are used up", S1_ONCE, ["start", "continue"], "S1", "DB.1.1-3"],
    ["the SCO running now", S1_ONCE, ["start"], "S1", null],
  ])("%s", (_title, spec, before, target, refusal) => {
    const sequencer = sequencerFor(spec, { corrected: true });
    sequencer.request(...before);
    expect(choiceRefusal(sequencer.context(), sequencer.activity(target))).toBe(refusal);
  });
});

describe("what the player offers", () => {
  it("offers no Next into a disabled SCO, where scorm-again's look-ahead does (ADL CM-07a)", () => {
    const sequencer = sequencerFor(DISABLED_S2, { corrected: true });
    sequencer.request("start");
    sequencer.api.Initialize("");
    expect(sequencer.lookAhead().continue).toBe(true);
    expect(navigationValidity(sequencer.api, sequencer.constrained, sequencer.lookAhead())).toMatchObject({ continue: false, previous: false, choice: { S1: true, S2: false, S3: true } });
  });

  it("offers neither Previous nor a choice into a SCO whose attempts are used up, where scorm-again's look-ahead does (ADL CM-07c)", () => {
    const sequencer = sequencerFor(S1_ONCE, { corrected: true });
    sequencer.request("start", "continue");
    sequencer.api.Initialize("");
    expect(sequencer.lookAhead()).toMatchObject({ previous: true, choice: { S1: true } });
    expect(navigationValidity(sequencer.api, sequencer.constrained, sequencer.lookAhead())).toMatchObject({ continue: true, previous: false, choice: { S1: false, S2: true } });
  });

  it("offers the choices SB.2.9 allows, not those of scorm-again's look-ahead", () => {
    const sequencer = sequencerFor(CONSTRAINED_MODULE, { corrected: true });
    sequencer.request("start", "continue");
    expect(sequencer.lookAhead().choice).toMatchObject({ S5: true });
    expect(navigationValidity(sequencer.api, sequencer.constrained, sequencer.lookAhead()).choice).toMatchObject({ S1: true, S2: true, S3: true, S4: true, S5: false });
  });

  it("takes scorm-again's look-ahead for Next and Previous when no SCO is running (there is no preview then)", () => {
    const sequencer = sequencerFor(DISABLED_S2, { corrected: true });
    sequencer.request("start");
    expect(navigationValidity(sequencer.api, sequencer.constrained, { continue: true, previous: true })).toMatchObject({ continue: true, previous: true });
  });
});

describe("which of the SCO's calls make the player work out again what it offers", () => {
  const set = (element: string) => ({ method: "SetValue", args: [element, "x"] });
  it.each([
    ["a quiz's answer", [set("cmi.interactions.3.id"), set("cmi.interactions.3.learner_response")], false],
    ["suspend data, bookmark, session time, a comment, a preference", [set("cmi.suspend_data"), set("cmi.location"), set("cmi.session_time"), set("cmi.comments_from_learner.0.comment"), set("cmi.learner_preference.audio_level")], false],
    ["a Commit", [{ method: "Commit", args: [""] }], false],
    ["the SCO's statuses", [set("cmi.interactions.0.id"), set("cmi.success_status")], true],
    ["its score", [set("cmi.score.scaled")], true],
    ["its objectives, read by global objective maps", [set("cmi.objectives.0.success_status")], true],
    ["its exit, which End Attempt reads", [set("cmi.exit")], true],
    ["an element whose name merely starts like an unread one", [set("cmi.locationx")], true],
    ["Terminate", [{ method: "Terminate", args: [""] }], true],
  ] as const)("%s", (_title, calls, changes) => {
    expect(mayChangeNavigation(calls.map((call) => ({ method: call.method, args: [...call.args] })))).toBe(changes);
  });
});
