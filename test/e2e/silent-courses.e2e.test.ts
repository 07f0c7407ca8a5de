// Courses whose content says little, played to the end by a learner in real Chromium through the
// certification page, and credited: SCORM 2004 SCOs that only call Initialize and Terminate, a
// course made only of assets, and a flow-only remediation course whose rules skip what the
// pre-test shows the learner knows. Each is the only component of a certification; the competency
// is credited only when the course completes (DESIGN.md rules 1-4).
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Browser, Page } from "playwright-core";
import { importCourseVersion } from "../support/attempts.ts";
import { buildCertification, buildLearner } from "../support/factories.ts";
import { leavePlayer, logIn, scoFrame, withLmsAndBrowser, type LmsServers } from "./lms-servers.ts";
import { attemptRow, scoRows } from "./stored-state.ts";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const CP = 'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"';

/** A SCO page: Initialize on load, then `script` (JS using `api`); Terminate only as it unloads, with no exit set. */
const sco = (title: string, script = "") => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1><script>
var api = window.parent.API_1484_11;
api.Initialize("");
${script}
window.addEventListener("pagehide", function () { api.Terminate(""); });
</script></body></html>`;

function manifest(id: string, title: string, items: string, resources: string, orgSequencing = "") {
  return `<?xml version="1.0" encoding="UTF-8"?><manifest identifier="${id}" version="1" ${CP}>
<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
<organizations default="ORG"><organization identifier="ORG"><title>${title}</title>${items}${orgSequencing}</organization></organizations>
<resources>${resources}</resources></manifest>`;
}
const item = (id: string, title: string, sequencing = "") => `<item identifier="${id}" identifierref="R-${id}"><title>${title}</title>${sequencing}</item>`;
const resource = (id: string, href: string, type: "sco" | "asset") => `<resource identifier="R-${id}" type="webcontent" adlcp:scormType="${type}" href="${href}"><file href="${href}"/></resource>`;

const TOPICS = ["Topic one", "Topic two", "Topic three"];
const SILENT = "297 Silent Topics";
const SILENT_FILES = {
  "imsmanifest.xml": manifest("silent", SILENT, TOPICS.map((title, n) => item(`topic-${n + 1}`, title)).join(""), TOPICS.map((_, n) => resource(`topic-${n + 1}`, `topic-${n + 1}.html`, "sco")).join("")),
  ...Object.fromEntries(TOPICS.map((title, n) => [`topic-${n + 1}.html`, sco(title)])),
};

const LEAFLETS = ["Leaflet A", "Leaflet B"];
const ASSETS = "297 Asset Leaflets";
const ASSET_FILES = {
  "imsmanifest.xml": manifest("assets", ASSETS, LEAFLETS.map((title, n) => item(`leaflet-${n + 1}`, title)).join(""), LEAFLETS.map((_, n) => resource(`leaflet-${n + 1}`, `leaflet-${n + 1}.html`, "asset")).join("")),
  ...Object.fromEntries(LEAFLETS.map((title, n) => [`leaflet-${n + 1}.html`, `<!doctype html><html lang="en"><title>${title}</title><h1>${title}</h1></html>`])),
};

// Flow only. The pre-test records what the learner knows in two objectives shared as global
// objectives; each module is skipped when its objective is already satisfied (a pre-condition
// rule reading the global one); only the post-test counts toward the course's roll-up.
const REMEDIATION = "297 Remediation";
const EXCLUDED = `<imsss:rollupRules rollupObjectiveSatisfied="false" rollupProgressCompletion="false"/>`;
const module = (n: number) =>
  item(
    `module-${n}`,
    `Module ${n}`,
    `<imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition condition="satisfied"/></imsss:ruleConditions><imsss:ruleAction action="skip"/></imsss:preConditionRule></imsss:sequencingRules>${EXCLUDED}<imsss:objectives><imsss:primaryObjective objectiveID="module-${n}-objective"><imsss:mapInfo targetObjectiveID="knows-topic-${n}" readSatisfiedStatus="true" writeSatisfiedStatus="false"/></imsss:primaryObjective></imsss:objectives></imsss:sequencing>`,
  );
const PRE_TEST = item(
  "pre-test",
  "Pre-test",
  `<imsss:sequencing>${EXCLUDED}<imsss:objectives><imsss:primaryObjective objectiveID="pre-test-result"/>${[1, 2]
    .map((n) => `<imsss:objective objectiveID="topic-${n}"><imsss:mapInfo targetObjectiveID="knows-topic-${n}" readSatisfiedStatus="false" writeSatisfiedStatus="true"/></imsss:objective>`)
    .join("")}</imsss:objectives></imsss:sequencing>`,
);
// The learner knows topic 1, not topic 2: real content finds each objective by its id.
const PRE_TEST_SCRIPT = `
var known = { "topic-1": "passed", "topic-2": "failed" };
for (var n = 0; n < Number(api.GetValue("cmi.objectives._count")); n++) {
  var id = api.GetValue("cmi.objectives." + n + ".id");
  if (known[id]) api.SetValue("cmi.objectives." + n + ".success_status", known[id]);
}
api.SetValue("cmi.completion_status", "completed");`;
const REMEDIATION_FILES = {
  "imsmanifest.xml": manifest(
    "remediation",
    REMEDIATION,
    PRE_TEST + module(1) + module(2) + item("post-test", "Post-test"),
    ["pre-test", "module-1", "module-2", "post-test"].map((id) => resource(id, `${id}.html`, "sco")).join(""),
    `<imsss:sequencing><imsss:controlMode choice="false" flow="true"/></imsss:sequencing>`,
  ),
  "pre-test.html": sco("Pre-test", PRE_TEST_SCRIPT),
  "module-1.html": sco("Module 1"),
  "module-2.html": sco("Module 2"),
  "post-test.html": sco("Post-test", `api.SetValue("cmi.score.scaled", "0.9"); api.SetValue("cmi.success_status", "passed"); api.SetValue("cmi.completion_status", "completed");`),
};

let servers: LmsServers;
let browser: Browser;
const certifications = new Map<string, { certificationId: number; competencyId: number }>();

withLmsAndBrowser([], (started) => ({ servers, browser } = started));
beforeAll(async () => {
  for (const [course, files] of [[SILENT, SILENT_FILES], [ASSETS, ASSET_FILES], [REMEDIATION, REMEDIATION_FILES]] as const) {
    await importCourseVersion(servers, files, course);
    const built = await buildCertification(servers.db, { name: `${course} - 3 Years`, competency: `NHS|TEST|${course}|`, components: [{ courseCode: course }] });
    certifications.set(course, built);
  }
});

/** A new learner subscribes to the course's certification, enrols, and presses Play: the player window. */
async function subscribeEnrolAndPlay(course: string): Promise<{ page: Page; player: Page; personId: number }> {
  const learner = await buildLearner(servers.db, servers.clock);
  const page = await (await browser.newContext()).newPage();
  await logIn(page, servers, learner);
  await page.goto(`${servers.lmsUrl}/learning/certifications/${certifications.get(course)!.certificationId}`);
  await page.getByRole("link", { name: "Subscribe", exact: true }).click();
  await page.getByRole("button", { name: "Finish" }).click();
  await page.getByRole("link", { name: `Choose or Enrol in class: ${course}` }).click();
  await page.getByRole("button", { name: "Apply" }).click();
  const [player] = await Promise.all([page.waitForEvent("popup"), page.getByRole("button", { name: `Play ${course}` }).click()]);
  await player.waitForLoadState();
  return { page, player, personId: learner.personId };
}

/** Presses one of the player's own controls once it is enabled. */
async function press(player: Page, name: string | RegExp): Promise<void> {
  const button = player.getByRole("button", { name, exact: typeof name === "string" });
  await expect.poll(() => button.isEnabled(), { timeout: 30_000 }).toBe(true);
  await button.click();
}

/** After the window closed and the certification page reloaded: the subscription and the competence record. */
async function expectCredited(page: Page, course: string, personId: number): Promise<void> {
  expect(await page.locator(".app-subscription-status").getAttribute("data-status")).toBe("Completed");
  const record = await servers.db("competence_records").where({ person_id: personId, competency_id: certifications.get(course)!.competencyId }).first();
  expect(record).toMatchObject({ status: "approved" });
}

async function latestAttempt(personId: number): Promise<number> {
  return Number((await servers.db("attempts").where({ person_id: personId }).orderBy("id", "desc").first("id")).id);
}

describe("silent content, played to the end and credited", () => {
  it("completes a SCORM 2004 course of SCOs that only call Initialize and Terminate, chosen from the contents", async () => {
    const { page, player, personId } = await subscribeEnrolAndPlay(SILENT);
    await scoFrame(player, servers, "topic-1.html");
    await press(player, "Topic two");
    await scoFrame(player, servers, "topic-2.html");
    await press(player, "Topic three");
    await scoFrame(player, servers, "topic-3.html");
    // The contents tick the topics the LMS completed as they ended, though they said nothing.
    await expect.poll(() => player.locator("[data-tick]:not([hidden])").count()).toBe(2);
    // Each topic ended its own attempt as it unloaded (exit ""): the End Attempt defaults completed
    // and satisfied it, and Home then exits the completed course instead of suspending it.
    await leavePlayer(page, player, () => press(player, "Home"));
    const attemptId = await latestAttempt(personId);
    expect((await scoRows(servers.db, attemptId)).map((row) => row.completionStatus)).toEqual(["completed", "completed", "completed"]);
    // Satisfied only by the LMS's defaults: Completed, which credits this completion component.
    expect((await attemptRow(servers.db, attemptId)).performance_status).toBe("Completed");
    await expectCredited(page, SILENT, personId);
  });

  it("completes a course made only of assets once each has been delivered", async () => {
    const { page, player, personId } = await subscribeEnrolAndPlay(ASSETS);
    await scoFrame(player, servers, "leaflet-1.html");
    await press(player, "Leaflet B");
    await scoFrame(player, servers, "leaflet-2.html");
    await expect.poll(() => player.locator("[data-tick]:not([hidden])").count()).toBe(2);
    await leavePlayer(page, player, () => press(player, "Home"));
    expect((await attemptRow(servers.db, await latestAttempt(personId))).performance_status).toBe("Completed");
    await expectCredited(page, ASSETS, personId);
  });

  it("plays a flow-only remediation course: the module the pre-test shows is known is skipped, and the post-test completes it", async () => {
    const { page, player, personId } = await subscribeEnrolAndPlay(REMEDIATION);
    await scoFrame(player, servers, "pre-test.html");
    // Flow only: Next and Previous, no choosing from the contents.
    expect(await player.locator("[data-sco-id]:enabled").count()).toBe(0);
    await press(player, "Next");
    // Module 1's objective was met in the pre-test: skipped.
    await scoFrame(player, servers, "module-2.html");
    await press(player, "Next");
    await scoFrame(player, servers, "post-test.html");
    // Continue past the last activity ends the sequencing session: the window closes.
    await leavePlayer(page, player, () => press(player, "Next"));
    const attemptId = await latestAttempt(personId);
    expect((await scoRows(servers.db, attemptId)).map((row) => row.scoId)).toEqual(["pre-test", "module-2", "post-test"]);
    expect((await attemptRow(servers.db, attemptId)).performance_status).toBe("Passed");
    await expectCredited(page, REMEDIATION, personId);
  });
});
