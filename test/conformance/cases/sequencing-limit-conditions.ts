// SCORM 2004 4th Edition SN 3.5, limit conditions: an activity whose attemptLimit is used up is
// not delivered again (UP.1 Limit Conditions Check, through UP.5 Check Activity), whatever asks for
// it (a choice, Previous, a retry rule), while a suspended attempt is still resumed; a pre-condition
// attemptLimitExceeded skips it; and the LMS keeps the count across sessions; after ADL's test
// suite cases CM-07c, RU-07a/b/c and RU-09.
import { expect } from "vitest";
import type { PackageSpec } from "../support/build-package.ts";
import type { ConformanceCase } from "../support/runner.ts";
import { v2004 } from "../support/script.ts";
import type { BrowserContext } from "playwright-core";
import { alertText, asksValid, CHOICE_AND_FLOW, FLOW_ONLY, navigates, reports, sequencing, storedStatuses, terminated, toldRefused } from "../support/sequencing.ts";

const family = "sequencing-limit-conditions";

/**
 * A slow network for one SCO's first terminate commit: held until the player asks for the SCO's
 * state again (the relaunch), and answered only after that state has been read, or after 3 s when
 * the player rightly waits for the commit before asking.
 */
async function holdFirstTerminateCommit(context: BrowserContext, sco: string): Promise<void> {
  let relaunched: () => void = () => {};
  const stateAskedAgain = new Promise<void>((resolve) => (relaunched = resolve));
  let statesRead = 0;
  await context.route(`**/${sco}/state`, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response });
    statesRead += 1;
    if (statesRead === 2) relaunched();
  });
  let held = false;
  await context.route(`**/${sco}/commit`, async (route) => {
    const body = route.request().postDataJSON() as { isTerminateCommit?: boolean } | null;
    if (!held && body?.isTerminateCommit) {
      held = true;
      await Promise.race([stateAskedAgain, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    }
    await route.continue();
  });
}

/** S1 may be attempted once; S2 follows; choice and flow. */
const ONE_ATTEMPT: PackageSpec = {
  version: "2004 4th",
  items: [{ id: "S1", sequencing: sequencing({ attemptLimit: 1 }) }, { id: "S2" }],
  organizationSequencing: CHOICE_AND_FLOW,
};

export const cases: ConformanceCase[] = [
  {
    id: "SEQ-LC-01",
    family,
    title: "attemptLimit 1: once its attempt has ended the SCO is not delivered again: a Previous into it is refused and the learner told, and so is a choice of it",
    source: "SCORM 2004 4th SN 3.5.1 (attemptLimit), UP.1 Limit Conditions Check, UP.5 Check Activity (SB.2.2-2 for flow, DB.1.1-3 for delivery); ADL test case CM-07c",
    package: ONE_ATTEMPT,
    async run(h) {
      h.queue("S2", navigates("previous"), navigates("{target=S1}choice"));
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S2");
      expect(await toldRefused(h)).toBeTruthy();
      await h.choose("S2");
      await h.launch("S2");
      expect(await toldRefused(h)).toBeTruthy();
      expect(h.launchCount("S1")).toBe(1);
    },
  },
  {
    id: "SEQ-LC-02",
    family,
    title: "attemptLimit 1: once its attempt has ended, the player offers neither Previous into the SCO nor its choice, and the SCO is told neither is valid",
    source: "SCORM 2004 4th SN 3.5.1 (attemptLimit), UP.1, UP.5; RTE 4.4.2 adl.nav.request_valid; ADL test case CM-07c",
    package: ONE_ATTEMPT,
    async run(h) {
      h.queue("S2", asksValid({ previous: "false", "choice.{target=S1}": "false" }));
      await h.play();
      await h.launch("S1");
      await h.next();
      const launch = await h.launch("S2", { check: false });
      const controls = await h.controls();
      expect([controls.previous.enabled, controls.choosable]).toEqual([false, ["S2"]]);
      expect(launch.problems()).toEqual([]);
    },
  },
  {
    id: "SEQ-LC-03",
    family,
    title: "attemptLimit 2 with a retry rule: a SCO failed twice is retried once, then not again; Next then moves on",
    source: "SCORM 2004 4th SN 3.5.1 (attemptLimit), 3.4 postConditionRule retry, SB.2.10, DB.1.1 (Check Activity: DB.1.1-3); ADL test cases RU-07c, RU-09",
    package: {
      version: "2004 4th",
      items: [{ id: "S1", sequencing: sequencing({ postConditionRules: [{ action: "retry", conditions: ["not satisfied"] }], attemptLimit: 2 }) }, { id: "S2" }],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      const fail = reports({ "cmi.success_status": "failed" });
      h.queue("S1", fail, fail);
      await h.play();
      await h.launch("S1");
      await h.launch("S1");
      await terminated(h, "S1", 2);
      await h.next();
      await h.launch("S2");
      expect(h.launchCount("S1")).toBe(2);
    },
  },
  {
    id: "SEQ-LC-03b",
    family,
    title: "a SCO retried while its first session's final commit is still on its way: the retry waits for it, and both sessions are stored in order, the second last",
    source: "SCORM 2004 4th SN 3.4 postConditionRule retry; RTE 3.1.4.3 (Terminate persists the data), 4.2 (the data model of a new session); README, The player window (commits in order)",
    package: {
      version: "2004 4th",
      items: [{ id: "S1", sequencing: sequencing({ postConditionRules: [{ action: "retry", conditions: ["not satisfied"] }], attemptLimit: 2 }) }, { id: "S2" }],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      await holdFirstTerminateCommit(h.context, "S1");
      h.queue("S1", reports({ "cmi.success_status": "failed" }), reports({ "cmi.success_status": "passed" }));
      await h.play();
      await h.launch("S1");
      await h.launch("S1");
      await terminated(h, "S1", 2);
      const sequences = (await h.commits("S1")).map((commit) => commit.commitSequence);
      expect(sequences).toEqual([...new Set(sequences)].sort((a, b) => a - b));
      expect((await storedStatuses(h)).S1?.success).toBe("passed");
      expect(await alertText(h)).toBeNull();
    },
  },
  {
    id: "SEQ-LC-04",
    family,
    title: "a pre-condition 'attemptLimitExceeded then skip': Previous passes over the used-up SCO to the one before it",
    source: "SCORM 2004 4th SN 3.4.2 (condition attemptLimitExceeded), 3.4 skip, SB.2.2; ADL test cases RU-07a, RU-09",
    package: {
      version: "2004 4th",
      items: [{ id: "S1" }, { id: "S2", sequencing: sequencing({ preConditionRules: [{ action: "skip", conditions: ["attemptLimitExceeded"] }], attemptLimit: 1 }) }, { id: "S3" }],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S2");
      await h.next();
      await h.launch("S3");
      await h.previous();
      await h.launch("S1");
      expect(h.launchCount("S2")).toBe(1);
    },
  },
  {
    id: "SEQ-LC-05",
    family,
    title: "the attempt count is kept between sessions: after Home and Play, a SCO whose one attempt ended still cannot be chosen",
    source: "SCORM 2004 4th SN 3.5.1, UP.1 (Activity Attempt Count), 4.2 tracking model persistence, 4.2.1 Resume All; README, The player window (the sequencer's state saved and restored)",
    package: ONE_ATTEMPT,
    async run(h) {
      h.queue("S2", [v2004.initialize()], navigates("{target=S1}choice"));
      await h.play();
      await h.launch("S1");
      await h.next();
      await h.launch("S2");
      await h.home();
      await h.play();
      await h.launch("S2");
      expect(await toldRefused(h)).toBeTruthy();
      expect(h.launchCount("S1")).toBe(1);
    },
  },
  {
    id: "SEQ-LC-06",
    family,
    title: "a suspended attempt is not a new one: a SCO with attemptLimit 1 left with Home is resumed at the next Play",
    source: "SCORM 2004 4th SN 3.5.1, UP.1 (a suspended activity is not limited), 4.2.1 Resume All; RTE 4.2.8 (entry resume)",
    package: ONE_ATTEMPT,
    async run(h) {
      h.queue("S1", [v2004.initialize(), v2004.set("cmi.location", "page-3")], [v2004.initialize(), v2004.get("cmi.entry", "resume"), v2004.get("cmi.location", "page-3"), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      await h.home();
      await h.play();
      await h.launch("S1");
    },
  },
];
