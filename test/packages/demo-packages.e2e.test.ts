// The demo trust's course packages (packages/<slug>/), played in real Chromium against
// scorm-again's real SCORM API, clicking through them as a learner would, then checking what
// the content told the LMS.
import { readFile } from "node:fs/promises";
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

const COURSES: Course[] = [
  { slug: "safeguarding-adults-l1", code: "000 Safeguarding Adults - Level 1", version: "1.2", kind: "module" },
  { slug: "conflict-resolution-part-1", code: "297 NHS Conflict Resolution - Part 1", version: "1.2", kind: "module" },
  { slug: "conflict-resolution-part-2", code: "297 NHS Conflict Resolution - Part 2", version: "2004", kind: "module" },
  { slug: "conflict-resolution-eassessment", code: "297 NHS Conflict Resolution - eAssessment", version: "2004", kind: "eAssessment" },
  { slug: "safeguarding-adults-eassessment-l1", code: "000 Safeguarding Adults eAssessment - Level 1", version: "2004", kind: "eAssessment" },
  { slug: "fire-safety-part-1", code: "297 Fire Safety - Part 1", version: "2004", kind: "multi-SCO" },
  { slug: "fire-safety-eassessment", code: "297 Fire Safety - eAssessment", version: "2004", kind: "eAssessment" },
];
const course = (slug: string): Course => COURSES.find((c) => c.slug === slug) ?? COURSES[0]!;
const ASSESSMENTS = COURSES.filter((c) => c.kind === "eAssessment");

const SAFEGUARDING_SECTIONS = ["Session Overview", "The Aims of Safeguarding", "The Underpinning Principles", "Abuse and Neglect"];
const CONFLICT_PART_1_SECTIONS = ["Introduction", "Causes of Conflict", "Recognising Warning Signs", "Communication and De-escalation"];
const CONFLICT_PART_2_SECTIONS = ["Keeping Yourself Safe", "Responding to Escalation", "After an Incident"];

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

async function clickHome(content: Frame): Promise<void> {
  await content.getByRole("button", { name: "Home" }).click();
  await content.getByText("You can now close this window.").waitFor();
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

  it.each(pages)("$code ($href): shows the course code and a Home control at the top right with the exit hint", async ({ slug, code, href }) => {
    const { content } = await launch(slug, { href });
    expect(await content.locator(".course-header__code").textContent()).toBe(code);
    expect(await content.locator(".course-header").textContent()).toContain("Click the Home icon to exit the course correctly >>>");
    const home = await content.getByRole("button", { name: "Home" }).boundingBox();
    const width = await content.evaluate(() => document.documentElement.clientWidth);
    expect(home && home.x > width / 2 && home.y < 120).toBe(true);
    expect(await content.getByRole("heading", { level: 1 }).count()).toBe(1);
  });
});

// ---- modules ------------------------------------------------------------------------------------

describe("000 Safeguarding Adults - Level 1 (SCORM 1.2 module)", () => {
  const slug = "safeguarding-adults-l1";

  it("is completed once all four sections are viewed, with a green tick beside each", async () => {
    const sco = await launch(slug);
    const { content } = sco;
    await content.getByRole("heading", { name: "Instructions" }).waitFor();
    expect(await sco.cmi("core.lesson_status")).toBe("incomplete");

    for (const title of SAFEGUARDING_SECTIONS.slice(0, 3)) await viewSection(content, title);
    expect(await sco.cmi("core.lesson_status")).toBe("incomplete");
    await viewSection(content, SAFEGUARDING_SECTIONS[3]!);
    expect(await sco.cmi("core.lesson_status")).toBe("completed");

    await backToSections(content);
    expect(await tickedSections(content)).toEqual(SAFEGUARDING_SECTIONS);
    await content.locator("[data-complete-message]").getByText("this session is complete").waitFor();

    await clickHome(content);
    expect(await sco.cmi("core.lesson_status")).toBe("completed");
    expect(await sco.lastSet("cmi.core.exit")).toBe("");
    expect(await sco.lastSet("cmi.core.session_time")).toMatch(SCORM_12_TIMESPAN);
    const calls = (await sco.calls()).map((c) => c.method);
    expect(calls.slice(-2)).toEqual(["LMSCommit", "LMSFinish"]);
  });

  it("saves a learner who leaves halfway as incomplete with a bookmark, and restores their ticks on resume", async () => {
    const first = await launch(slug);
    await viewSection(first.content, "Session Overview");
    await viewSection(first.content, "The Aims of Safeguarding");
    await clickHome(first.content);
    expect(await first.cmi("core.lesson_status")).toBe("incomplete");
    expect(await first.cmi("core.exit")).toBe("suspend");
    const location = await first.cmi("core.lesson_location");
    const suspendData = await first.cmi("suspend_data");
    expect(location).toBe("aims-of-safeguarding");
    expect(suspendData).toContain("session-overview");

    // SCORM 1.2 RTE 3.4.4: after exit "suspend" the LMS relaunches with entry "resume".
    const resumed = await launch(slug, {
      cmi: { core: { entry: "resume", lesson_status: "incomplete", lesson_location: location }, suspend_data: suspendData },
    });
    await resumed.content.getByRole("heading", { level: 2, name: "The Aims of Safeguarding" }).waitFor();
    await backToSections(resumed.content);
    expect(await tickedSections(resumed.content)).toEqual(["Session Overview", "The Aims of Safeguarding"]);
    expect(await resumed.content.locator("[data-progress]").textContent()).toBe("2 of 4 sections viewed");

    await viewSection(resumed.content, "The Underpinning Principles");
    await viewSection(resumed.content, "Abuse and Neglect");
    await clickHome(resumed.content);
    expect(await resumed.cmi("core.lesson_status")).toBe("completed");
    expect(await resumed.cmi("core.exit")).toBe("");
  });

  it("finishes the session exactly once when its window unloads without Home", async () => {
    const sco = await launch(slug);
    await viewSection(sco.content, "Session Overview");
    await unloadContent(sco, "LMSFinish");
    expect(await sco.cmi("core.exit")).toBe("suspend");
    expect(await sco.cmi("core.lesson_location")).toBe("session-overview");
  });

  it("does not finish a second time when the window unloads after Home", async () => {
    const sco = await launch(slug);
    await clickHome(sco.content);
    await unloadContent(sco, "LMSFinish");
  });

  it("keeps working, with a notice, when no LMS API can be found", async () => {
    await page.goto(`${server.baseUrl}/courses/${slug}/index.html`);
    const content = page.mainFrame();
    await content.getByRole("heading", { name: "Your progress will not be saved" }).waitFor();
    for (const title of SAFEGUARDING_SECTIONS) await viewSection(content, title);
    await backToSections(content);
    expect(await tickedSections(content)).toEqual(SAFEGUARDING_SECTIONS);
    await clickHome(content);
    await content.getByText("Your progress was not saved").waitFor();
  });
});

describe("297 NHS Conflict Resolution - Part 1 (SCORM 1.2 module)", () => {
  it("is completed once all four sections are viewed, and exits through Home", async () => {
    const sco = await launch("conflict-resolution-part-1");
    for (const title of CONFLICT_PART_1_SECTIONS.slice(0, 3)) await viewSection(sco.content, title);
    expect(await sco.cmi("core.lesson_status")).toBe("incomplete");
    await viewSection(sco.content, CONFLICT_PART_1_SECTIONS[3]!);
    await clickHome(sco.content);
    expect(await sco.cmi("core.lesson_status")).toBe("completed");
    expect(await sco.lastSet("cmi.core.exit")).toBe("");
    expect(await sco.callCount("LMSFinish")).toBe(1);
  });
});

describe("297 NHS Conflict Resolution - Part 2 (SCORM 2004 module)", () => {
  const slug = "conflict-resolution-part-2";

  it("reports its progress section by section and is completed once all three are viewed", async () => {
    const sco = await launch(slug);
    await sco.content.getByRole("heading", { name: "Instructions" }).waitFor();
    expect(await sco.cmi("completion_status")).toBe("incomplete");
    const progress: Array<string | undefined> = [];
    for (const title of CONFLICT_PART_2_SECTIONS) {
      await viewSection(sco.content, title);
      progress.push(await sco.lastSet("cmi.progress_measure"));
    }
    expect(progress).toEqual(["0.33", "0.67", "1"]);

    await clickHome(sco.content);
    expect(await sco.cmi("completion_status")).toBe("completed");
    expect(await sco.cmi("success_status")).toBe("unknown");
    expect(await sco.cmi("exit")).toBe("normal");
    expect(await sco.lastSet("cmi.session_time")).toMatch(SCORM_2004_DURATION);
    expect(await sco.lastSet("adl.nav.request")).toBe("exitAll");
    expect((await sco.calls()).map((c) => c.method).slice(-2)).toEqual(["Commit", "Terminate"]);
  });

  it("suspends a learner who leaves early, and resumes them at their bookmark", async () => {
    const first = await launch(slug);
    await viewSection(first.content, "Keeping Yourself Safe");
    await clickHome(first.content);
    expect(await first.cmi("completion_status")).toBe("incomplete");
    expect(await first.cmi("exit")).toBe("suspend");
    expect(await first.lastSet("adl.nav.request")).toBe("suspendAll");
    const location = await first.cmi("location");
    const suspendData = await first.cmi("suspend_data");

    // SCORM 2004 RTE 4.2.8: exit "suspend" -> the next entry is "resume".
    const resumed = await launch(slug, { cmi: { entry: "resume", completion_status: "incomplete", location, suspend_data: suspendData } });
    await resumed.content.getByRole("heading", { level: 2, name: "Keeping Yourself Safe" }).waitFor();
    await backToSections(resumed.content);
    expect(await tickedSections(resumed.content)).toEqual(["Keeping Yourself Safe"]);
    await viewSection(resumed.content, "Responding to Escalation");
    await viewSection(resumed.content, "After an Incident");
    await clickHome(resumed.content);
    expect(await resumed.cmi("completion_status")).toBe("completed");
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

    await clickHome(sco.content);
    expect(await sco.cmi("success_status")).toBe("passed");
    expect(await sco.cmi("completion_status")).toBe("completed");
    expect(await sco.cmi("score")).toMatchObject({ scaled: "1", raw: "100", min: "0", max: "100" });
    expect(await sco.lastSet("adl.nav.request")).toBe("exitAll");

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

    await clickHome(sco.content);
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
    await clickHome(sco.content);
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

  it("suspends the whole course when Home is clicked part-way through a topic", async () => {
    const sco = await launch(slug, { href: "evacuation.html" });
    await clickHome(sco.content);
    expect(await sco.cmi("completion_status")).toBe("incomplete");
    expect(await sco.cmi("exit")).toBe("suspend");
    expect(await sco.lastSet("adl.nav.request")).toBe("suspendAll");
    expect(await sco.lastSet("cmi.session_time")).toMatch(SCORM_2004_DURATION);
  });
});
