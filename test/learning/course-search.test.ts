import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import request from "supertest";
import { createTestApp, csrfFrom, logInAgent, settableClock, type TestApp } from "../support/test-app.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";
import { buildLearner } from "../support/factories.ts";
import { importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";
import { random } from "../support/random.ts";
import { importCatalog, parseCatalog } from "../../server/setup/import-catalog.ts";
import { deleteCatalogRow, saveCompetency } from "../../server/catalog/editing.ts";
import { certificationView } from "../../server/learning/certification-view.ts";

const FIRE = "297 Core Skills - Fire Safety - 1 Year";
const HANDLING = "297 Core Skills - Moving and Handling - 3 Years";
const SAFEGUARDING = "000 Core Skills - Safeguarding Adults - Level 1 - 3 Years";
const PAGING = "297 Core Skills - Paging Drill - 1 Year";
const PAGING_COURSES = Array.from({ length: 25 }, (_, index) => `297 Paging Drill - Module ${String(index + 1).padStart(2, "0")}`);

const catalog = {
  competencies: [
    { name: "NHS|CSTF|Fire Safety - 1 Year|" },
    { name: "NHS|CSTF|Moving and Handling - Level 1 - 3 Years|" },
    { name: "NHS|CSTF|Safeguarding Adults - Level 1 - 3 Years|" },
    { name: "LOCAL|Paging Drill|" },
  ],
  certifications: [
    { name: FIRE, competency: "NHS|CSTF|Fire Safety - 1 Year|", competenceLevel: "1 - Assessed", validDays: 365, completeWithinDays: 365, renewable: true,
      components: [{ course: "297 Fire Safety - Part 1", requires: "completion" }, { course: "297 Fire Safety - eAssessment", requires: "pass" }, { course: "297 Fire Safety - Classroom Session", requires: "completion" }] },
    // Part 1 of Fire Safety belongs here too: a course in two certifications.
    { name: HANDLING, competency: "NHS|CSTF|Moving and Handling - Level 1 - 3 Years|", competenceLevel: "1 - Assessed", validDays: 1095, completeWithinDays: 1095, renewable: true,
      components: [{ course: "297 Moving and Handling - Part 1", requires: "completion" }, { course: "297 Fire Safety - Part 1", requires: "completion" }] },
    { name: SAFEGUARDING, competency: "NHS|CSTF|Safeguarding Adults - Level 1 - 3 Years|", competenceLevel: "1 - Assessed", validDays: 1095, completeWithinDays: 1095, renewable: true,
      components: [{ course: "000 Safeguarding Adults - Level 1", requires: "completion" }, { course: "000 Safeguarding Adults eAssessment - Level 1", requires: "pass" }] },
    { name: PAGING, competency: "LOCAL|Paging Drill|", competenceLevel: "1 - Assessed", validDays: 365, completeWithinDays: 365, renewable: true,
      components: PAGING_COURSES.map((course) => ({ course, requires: "completion" })) },
  ],
};

/** A one-SCO SCORM 1.2 package whose manifest title is the given one. */
const packageTitled = (title: string) => {
  const files = VALID_PACKAGES["scorm12-single"]!.files;
  return { ...files, "imsmanifest.xml": String(files["imsmanifest.xml"]).replace("297 Test 1.2 Single", title) };
};

/**
 * Search Course through the real app: the same file runs on SQLite (FTS5) and on PostgreSQL
 * (tsvector), with the same expected results, so both databases must agree.
 */
describe("Search Course", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  let agent: ReturnType<typeof request.agent>;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp({ clock });
    fs.mkdirSync(t.config.dataDir, { recursive: true });
    await importCatalog(t.db, t.clock, parseCatalog(JSON.stringify(catalog)));
    for (const code of ["297 Fire Safety - Part 1", "297 Fire Safety - eAssessment", "297 Moving and Handling - Part 1", "000 Safeguarding Adults - Level 1"]) {
      await importCourseVersion(t, packageTitled(code.replace(/^\d+ /, "")), code);
    }
    // A classroom course, as a classroom class makes one (not through package import).
    const [course] = await t.db("courses").insert({ code: "297 Fire Safety - Classroom Session", title: "Fire Safety - Classroom Session", kind: "elearning", created_at: "2026-03-01T09:00:00.000Z" }).returning("id");
    await t.db("classes").insert({ course_id: Number(course.id), kind: "classroom", title: "Fire Safety, Seminar Room 2", capacity: 12 });
    for (const row of await t.db("certifications").select("id", "name")) ids[String(row.name)] = Number(row.id);
    for (const row of await t.db("competencies").select("id", "name")) ids[String(row.name)] = Number(row.id);
    const learner = await buildLearner(t.db, t.clock);
    agent = await logInAgent(t.app, learner.username, learner.password);
  });
  afterAll(() => t.cleanup());

  /** The course codes on a results page, in order. */
  const codesOn = (html: string) => [...html.matchAll(/<tr class="nhsuk-table__row" data-course="([^"]+)" role="row">/g)].map((match) => match[1]!.replace(/&amp;/g, "&"));
  const search = async (query: Record<string, string>) => {
    const response = await agent.get("/learning/search").query(query);
    expect(response.status, response.text.slice(0, 500)).toBe(200);
    return response.text;
  };
  const found = async (query: Record<string, string>) => codesOn(await search(query));
  /** A course's row with its certifications and next actions, as text. */
  const actionsOf = (html: string, course: string) => {
    const row = new RegExp(`data-course="${course}" role="row">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? "";
    return [...row.matchAll(/<li data-certification="([^"]+)">[\s\S]*?data-action="([^"]+)"/g)].map((match) => `${match[1]}: ${match[2]}`);
  };

  it("asks a learner to log in first", async () => {
    for (const path of ["/learning/search?q=fire", "/learning/search/advanced"]) {
      const response = await request(t.app).get(path).expect(302);
      expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it("shows Current Learning | Requested Learning and the Search Course box above learner pages only", async () => {
    for (const path of ["/", "/compliance", `/learning/certifications/${ids[FIRE]}`, "/learning/search", "/learning/search/advanced"]) {
      const html = (await agent.get(path).expect(200)).text;
      expect(html, path).toContain('<form class="app-learning-bar__search" method="get" action="/learning/search" role="search" aria-label="Search Course">');
      expect(html, path).toContain('<label class="nhsuk-label" for="search-course">Search Course</label>');
      expect(html, path).toContain('<label class="nhsuk-label nhsuk-checkboxes__label" for="search-exact">Exact Phrase</label>');
      expect(html, path).toMatch(/<button class="nhsuk-button app-button-small" type="submit">Go<\/button>\s*<a href="\/learning\/search\/advanced">Advanced Search<\/a>/);
      expect(html, path).toMatch(/<a href="\/learning\/current">Current Learning<\/a>\s*<a href="\/learning\/requested">Requested Learning<\/a>/);
    }
    expect((await agent.get("/account/password").expect(200)).text).not.toContain("app-learning-bar");
    expect((await agent.get("/help").expect(200)).text).not.toContain("app-learning-bar");
  });

  it("finds courses by the start of each word, every word needed, by code, title, certification or competency", async () => {
    expect(await found({ q: "safegu" })).toEqual(["000 Safeguarding Adults - Level 1", "000 Safeguarding Adults eAssessment - Level 1"]);
    expect(await found({ q: "FIRE part" })).toEqual(["297 Fire Safety - Part 1"]);
    // "Moving and Handling" is in Part 1 of Fire Safety's other certification's name.
    expect(await found({ q: "moving handl" })).toEqual(["297 Fire Safety - Part 1", "297 Moving and Handling - Part 1"]);
    expect(await found({ q: "cstf fire" })).toEqual(["297 Fire Safety - Classroom Session", "297 Fire Safety - eAssessment", "297 Fire Safety - Part 1"]);
    expect(await found({ q: "000" })).toEqual(["000 Safeguarding Adults - Level 1", "000 Safeguarding Adults eAssessment - Level 1"]);
    const none = await search({ q: "fire zebra" });
    expect(codesOn(none)).toEqual([]);
    expect(none).toContain("No courses match &#34;fire zebra&#34;.");
  });

  it("matches an Exact Phrase only with its words side by side, in order, within one name", async () => {
    expect(await found({ q: "part fire" })).toEqual(["297 Fire Safety - Part 1"]);
    expect(await found({ q: "part fire", exact: "1" })).toEqual([]);
    expect(await found({ q: "fire safety - part 1", exact: "1" })).toEqual(["297 Fire Safety - Part 1"]);
    // Whole words, but the last one may still be being typed, as the guide's "297 Core Skills - NHS Cc" is.
    expect(await found({ q: "fire safety - pa", exact: "1" })).toEqual(["297 Fire Safety - Part 1"]);
    expect(await found({ q: "safeguarding adu", exact: "1" })).toEqual(["000 Safeguarding Adults - Level 1", "000 Safeguarding Adults eAssessment - Level 1"]);
    // "safeg" is no phrase of "safeguarding adults": only the last word is a beginning.
    expect(await found({ q: "safeg adults", exact: "1" })).toEqual([]);
    expect(await found({ q: "safeguarding adults", exact: "1" })).toEqual(["000 Safeguarding Adults - Level 1", "000 Safeguarding Adults eAssessment - Level 1"]);
    // "... - Level 1" ends the code and "000 Core Skills ..." starts the certification's name: no phrase across them.
    expect(await found({ q: "level 1 000 core" })).toEqual(["000 Safeguarding Adults - Level 1", "000 Safeguarding Adults eAssessment - Level 1"]);
    expect(await found({ q: "level 1 000 core", exact: "1" })).toEqual([]);
    const html = await search({ q: "fire safety - part 1", exact: "1" });
    expect(html).toContain('id="search-course" name="q" type="search" maxlength="200" value="fire safety - part 1"');
    expect(html).toMatch(/id="search-exact" name="exact" type="checkbox" value="1" checked>/);
    expect(html).toContain("1 course matches &#34;fire safety - part 1&#34; (Exact Phrase).");
  });

  it("answers hostile search text with results or no match, never an error", async () => {
    const hostile = ['"', 'fire"', "NEAR(fire safety)", "fire AND -safety", "fire OR zebra", "NOT fire", "(", ")*", "fire*", "^fire", "search_text:fire", "' OR 1=1 --", "\\", "%", "_", ":*", "fire & | ! <-> safety", "fire:*A", "{fire}", "🔥 fire", "-", "\u0000".slice(1) + "fire +safety"];
    for (const q of hostile) {
      for (const exact of [{}, { exact: "1" }] as Array<Record<string, string>>) {
        const html = await search({ q, ...exact });
        expect(html.includes("course matches") || html.includes("courses match") || html.includes("No courses match") || html.includes("Type words"), q).toBe(true);
      }
    }
    // And a seeded run of random mixes of FTS5 and tsquery syntax with words.
    const next = random(9);
    const pieces = ['"', "'", "*", "(", ")", "-", "+", ":", "^", "NEAR", "AND", "OR", "NOT", " ", "fire", "safe", "%", "_", "\\", "&", "|", "!", "<->", ":*", "{", "}", ",", ".", "é", "ß", "0", "297", "\t"];
    for (let run = 0; run < 60; run++) {
      const q = Array.from({ length: 1 + Math.floor(next() * 8) }, () => pieces[Math.floor(next() * pieces.length)]).join("");
      const html = await search({ q, ...(run % 2 ? { exact: "1" } : {}) });
      expect(/courses? match|No courses match|Type words/.test(html), q).toBe(true);
    }
    expect(await search({ q: '"*"' })).toContain("No courses match &#34;&#34;*&#34;&#34;.");
    expect(await search({ q: "" })).toContain("Type words from a course");
    // The words inside are still found: operators are words like any other, and must all match.
    expect(await found({ q: "fire* (safety)" })).toEqual(["297 Fire Safety - Classroom Session", "297 Fire Safety - eAssessment", "297 Fire Safety - Part 1"]);
    // "and" is a word too: Part 1 is also in Moving and Handling's certification.
    expect(await found({ q: "fire AND safety" })).toEqual(["297 Fire Safety - Part 1"]);
    expect(await found({ q: "fire OR zebra" })).toEqual([]);
    // A search that cannot be one comes back on Advanced Search in the error pattern, the problem beside its field.
    const long = await agent.get("/learning/search").query({ q: "x".repeat(201) }).expect(400);
    expectErrorPattern(long.text, [{ field: "advanced-words", message: "Search Course: at most 200 characters" }]);
    const repeated = await agent.get("/learning/search?q=fire&q=safety").expect(400);
    expectErrorPattern(repeated.text, [{ field: "advanced-words", message: "Search Course: type the words to search for" }]);
  });

  it("narrows by competency, certification, course type and organisation in Advanced Search", async () => {
    const form = await agent.get("/learning/search/advanced").query({ q: "fire", type: "eassessment" }).expect(200);
    for (const label of ["Words", "Exact Phrase", "Competency", "Learning Certification", "Course Type", "Organisation"]) expect(form.text).toContain(`>${label}</label>`);
    expect(form.text).toContain('<option value="eassessment" selected>eAssessment</option>');
    expect(form.text).toContain('<option value="000">000 National</option>');
    expect(form.text).toContain(`<option value="${ids["NHS|CSTF|Fire Safety - 1 Year|"]}">NHS|CSTF|Fire Safety - 1 Year</option>`);

    expect(await found({ competency: String(ids["NHS|CSTF|Moving and Handling - Level 1 - 3 Years|"]) })).toEqual(["297 Fire Safety - Part 1", "297 Moving and Handling - Part 1"]);
    expect(await found({ certification: String(ids[FIRE]) })).toEqual(["297 Fire Safety - Classroom Session", "297 Fire Safety - eAssessment", "297 Fire Safety - Part 1"]);
    expect(await found({ type: "eassessment" })).toEqual(["000 Safeguarding Adults eAssessment - Level 1", "297 Fire Safety - eAssessment"]);
    expect(await found({ type: "classroom" })).toEqual(["297 Fire Safety - Classroom Session"]);
    expect(await found({ q: "fire", type: "elearning" })).toEqual(["297 Fire Safety - Part 1"]);
    expect(await found({ organisation: "000" })).toEqual(["000 Safeguarding Adults - Level 1", "000 Safeguarding Adults eAssessment - Level 1"]);
    expect(await found({ q: "level", organisation: "297" })).toEqual(["297 Fire Safety - Part 1", "297 Moving and Handling - Part 1"]);
    expect(await found({ q: "safeguarding", organisation: "000", type: "eassessment", certification: String(ids[SAFEGUARDING]), competency: String(ids["NHS|CSTF|Safeguarding Adults - Level 1 - 3 Years|"]) })).toEqual(["000 Safeguarding Adults eAssessment - Level 1"]);
    expect(await found({ q: "safeguarding", certification: String(ids[FIRE]) })).toEqual([]);

    const html = await search({ type: "classroom" });
    expect(html).toContain("<li>Course Type: Classroom</li>");
    expect(html).toContain('<a href="/learning/search/advanced?q=&amp;type=classroom">Change this search in Advanced Search</a>');
    expect(html).toMatch(/data-field="type">Classroom</);
    for (const [query, message] of [
      [{ competency: "abc" }, "Competency: choose one from the list"],
      [{ certification: "99999999999" }, "Certification: choose one from the list"],
      [{ type: "webinar" }, "Course Type: choose one from the list"],
      [{ organisation: "29" }, "Organisation: choose one from the list"],
    ] as const) {
      expect((await agent.get("/learning/search").query(query).expect(400)).text).toContain(message);
    }
    // Every problem at once, each linked to its field; what was typed stays in its box.
    const all = (await agent.get("/learning/search/advanced").query({ q: "fire", competency: "abc", type: "webinar", organisation: "29", exact: "maybe" }).expect(400)).text;
    expectErrorPattern(all, [
      { field: "advanced-exact", message: "Exact Phrase: tick it or leave it" },
      { field: "advanced-competency", message: "Competency: choose one from the list" },
      { field: "advanced-type", message: "Course Type: choose one from the list" },
      { field: "advanced-organisation", message: "Organisation: choose one from the list" },
    ]);
    expect(all).toMatch(/id="advanced-words" name="q" type="text" maxlength="200"[^>]*value="fire"/);
  });

  it("shows each certification with the learner's next step: Subscribe, Enrol, Play, Completed", async () => {
    const learner = await buildLearner(t.db, t.clock);
    const own = await logInAgent(t.app, learner.username, learner.password);
    // Every action shown is the one the certification's own view gives that component.
    const results = async (q: string) => {
      const html = (await own.get("/learning/search").query({ q }).expect(200)).text;
      for (const code of codesOn(html)) {
        for (const shown of actionsOf(html, code)) {
          const [name, action] = shown.split(": ");
          const view = await certificationView(t.db, learner.personId, ids[name!]!, t.clock.today());
          expect(view!.components.find((row) => row.course === code)!.nextAction, `${code} in ${name}`).toBe(action);
        }
      }
      return html;
    };

    let html = await results("fire part");
    expect(actionsOf(html, "297 Fire Safety - Part 1")).toEqual([`${FIRE}: Subscribe`, `${HANDLING}: Subscribe`]);
    expect(html).toContain(`<a href="/learning/certifications/${ids[FIRE]}">${FIRE}</a>`);
    expect(html).toContain(`href="/learning/certifications/${ids[FIRE]}/subscribe" aria-label="Subscribe: ${FIRE}">Subscribe</a>`);

    const page = `/learning/certifications/${ids[FIRE]}`;
    const confirmation = await own.get(`${page}/subscribe`).expect(200);
    await own.post(`${page}/subscribe`).type("form").send({ _csrf: csrfFrom(confirmation.text) }).expect(303);
    html = await results("fire part");
    expect(actionsOf(html, "297 Fire Safety - Part 1")).toEqual([`${FIRE}: Enrol`, `${HANDLING}: Subscribe`]);
    const componentId = Number(/components\/(\d+)\/enrol" aria-label="Enrol: 297 Fire Safety - Part 1"/.exec(html)![1]);

    const summary = await own.get(`${page}/components/${componentId}/enrol`).expect(200);
    clock.set("2026-03-01T09:30:00.000Z");
    await own.post(`${page}/components/${componentId}/enrol`).type("form").send({ _csrf: csrfFrom(summary.text) }).expect(303);
    html = await results("fire part");
    expect(actionsOf(html, "297 Fire Safety - Part 1")).toEqual([`${FIRE}: Play`, `${HANDLING}: Subscribe`]);
    const courseId = Number((await t.db("courses").where({ code: "297 Fire Safety - Part 1" }).first("id")).id);
    expect(html).toContain(`action="/learning/courses/${courseId}/play" target="lms-course-${courseId}"`);

    clock.set("2026-03-02T10:00:00.000Z");
    const played = await own.post(`/learning/courses/${courseId}/play`).type("form").send({ _csrf: csrfFrom(html) }).expect(303);
    const attemptId = Number(/\/player\/attempts\/(\d+)/.exec(String(played.headers.location))![1]);
    await own.post(`/runtime/attempts/${attemptId}/scos/I1/commit`).set("X-CSRF-Token", csrfFrom(html)).send({ commitSequence: 1, cmi: { core: { lesson_status: "completed" } } }).expect(200);
    html = await results("fire");
    expect(actionsOf(html, "297 Fire Safety - Part 1")).toEqual([`${FIRE}: Completed`, `${HANDLING}: Subscribe`]);
    expect(actionsOf(html, "297 Fire Safety - eAssessment")).toEqual([`${FIRE}: Enrol`]);

    // A component whose course is not imported yet cannot be enrolled in: said so, once subscribed.
    const other = `/learning/certifications/${ids[SAFEGUARDING]}`;
    await own.post(`${other}/subscribe`).type("form").send({ _csrf: csrfFrom((await own.get(`${other}/subscribe`)).text) }).expect(303);
    expect(actionsOf(await results("safeguarding"), "000 Safeguarding Adults eAssessment - Level 1")).toEqual([`${SAFEGUARDING}: Not available yet`]);
  });

  it("pages the results 20 at a time, keeping the search in the links", async () => {
    let html = await search({ q: "paging drill" });
    expect(html).toContain("25 courses match &#34;paging drill&#34;: page 1 of 2.");
    expect(codesOn(html)).toEqual(PAGING_COURSES.slice(0, 20));
    expect(html).toContain('href="/learning/search?q=paging+drill&amp;page=2"');
    html = await search({ q: "paging drill", page: "2" });
    expect(codesOn(html)).toEqual(PAGING_COURSES.slice(20));
    expect(html).toContain('href="/learning/search?q=paging+drill&amp;page=1"');
    // Past the end, or not a number: the last page, or the first.
    expect(codesOn(await search({ q: "paging drill", page: "99" }))).toEqual(PAGING_COURSES.slice(20));
    expect(codesOn(await search({ q: "paging drill", page: "x" }))).toEqual(PAGING_COURSES.slice(0, 20));
  });

  it("keeps the index current as the catalog and packages change", async () => {
    const actor = { accountId: null, ip: null };
    const competencyId = ids["LOCAL|Paging Drill|"]!;
    await saveCompetency(t.db, t.clock, actor as never, competencyId, { name: "LOCAL|Pager Practice|", description: "" });
    expect(await search({ q: "pager practice" })).toContain("25 courses match &#34;pager practice&#34;: page 1 of 2.");
    expect(await found({ q: "paging drill", competency: String(competencyId), exact: "1" })).toHaveLength(20);

    await deleteCatalogRow(t.db, t.clock, actor as never, "certification", ids[PAGING]!);
    expect(await found({ q: "pager practice" })).toEqual([]);
    expect(await found({ q: "paging" })).toEqual([]);

    await importCourseVersion(t, packageTitled("Sepsis Awareness for Ward Staff"), "297 Sepsis Awareness");
    expect(await found({ q: "ward sepsis" })).toEqual(["297 Sepsis Awareness"]);
    const html = await search({ q: "ward sepsis" });
    expect(html).toContain("Not part of a learning certification yet.");
  });
  it("finds e-learning with classroom classes beside it by either type, and says it is both", async () => {
    const course = await t.db("courses").where({ code: "297 Moving and Handling - Part 1" }).first("id");
    const [classRow] = await t.db("classes").insert({ course_id: course.id, kind: "classroom", title: "Moving and Handling, Practical", capacity: 8 }).returning("id");
    try {
      expect(await found({ q: "moving", type: "elearning" })).toEqual(["297 Fire Safety - Part 1", "297 Moving and Handling - Part 1"]);
      expect(await found({ q: "moving", type: "classroom" })).toEqual(["297 Moving and Handling - Part 1"]);
      expect(await search({ q: "moving" })).toMatch(/data-field="type">e-Learning and Classroom</);
      // A course with only classroom classes stays Classroom alone.
      expect(await found({ q: "fire", type: "elearning" })).toEqual(["297 Fire Safety - Part 1"]);
    } finally {
      await t.db("classes").where({ id: classRow.id }).delete();
    }
  });
});
