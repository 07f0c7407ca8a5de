import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, csrfFrom, logInAgent, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner, buildCertification } from "../support/factories.ts";
import { importCourses } from "../support/attempts.ts";
import { enrol, subscribe, unsubscribe } from "../../server/learning/subscriptions.ts";

const PLAYED = "297 Current Test - Played";
const BUSY = "297 Current Test - In Progress";
const MANY = 26;

/** Current Learning: every enrolment, beyond the portlet's twenty, filtered and paged, with the certification page's statuses. */
describe("Current Learning", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  const certifications: Record<string, number> = {};
  const courseIds: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp({ clock });
    Object.assign(courseIds, await importCourses(t, [PLAYED, BUSY]));
    // Courses on the catalog with no package yet: enrolled in, not playable.
    const codes = [PLAYED, BUSY, ...Array.from({ length: MANY - 2 }, (_, index) => `297 Current Test - Topic ${String(index + 1).padStart(2, "0")}`)];
    for (const code of codes.slice(2)) {
      const [course] = await t.db("courses").insert({ code, title: code, created_at: clock.now().toISOString() }).returning("id");
      await t.db("classes").insert({ course_id: course.id, kind: "elearning", title: `${code} (e-learning)` });
    }
    for (const code of codes) {
      const built = await buildCertification(t.db, { name: `297 Core Skills - ${code.slice(4)}`, competency: `NHS|CSTF|${code}|`, validDays: 365, completeWithinDays: 365, components: [{ courseCode: code }] });
      certifications[code] = built.certificationId;
    }
  });
  afterAll(() => t.cleanup());

  /** Subscribes and enrols the learner in each course, a minute apart, so the order is known. */
  async function enrolIn(personId: number, codes: string[]) {
    for (const code of codes) {
      clock.set(new Date(clock.now().getTime() + 60_000).toISOString());
      await subscribe(t.db, clock, { personId }, certifications[code]!);
      const component = await t.db("certification_components").where({ certification_id: certifications[code] }).first("id");
      await enrol(t.db, clock, { personId }, certifications[code]!, Number(component.id));
    }
  }

  /** The rows on the page: course, then its cells' text. */
  const rowsOf = (html: string) =>
    [...html.matchAll(/<tr class="nhsuk-table__row" data-enrolment="\d+" data-course="([^"]+)" role="row">([\s\S]*?)<\/tr>/g)].map((match) => ({
      course: match[1]!,
      // The responsive table's headings (shown on a phone beside each value) are not the row's text.
      text: match[2]!.replace(/<span class="nhsuk-table-responsive__heading" aria-hidden="true">[^<]*<\/span>/g, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim(),
    }));

  it("lists every enrolment, most recent first, past the portlet's twenty, a page of 25 at a time", async () => {
    const learner = await buildLearner(t.db, t.clock);
    const codes = Object.keys(certifications).sort();
    await enrolIn(learner.personId, codes);
    const agent = await logInAgent(t.app, learner.username, learner.password);

    const first = (await agent.get("/learning/current").expect(200)).text;
    expect(first).toContain("<h1>Current Learning</h1>");
    expect(first).toContain(`Enrolments 1 to 25 of ${MANY}`);
    expect(rowsOf(first).map((row) => row.course)).toEqual([...codes].reverse().slice(0, 25));
    expect(first).toContain('href="/learning/current?show=current&amp;status=any&amp;mandatory=no&amp;page=2">Next page</a>');
    const second = (await agent.get("/learning/current?page=2").expect(200)).text;
    expect(rowsOf(second).map((row) => row.course)).toEqual([codes[0]]);
    expect(second).toContain(`Enrolments 26 to 26 of ${MANY}`);
    // A page past the end shows the last one rather than nothing.
    expect(rowsOf((await agent.get("/learning/current?page=99").expect(200)).text).map((row) => row.course)).toEqual([codes[0]]);

    // The portlet stops at twenty and points here.
    const portal = (await agent.get("/?mandatory=no").expect(200)).text;
    expect(portal).toContain('href="/learning/current"');
    expect(portal).toContain("Courses 1 to 5 of your 20 most recent");
  });

  it("shows the certification page's statuses, filters by Component Status and mandatory learning, and keeps earlier subscriptions apart", async () => {
    const learner = await buildLearner(t.db, t.clock);
    const other = await buildLearner(t.db, t.clock);
    await enrolIn(learner.personId, [BUSY, PLAYED, "297 Current Test - Topic 01"]);
    await enrolIn(other.personId, ["297 Current Test - Topic 02"]);
    const position = await t.db("assignments").join("positions", "positions.id", "assignments.position_id").where("assignments.person_id", learner.personId).first("positions.id");
    const competency = await t.db("certifications").where({ id: certifications[PLAYED] }).first("competency_id");
    await t.db("competence_requirements").insert({ position_id: position.id, competency_id: competency.competency_id, essential: true });

    const agent = await logInAgent(t.app, learner.username, learner.password);
    const csrf = csrfFrom((await agent.get("/learning/current").expect(200)).text);
    const play = async (code: string, status: string) => {
      const played = await agent.post(`/learning/courses/${courseIds[code]}/play`).type("form").send({ _csrf: csrf }).expect(303);
      const attemptId = Number(/\/player\/attempts\/(\d+)/.exec(String(played.headers.location))![1]);
      await agent.post(`/runtime/attempts/${attemptId}/scos/I1/commit`).set("X-CSRF-Token", csrf).send({ commitSequence: 1, cmi: { core: { lesson_status: status } } }).expect(200);
    };
    clock.set("2026-03-02T10:00:00.000Z");
    await play(PLAYED, "completed");
    await play(BUSY, "incomplete");

    const all = rowsOf((await agent.get("/learning/current").expect(200)).text);
    // Only this learner's own enrolments.
    expect(all.map((row) => row.course)).toEqual(["297 Current Test - Topic 01", PLAYED, BUSY]);
    expect(all[0]!.text).toBe("297 Current Test - Topic 01 297 Core Skills - Current Test - Topic 01 E-Learning class, enrolled 01-Mar-2026 Planned Not Attempted");
    expect(all[1]!.text).toBe(`${PLAYED} Mandatory 297 Core Skills - Current Test - Played Completed E-Learning class, enrolled 01-Mar-2026 Completed 02-Mar-2026 Completed Play again`); // completed: Play again is no longer the main action
    // The guide's Component Status: Planned until completed, however far the learning has gone.
    expect(all[2]!.text).toContain("Planned Incomplete Play");

    const only = async (query: string) => rowsOf((await agent.get(`/learning/current?${query}`).expect(200)).text).map((row) => row.course);
    expect(await only("status=Completed")).toEqual([PLAYED]);
    expect(await only("status=Planned")).toEqual(["297 Current Test - Topic 01", BUSY]);
    expect((await agent.get("/learning/current").expect(200)).text).toMatch(/<option value="Planned" >Planned<\/option>\s*<option value="Completed" >Completed<\/option>/);
    // The old words are no filter any more: the default, everything.
    expect(await only("status=In+Progress")).toHaveLength(3);
    expect(await only("mandatory=yes")).toEqual([PLAYED]);
    expect(await only("status=Completed&mandatory=yes")).toEqual([PLAYED]);
    expect((await agent.get("/learning/current?status=Planned&mandatory=yes").expect(200)).text).toContain("None of your enrolments match");
    // A filter value no form offers is the default, not an error.
    expect(await only("status=Bogus&show=nonsense&page=-3")).toHaveLength(3);

    // Unsubscribed, then subscribed again: the old enrolment is history, shown only when asked for.
    await unsubscribe(t.db, clock, { personId: learner.personId }, certifications["297 Current Test - Topic 01"]!);
    let html = (await agent.get("/learning/current").expect(200)).text;
    expect(rowsOf(html).find((row) => row.course === "297 Current Test - Topic 01")?.text).toContain("Unsubscribed");
    await subscribe(t.db, clock, { personId: learner.personId }, certifications["297 Current Test - Topic 01"]!);
    expect(await only("")).toEqual([PLAYED, BUSY]);
    html = (await agent.get("/learning/current?show=all").expect(200)).text;
    expect(rowsOf(html).find((row) => row.course === "297 Current Test - Topic 01")?.text).toContain("earlier subscription: Unsubscribed");

    // Requests and waiting-list places are Requested Learning's, not learning under way.
    const waiting = await t.db("enrolments").where({ person_id: learner.personId }).first("id");
    await t.db("enrolments").where({ id: waiting.id }).update({ status: "Waiting List" });
    expect(await only("show=all")).not.toContain(BUSY);
  });
});
