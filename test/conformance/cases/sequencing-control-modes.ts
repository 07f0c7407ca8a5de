// SCORM 2004 4th Edition SN 3.2, the sequencing control modes (choice, choiceExit, flow,
// forwardOnly), after ADL's test suite cases CM-01, CM-03a, CM-04d, CM-07a, CM-07d and CM-09aa:
// which SCO each request delivers, what the player offers for it (Previous / Next enabled, the
// contents' choices) and what the SCO is told is valid (RTE 4.4.2 adl.nav.request_valid), and
// that a request the modes forbid delivers nothing.
import { expect } from "vitest";
import type { ConformanceCase } from "../support/runner.ts";
import { v2004 } from "../support/script.ts";
import { asksValid, CHOICE_AND_FLOW, FLOW_ONLY, navigates, performanceStatus, sequencing, toldRefused } from "../support/sequencing.ts";

const family = "sequencing-control-modes";
const FLOW_CLUSTER = sequencing({ controlMode: { flow: true } });

export const cases: ConformanceCase[] = [
  {
    id: "SEQ-CM-01",
    family,
    title: "flow only: Start delivers the first SCO, Next and Previous move through the course in order, the contents offer no choice, and Next past the last SCO ends the course",
    source: "SCORM 2004 4th SN 3.2.1 (choice false, flow true), SB.2.7 Continue, SB.2.8 Previous, SB.2.1 (the end of the tree ends the session); ADL test case CM-01",
    package: { version: "2004 4th", items: [{ id: "S1" }, { id: "S2" }, { id: "S3" }], organizationSequencing: FLOW_ONLY },
    async run(h) {
      h.queue("S1", [...asksValid({ continue: "true", previous: "false", "choice.{target=S3}": "false" }), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      expect(await h.controls()).toEqual({ previous: { shown: true, enabled: false }, next: { shown: true, enabled: true }, contents: ["S1", "S2", "S3"], choosable: [] });
      await h.next();
      await h.launch("S2");
      expect((await h.controls()).previous.enabled).toBe(true);
      await h.previous();
      await h.launch("S1");
      await h.next();
      await h.launch("S2");
      await h.next();
      await h.launch("S3");
      await h.next();
      await h.closed();
      expect([h.launchCount("S1"), h.launchCount("S2"), h.launchCount("S3")]).toEqual([2, 2, 1]);
      // Silent SCOs: completed, and satisfied only by the LMS's defaults, which assess nothing.
      await performanceStatus(h, "Completed");
    },
  },
  {
    id: "SEQ-CM-02",
    family,
    title: "choice only (flow off, the SN defaults): Next and Previous are never enabled, every SCO can be chosen, and a SCO's own continue delivers nothing and the learner is told",
    source: "SCORM 2004 4th SN 3.2 Table 3.2a (choice true, flow false by default), SB.2.7 (continue needs the parent's flow); RTE 4.4.2; ADL test case CM-04d",
    package: { version: "2004 4th", items: [{ id: "S1" }, { id: "S2" }, { id: "S3" }] },
    async run(h) {
      h.queue("S1", [...asksValid({ continue: "false", previous: "false", "choice.{target=S3}": "true" }), v2004.set("adl.nav.request", "continue"), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      expect(await toldRefused(h)).toMatch(/Next/);
      const controls = await h.controls();
      expect([controls.previous.enabled, controls.next.enabled]).toEqual([false, false]);
      expect(controls.choosable).toEqual(["S1", "S2", "S3"]);
      await h.choose("S3");
      await h.launch("S3");
      await h.choose("S2");
      await h.launch("S2");
      expect(h.launchCount("S1")).toBe(1);
    },
  },
  {
    id: "SEQ-CM-03",
    family,
    title: "forwardOnly: Previous is never offered, a SCO's own previous delivers nothing and the learner is told, and Next moves on",
    source: "SCORM 2004 4th SN 3.2.1 forwardOnly, SB.2.1 (no backward traversal under forwardOnly), SB.2.8; ADL test case CM-03a",
    package: {
      version: "2004 4th",
      items: [{ id: "S1" }, { id: "S2" }, { id: "S3" }],
      organizationSequencing: sequencing({ controlMode: { choice: false, flow: true, forwardOnly: true } }),
    },
    async run(h) {
      h.queue("S2", [...asksValid({ previous: "false", continue: "true" }), v2004.set("adl.nav.request", "previous"), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      expect((await h.controls()).previous.enabled).toBe(false);
      await h.next();
      await h.launch("S2");
      expect(await toldRefused(h)).toMatch(/go back/);
      expect(await h.controls()).toMatchObject({ previous: { shown: true, enabled: false }, next: { shown: true, enabled: true } });
      await h.next();
      await h.launch("S3");
      expect(h.launchCount("S1")).toBe(1);
    },
  },
  {
    id: "SEQ-CM-04",
    family,
    title: "choiceExit false: while its module is active the learner may choose inside it but not outside it; Next still flows out, and then the rest is open",
    source: "SCORM 2004 4th SN 3.2.1 choiceExit, SB.2.9 (choiceExit of an active ancestor); ADL test case CM-07a",
    package: {
      version: "2004 4th",
      items: [{ id: "M1", sequencing: sequencing({ controlMode: { flow: true, choiceExit: false } }), children: [{ id: "S1" }, { id: "S2" }] }, { id: "S3" }],
      organizationSequencing: CHOICE_AND_FLOW,
    },
    async run(h) {
      h.queue("S1", [...asksValid({ "choice.{target=S2}": "true", "choice.{target=S3}": "false" }), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      expect((await h.controls()).choosable).toEqual(["S1", "S2"]);
      await h.choose("S2");
      await h.launch("S2");
      expect((await h.controls()).choosable).not.toContain("S3");
      await h.next();
      await h.launch("S3");
      expect((await h.controls()).choosable).toEqual(["S1", "S2", "S3"]);
      await h.choose("S1");
      await h.launch("S1");
    },
  },
  {
    id: "SEQ-CM-05",
    family,
    title: "choice off in one module: its SCOs cannot be chosen, the others can, and Next flows into and out of it",
    source: "SCORM 2004 4th SN 3.2.1 (choice applies to the activity's children), SB.2.9 (the parent's choice control); ADL test case CM-07d (activity 7)",
    package: {
      version: "2004 4th",
      items: [{ id: "S1" }, { id: "M2", sequencing: sequencing({ controlMode: { choice: false, flow: true } }), children: [{ id: "S2" }, { id: "S3" }] }, { id: "S4" }],
      organizationSequencing: CHOICE_AND_FLOW,
    },
    async run(h) {
      h.queue("S1", [...asksValid({ "choice.{target=S2}": "false", "choice.{target=S4}": "true" }), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      expect((await h.controls()).choosable).toEqual(["S1", "S4"]);
      await h.next();
      await h.launch("S2");
      expect((await h.controls()).choosable).toEqual(["S1", "S4"]);
      await h.next();
      await h.launch("S3");
      await h.next();
      await h.launch("S4");
      await h.choose("S1");
      await h.launch("S1");
    },
  },
  {
    id: "SEQ-CM-06",
    family,
    title: "flow across modules: Next goes from a module's last SCO to the next module's first, Previous back again, and SCOs navigate the same way themselves",
    source: "SCORM 2004 4th SN SB.2.1 Flow Tree Traversal, SB.2.2 Flow Activity Traversal (flow of each cluster); RTE 4.4.1 adl.nav.request; ADL test case CM-09aa",
    package: {
      version: "2004 4th",
      items: [
        { id: "M1", sequencing: FLOW_CLUSTER, children: [{ id: "S1" }, { id: "S2" }] },
        { id: "M2", sequencing: FLOW_CLUSTER, children: [{ id: "S3" }] },
      ],
      organizationSequencing: FLOW_ONLY,
    },
    async run(h) {
      h.queue("S1", navigates("continue"));
      h.queue("S3", navigates("previous"), [v2004.initialize(), v2004.terminate()]);
      await h.play();
      await h.launch("S1");
      await h.launch("S2");
      await h.next();
      await h.launch("S3");
      await h.launch("S2", { number: 2 });
      await h.next();
      await h.launch("S3");
    },
  },
  {
    id: "SEQ-CM-07",
    family,
    title: "choice: choosing from the contents the SCO already on screen leaves it running as it was, with nothing refused",
    source: "SCORM 2004 4th SN 4.2 (a choice of the current activity would end its attempt to start another); the player's contents",
    package: { version: "2004 4th", items: [{ id: "S1" }, { id: "S2" }] },
    async run(h) {
      h.queue("S1", [v2004.initialize(), v2004.set("cmi.location", "page-4"), v2004.commit()]);
      await h.play();
      await h.launch("S1");
      await h.choose("S1");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const shows = (await h.playerShows()) as { frames: string[]; alert: string | null };
      expect(shows.alert ?? "").toBe("");
      expect(shows.frames.some((url) => url.endsWith("/S1")), `S1 is still on screen: ${shows.frames.join(", ")}`).toBe(true);
      expect((await h.commits("S1")).filter((commit) => commit.isTerminateCommit)).toEqual([]);
      await h.choose("S2");
      await h.launch("S2");
      expect(h.launchCount("S1")).toBe(1);
    },
  },
];
