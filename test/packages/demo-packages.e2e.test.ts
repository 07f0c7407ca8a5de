// The demo trust's course packages (packages/<slug>/), played in real Chromium against
// scorm-again's real SCORM API, clicking through them as a learner would, then checking what
// the content told the LMS.
import { readFile, readdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from "playwright-core";
import {
  PACKAGES_DIR,
  child,
  launchSco,
  nodes,
  packagedFiles,
  readCourseManifest,
  startCourseServer,
  text,
  type CmiJson,
  type CourseServer,
  type LaunchedSco,
  type ScormVersion,
} from "./course-harness.ts";

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

type Course = { slug: string; code: string; version: ScormVersion; kind: "module" | "eAssessment" | "multi-SCO" };

// One row per folder of packages/ (a test below fails if a folder has no row). Modules and
// eAssessments are tested from this table alone: a new one needs only its row.
const COURSES: Course[] = [
  { slug: "safeguarding-adults-l1", code: "000 Safeguarding Adults - Level 1", version: "1.2", kind: "module" },
  { slug: "safeguarding-adults-eassessment-l1", code: "000 Safeguarding Adults eAssessment - Level 1", version: "2004", kind: "eAssessment" },
  { slug: "conflict-resolution-part-1", code: "297 NHS Conflict Resolution - Part 1", version: "1.2", kind: "module" },
  { slug: "conflict-resolution-part-2", code: "297 NHS Conflict Resolution - Part 2", version: "2004", kind: "module" },
  { slug: "conflict-resolution-eassessment", code: "297 NHS Conflict Resolution - eAssessment", version: "2004", kind: "eAssessment" },
  { slug: "fire-safety-part-1", code: "297 Fire Safety - Part 1", version: "2004", kind: "multi-SCO" },
  { slug: "fire-safety-eassessment", code: "297 Fire Safety - eAssessment", version: "2004", kind: "eAssessment" },
  { slug: "equality-diversity-human-rights-part-1", code: "297 Equality, Diversity and Human Rights - Part 1", version: "1.2", kind: "module" },
  { slug: "equality-diversity-human-rights-eassessment", code: "297 Equality, Diversity and Human Rights - eAssessment", version: "2004", kind: "eAssessment" },
  { slug: "health-safety-welfare-part-1", code: "297 Health, Safety and Welfare - Part 1", version: "2004", kind: "module" },
  { slug: "health-safety-welfare-eassessment", code: "297 Health, Safety and Welfare - eAssessment", version: "2004", kind: "eAssessment" },
  { slug: "infection-prevention-control-l1-part-1", code: "297 Infection Prevention and Control - Level 1 - Part 1", version: "1.2", kind: "module" },
  { slug: "infection-prevention-control-l1-eassessment", code: "297 Infection Prevention and Control - Level 1 - eAssessment", version: "2004", kind: "eAssessment" },
  { slug: "information-governance-part-1", code: "297 Information Governance - Part 1", version: "2004", kind: "module" },
  { slug: "information-governance-eassessment", code: "297 Information Governance - eAssessment", version: "2004", kind: "eAssessment" },
  { slug: "moving-handling-l1-part-1", code: "297 Moving and Handling - Level 1 - Part 1", version: "1.2", kind: "module" },
  { slug: "moving-handling-l1-eassessment", code: "297 Moving and Handling - Level 1 - eAssessment", version: "2004", kind: "eAssessment" },
  { slug: "preventing-radicalisation-l1-l2-part-1", code: "297 Preventing Radicalisation - Levels 1 & 2 - Part 1", version: "2004", kind: "module" },
  { slug: "preventing-radicalisation-l1-l2-eassessment", code: "297 Preventing Radicalisation - Levels 1 & 2 - eAssessment", version: "2004", kind: "eAssessment" },
  { slug: "safeguarding-adults-l2-part-1", code: "297 Safeguarding Adults - Level 2 - Part 1", version: "1.2", kind: "module" },
  { slug: "safeguarding-adults-l2-eassessment", code: "297 Safeguarding Adults - Level 2 - eAssessment", version: "2004", kind: "eAssessment" },
  { slug: "safeguarding-children-l1-part-1", code: "297 Safeguarding Children - Level 1 - Part 1", version: "2004", kind: "module" },
  { slug: "safeguarding-children-l1-eassessment", code: "297 Safeguarding Children - Level 1 - eAssessment", version: "2004", kind: "eAssessment" },
];
const course = (slug: string): Course => COURSES.find((c) => c.slug === slug) ?? COURSES[0]!;
const MODULES = COURSES.filter((c) => c.kind === "module");
const ASSESSMENTS = COURSES.filter((c) => c.kind === "eAssessment");

const DEMO_CATALOG = new URL("../../server/demo/demo-trust.catalog.json", import.meta.url);

/** The same learner-visible behaviour, spelled in each edition's data model. */
const CMI = {
  "1.2": { status: "core.lesson_status", exit: "core.exit", location: "core.lesson_location", commit: "LMSCommit", finish: "LMSFinish", exitWhenCompleted: "" },
  "2004": { status: "completion_status", exit: "exit", location: "location", commit: "Commit", finish: "Terminate", exitWhenCompleted: "normal" },
} as const;

const SCORM_12_TIMESPAN = /^\d{4}:\d{2}:\d{2}\.\d{2}$/; // HHHH:MM:SS.SS
const SCORM_2004_DURATION = /^PT\d+H\d+M\d+(\.\d{1,2})?S$/;
const SCORM_2004_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

let server: CourseServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[] = [];

beforeAll(async () => {
  server = await startCourseServer();
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  // One page for the file: every launch reloads the harness, which makes a fresh API.
  context = await browser.newContext();
  page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  // The content's API wrapper warns "SCORM <call> failed" whenever the API refuses a call.
  page.on("console", (message) => {
    if (message.text().startsWith("SCORM ")) problems.push(message.text());
  });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

beforeEach(() => {
  problems = [];
});

afterEach(() => {
  expect(problems).toEqual([]);
});

// ---- a learner's actions --------------------------------------------------------------------

function launch(slug: string, options: { href?: string; cmi?: CmiJson } = {}): Promise<LaunchedSco> {
  const { version } = course(slug);
  return launchSco(page, server.baseUrl, { slug, version, href: options.href ?? "index.html", cmi: options.cmi });
}

async function viewSection(content: Frame, title: string): Promise<void> {
  if (!(await content.locator("[data-menu]").isVisible())) {
    await content.getByRole("button", { name: "Back to sections" }).click();
  }
  await content.getByRole("button", { name: title, exact: true }).click();
  await content.getByRole("heading", { level: 2, name: title, exact: true }).waitFor();
}

async function backToSections(content: Frame): Promise<void> {
  await content.getByRole("button", { name: "Back to sections" }).click();
  await content.getByRole("heading", { name: "Sections" }).waitFor();
}

/** The titles of the sections that show a green "Viewed" tick in the menu. */
async function tickedSections(content: Frame): Promise<string[]> {
  return content
    .locator(".section-list__item")
    .filter({ has: content.locator("[data-tick]:not([hidden])") })
    .locator("[data-open]")
    .allTextContents();
}


type Section = { id: string; title: string };

/** A module's sections as its page authors them: <section data-section="id"> headed by an <h2>. */
async function sectionsOf(content: Frame): Promise<Section[]> {
  return content
    .locator("[data-section]")
    .evaluateAll((elements) =>
      elements.map((element) => ({ id: element.getAttribute("data-section") ?? "", title: element.querySelector("h2")?.textContent?.trim() ?? "" })),
    );
}

type Question = { id: string; text: string; options: Array<{ id: string; text: string }>; answer: string };

async function questionsOf(content: Frame): Promise<Question[]> {
  return content.evaluate(() => (window as unknown as { ASSESSMENT_QUESTIONS: Question[] }).ASSESSMENT_QUESTIONS);
}

const rightAnswer = (q: Question) => q.answer;
const wrongAnswer = (q: Question) => q.options.find((o) => o.id !== q.answer)?.id ?? q.answer;

/** Answers every question through its labelled radio button, then submits. */
async function answerAndSubmit(content: Frame, questions: Question[], pick: (q: Question, index: number) => string): Promise<void> {
  for (const [index, question] of questions.entries()) {
    const chosen = question.options.find((o) => o.id === pick(question, index));
    const group = content.getByRole("group", { name: new RegExp(`^Question ${index + 1} of ${questions.length}`) });
    await group.getByLabel(chosen?.text ?? "", { exact: true }).check();
  }
  await content.getByRole("button", { name: "Submit answers" }).click();
  await content.locator("[data-result]:not([hidden])").waitFor();
}

/**
 * What the LMS's Home does to the content (the courses have no Home of their own): it unloads the
 * frame, and the content saves and finishes on pagehide, exactly once, with no navigation request.
 */
async function unloadContent(sco: LaunchedSco, finishMethod: string): Promise<void> {
  await page.evaluate(() => {
    const frame = document.querySelector("iframe");
    if (frame) frame.src = "about:blank";
  });
  await page.waitForFunction(() => document.querySelector("iframe")?.contentWindow?.location.href === "about:blank");
  expect(await sco.callCount(finishMethod)).toBe(1);
}

// ---- the packages as files ----------------------------------------------------------------------

describe("the course manifests", () => {
  it("has a row in COURSES for every course folder of packages/", async () => {
    const folders = (await readdir(PACKAGES_DIR, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_") && existsSync(path.join(PACKAGES_DIR, entry.name, "imsmanifest.xml")))
      .map((entry) => entry.name);
    expect(COURSES.map((c) => c.slug).sort()).toEqual(folders.sort());
  });

  it("has a package for every course the demo catalog's certifications name", async () => {
    type Catalog = { certifications: Array<{ components: Array<{ course: string; satisfiedBy?: string }> }> };
    const catalog = JSON.parse(await readFile(DEMO_CATALOG, "utf8")) as Catalog;
    const named = catalog.certifications.flatMap((cert) => cert.components.flatMap((c) => (c.satisfiedBy ? [c.course, c.satisfiedBy] : [c.course])));
    const packaged = new Set(COURSES.map((c) => c.code));
    expect(named.filter((code) => !packaged.has(code))).toEqual([]);
  });

  it.each(COURSES)("$code: names the course and its SCORM version, and lists every packaged file", async ({ slug, code, version }) => {
    const manifest = await readCourseManifest(slug);
    expect(manifest.organizationTitle).toBe(code);
    expect(manifest.schemaVersion).toBe(version === "1.2" ? "1.2" : "2004 4th Edition");
    const listed = new Set([...manifest.files, "imsmanifest.xml"]);
    expect([...listed].sort()).toEqual(await packagedFiles(slug));
    for (const sco of manifest.scos) expect(manifest.files).toContain(sco.href);
  });

  it.each(COURSES)("$code: refers to nothing outside its package", async ({ slug }) => {
    const external = /\b(?:src|href)\s*=\s*["']?(?:[a-z]+:)?\/\/|url\(\s*["']?(?:[a-z]+:)?\/\/|@import/i;
    for (const file of await packagedFiles(slug)) {
      if (!/\.(html|js|css)$/.test(file)) continue;
      const source = file.startsWith("shared/") ? path.join(PACKAGES_DIR, "_shared", file.slice(7)) : path.join(PACKAGES_DIR, slug, file);
      expect(external.test(await readFile(source, "utf8")), file).toBe(false);
    }
  });

  it.each(ASSESSMENTS)("$code: is passed by a scaled score of 0.8 (satisfied by measure)", async ({ slug }) => {
    const { organization } = await readCourseManifest(slug);
    const item = nodes(organization.item)[0];
    const objective = child(child(child(item, "imsss:sequencing"), "imsss:objectives"), "imsss:primaryObjective");
    expect(objective["@satisfiedByMeasure"]).toBe("true");
    expect(text(objective["imsss:minNormalizedMeasure"])).toBe("0.8");
  });

  it("297 Fire Safety - Part 1: has three SCOs under a root that allows choice and flow", async () => {
    const manifest = await readCourseManifest("fire-safety-part-1");
    expect(manifest.scos.map((sco) => sco.title)).toEqual(["Fire Prevention", "Raising the Alarm", "Evacuation"]);
    const controlMode = child(child(manifest.organization, "imsss:sequencing"), "imsss:controlMode");
    expect(controlMode).toMatchObject({ "@choice": "true", "@flow": "true" });
  });
});

// ---- every page ---------------------------------------------------------------------------------

describe("every course page", () => {
  const pages = COURSES.flatMap((c) =>
    c.slug === "fire-safety-part-1"
      ? ["fire-prevention.html", "raising-the-alarm.html", "evacuation.html"].map((href) => ({ ...c, href }))
      : [{ ...c, href: "index.html" }],
  );

  // The player window draws the one title bar and the one Home (issue 20: two of each before).
  it.each(pages)("$code ($href): draws no title bar and no Home of its own, only its heading", async ({ slug, href }) => {
    const { content } = await launch(slug, { href });
    await content.getByRole("heading", { level: 1 }).waitFor();
    expect(await content.getByRole("button", { name: "Home" }).count()).toBe(0);
    expect(await content.locator("header, [role=banner], [data-action=home]").count()).toBe(0);
    expect(await content.getByText("Click the Home icon to exit the course correctly").count()).toBe(0);
    expect(await content.getByRole("heading", { level: 1 }).count()).toBe(1);
  });
});

// ---- modules ------------------------------------------------------------------------------------

describe.each(MODULES)("$code (SCORM $version module)", ({ slug, version }) => {
  const cmi = CMI[version];
  const resumeCmi = (location: unknown, suspendData: unknown): CmiJson =>
    version === "1.2"
      ? { core: { entry: "resume", lesson_status: "incomplete", lesson_location: location }, suspend_data: suspendData }
      : { entry: "resume", completion_status: "incomplete", location, suspend_data: suspendData };

  it("is completed once every section is viewed, with a green tick beside each, and finishes when the LMS's Home unloads it", async () => {
    const sco = await launch(slug);
    const { content } = sco;
    await content.getByRole("heading", { name: "Instructions" }).waitFor();
    expect(await sco.cmi(cmi.status)).toBe("incomplete");
    const sections = await sectionsOf(content);
    expect(sections.length).toBeGreaterThanOrEqual(3);
    const titles = sections.map((s) => s.title);

    const progress: Array<string | undefined> = [];
    for (const [index, title] of titles.entries()) {
      if (index === titles.length - 1) expect(await sco.cmi(cmi.status)).toBe("incomplete");
      await viewSection(content, title);
      if (version === "2004") progress.push(await sco.lastSet("cmi.progress_measure"));
    }
    expect(await sco.cmi(cmi.status)).toBe("completed");
    if (version === "2004") expect(progress).toEqual(titles.map((_, index) => String(Math.round(((index + 1) / titles.length) * 100) / 100)));

    await backToSections(content);
    expect(await tickedSections(content)).toEqual(titles);
    expect(await content.locator("[data-progress]").textContent()).toBe(`${titles.length} of ${titles.length} sections viewed`);
    await content.locator("[data-complete-message]").waitFor();

    await unloadContent(sco, cmi.finish);
    expect(await sco.cmi(cmi.status)).toBe("completed");
    if (version === "1.2") {
      expect(await sco.lastSet("cmi.core.exit")).toBe("");
      expect(await sco.lastSet("cmi.core.session_time")).toMatch(SCORM_12_TIMESPAN);
    } else {
      expect(await sco.cmi("success_status")).toBe("unknown");
      expect(await sco.lastSet("cmi.exit")).toBe("normal");
      expect(await sco.lastSet("cmi.session_time")).toMatch(SCORM_2004_DURATION);
      // The LMS decides where the learner goes: its Home exits a completed course itself.
      expect(await sco.lastSet("adl.nav.request")).toBeUndefined();
    }
    expect((await sco.calls()).map((c) => c.method).slice(-2)).toEqual([cmi.commit, cmi.finish]);
  });

  it("saves a learner who leaves part-way as incomplete with a bookmark, and restores their ticks on resume", async () => {
    const first = await launch(slug);
    const sections = await sectionsOf(first.content);
    const [one, two, ...rest] = sections;
    await viewSection(first.content, one!.title);
    await viewSection(first.content, two!.title);
    await unloadContent(first, cmi.finish);
    expect(await first.cmi(cmi.status)).toBe("incomplete");
    expect(await first.cmi(cmi.exit)).toBe("suspend");
    const location = await first.cmi(cmi.location);
    const suspendData = await first.cmi("suspend_data");
    expect(location).toBe(two!.id);
    expect(suspendData).toContain(one!.id);

    // SCORM 1.2 RTE 3.4.4 / 2004 RTE 4.2.8: after exit "suspend" the LMS relaunches with entry "resume".
    const resumed = await launch(slug, { cmi: resumeCmi(location, suspendData) });
    await resumed.content.getByRole("heading", { level: 2, name: two!.title, exact: true }).waitFor();
    await backToSections(resumed.content);
    expect(await tickedSections(resumed.content)).toEqual([one!.title, two!.title]);
    expect(await resumed.content.locator("[data-progress]").textContent()).toBe(`2 of ${sections.length} sections viewed`);

    for (const section of rest) await viewSection(resumed.content, section.title);
    await unloadContent(resumed, cmi.finish);
    expect(await resumed.cmi(cmi.status)).toBe("completed");
    expect(await resumed.cmi(cmi.exit)).toBe(cmi.exitWhenCompleted);
  });

  it("finishes the session exactly once, with no navigation request, when its window unloads part-way", async () => {
    const sco = await launch(slug);
    const [first] = await sectionsOf(sco.content);
    await viewSection(sco.content, first!.title);
    await unloadContent(sco, cmi.finish);
    expect(await sco.cmi(cmi.exit)).toBe("suspend");
    expect(await sco.cmi(cmi.location)).toBe(first!.id);
    expect(await sco.lastSet("adl.nav.request")).toBeUndefined();
  });

  it("keeps working, with a notice, when no LMS API can be found", async () => {
    await page.goto(`${server.baseUrl}/courses/${slug}/index.html`);
    const content = page.mainFrame();
    await content.getByRole("heading", { name: "Your progress will not be saved" }).waitFor();
    const titles = (await sectionsOf(content)).map((s) => s.title);
    for (const title of titles) await viewSection(content, title);
    await backToSections(content);
    expect(await tickedSections(content)).toEqual(titles);
  });
});

// ---- eAssessments -------------------------------------------------------------------------------

describe.each(ASSESSMENTS)("$code (SCORM 2004 eAssessment)", ({ slug }) => {
  it("passes a learner who answers every question correctly, recording each answer as an interaction", async () => {
    const sco = await launch(slug, { cmi: { scaled_passing_score: "0.8" } });
    const intro = await sco.content.locator("[data-intro]").textContent();
    expect(intro).toContain("80%");
    expect(intro).toContain("does not by itself mean you have passed");
    const questions = await questionsOf(sco.content);
    expect(questions.length).toBeGreaterThanOrEqual(5);

    await answerAndSubmit(sco.content, questions, rightAnswer);
    const result = await sco.content.locator("[data-result]").innerText();
    expect(result).toContain("You have passed");
    expect(result).toContain("100%");
    expect(result).toMatch(/Pass mark\s+80%/);

    await unloadContent(sco, "Terminate");
    expect(await sco.cmi("success_status")).toBe("passed");
    expect(await sco.cmi("completion_status")).toBe("completed");
    expect(await sco.cmi("score")).toMatchObject({ scaled: "1", raw: "100", min: "0", max: "100" });
    expect(await sco.cmi("exit")).toBe("normal");
    expect(await sco.lastSet("adl.nav.request")).toBeUndefined();

    const interactions = Object.values((await sco.cmi("interactions")) as Record<string, Record<string, unknown>>);
    expect(interactions).toHaveLength(questions.length);
    for (const [index, interaction] of interactions.entries()) {
      const question = questions[index]!;
      expect(interaction).toMatchObject({
        id: question.id,
        type: "choice",
        description: question.text,
        learner_response: question.answer,
        correct_responses: { 0: { pattern: question.answer } },
        result: "correct",
      });
      expect(interaction.timestamp).toMatch(SCORM_2004_TIMESTAMP);
    }
  });

  it("fails a learner who gets most answers wrong, against the default pass mark of 80%", async () => {
    const sco = await launch(slug);
    const questions = await questionsOf(sco.content);
    await answerAndSubmit(sco.content, questions, (q, index) => (index === 0 ? rightAnswer(q) : wrongAnswer(q)));
    expect(await sco.content.locator("[data-result]").innerText()).toContain("You have not passed");

    await unloadContent(sco, "Terminate");
    expect(await sco.cmi("success_status")).toBe("failed");
    expect(await sco.cmi("completion_status")).toBe("completed");
    expect(await sco.cmi("score.scaled")).toBe(String(Math.round((1 / questions.length) * 10000) / 10000));
    const results = Object.values((await sco.cmi("interactions")) as Record<string, { result: string }>).map((i) => i.result);
    expect(results.filter((r) => r === "incorrect")).toHaveLength(questions.length - 1);
  });

  it("lets a failed learner try again with new answers, and then pass", async () => {
    const sco = await launch(slug);
    const questions = await questionsOf(sco.content);
    await answerAndSubmit(sco.content, questions, wrongAnswer);
    expect(await sco.cmi("success_status")).toBe("failed");

    await sco.content.getByRole("button", { name: "Try again" }).click();
    expect(await sco.content.locator("input:checked").count()).toBe(0);
    await answerAndSubmit(sco.content, questions, rightAnswer);
    expect(await sco.cmi("success_status")).toBe("passed");
    await unloadContent(sco, "Terminate");
    expect(await sco.cmi("success_status")).toBe("passed");
    expect(Object.keys((await sco.cmi("interactions")) as object)).toHaveLength(questions.length * 2);
  });

  it("uses the pass mark the LMS gives in cmi.scaled_passing_score", async () => {
    const sco = await launch(slug, { cmi: { scaled_passing_score: "0.6" } });
    const questions = await questionsOf(sco.content);
    const enoughToPass = Math.ceil(questions.length * 0.6);
    await answerAndSubmit(sco.content, questions, (q, index) => (index < enoughToPass ? rightAnswer(q) : wrongAnswer(q)));
    expect(await sco.content.locator("[data-result]").innerText()).toMatch(/Pass mark\s+60%/);
    expect(await sco.cmi("success_status")).toBe("passed");
  });
});

// ---- multi-SCO ----------------------------------------------------------------------------------

describe("297 Fire Safety - Part 1 (SCORM 2004 multi-SCO)", () => {
  const slug = "fire-safety-part-1";

  it("completes each of its three SCOs in turn, asking the sequencer to continue after each", async () => {
    const { scos } = await readCourseManifest(slug);
    for (const item of scos) {
      const sco = await launch(slug, { href: item.href });
      await sco.content.getByRole("heading", { level: 1, name: item.title }).waitFor();
      expect(await sco.cmi("completion_status")).toBe("incomplete");

      await sco.content.getByRole("button", { name: "Mark as read" }).click();
      await sco.content.getByText("Completed", { exact: true }).waitFor();
      expect(await sco.cmi("completion_status")).toBe("completed");
      expect(await sco.cmi("progress_measure")).toBe("1");

      await sco.content.locator('[data-nav="continue"]').click();
      await sco.content.getByText("You can now close this window.").waitFor();
      expect(await sco.cmi("exit")).toBe("normal");
      expect(await sco.lastSet("adl.nav.request")).toBe("continue");
      expect(await sco.callCount("Terminate")).toBe(1);
    }
  });

  it("asks the sequencer for the previous topic from a later one", async () => {
    const sco = await launch(slug, { href: "raising-the-alarm.html" });
    await sco.content.getByRole("button", { name: "Previous topic: Fire Prevention" }).click();
    await sco.content.getByText("You can now close this window.").waitFor();
    expect(await sco.lastSet("adl.nav.request")).toBe("previous");
    expect(await sco.cmi("exit")).toBe("suspend");
  });

  it("suspends its topic, leaving the course's navigation to the LMS, when unloaded part-way through a topic", async () => {
    const sco = await launch(slug, { href: "evacuation.html" });
    await unloadContent(sco, "Terminate");
    expect(await sco.cmi("completion_status")).toBe("incomplete");
    expect(await sco.cmi("exit")).toBe("suspend");
    expect(await sco.lastSet("adl.nav.request")).toBeUndefined();
    expect(await sco.lastSet("cmi.session_time")).toMatch(SCORM_2004_DURATION);
  });
});
