import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { sendReminders } from "../../server/compliance/reminders.ts";
import { lms } from "../support/run-cli.ts";

/** lms send-reminders: once per change to Amber or Red, never twice, and again after a renewal lapses. */
describe("reminders", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    t = await createTestApp({ clock });
    for (const name of ["Fire Safety", "Moving and Handling", "Equality"]) {
      const [row] = await t.db("competencies").insert({ name: `NHS|CSTF|${name}|` }).returning("id");
      ids[name] = Number(row.id);
    }
    await buildLearner(t.db, t.clock);
    const position = await t.db("positions").where({ name: "Healthcare Assistant" }).first("id");
    await t.db("competence_requirements").insert(Object.values(ids).map((competencyId) => ({ position_id: position.id, competency_id: competencyId, essential: true })));
  });
  afterAll(() => t.cleanup());

  const record = (personId: number, competencyId: number, achievedOn: string, expiresOn: string) =>
    t.db("competence_records").insert({ person_id: personId, competency_id: competencyId, level: "1", achieved_on: achievedOn, expires_on: expiresOn, source: "manual", status: "approved", created_at: `${achievedOn}T00:00:00Z` });
  const send = (asOf: string) => sendReminders(t.db, t.clock, { asOf, publicUrl: "http://localhost:3000", graceDays: 0 });
  const mailTo = (email: string) => t.db("mail_outbox").where({ to_address: email }).orderBy("id");

  it("tells each change to Amber or Red once, with what to do, and tells again when a renewal lapses", async () => {
    const learner = await buildLearner(t.db, t.clock, { email: "reminded@example.org" });
    await record(learner.personId, ids["Fire Safety"]!, "2025-04-15", "2026-04-15"); // Amber on 1 March
    await record(learner.personId, ids["Moving and Handling"]!, "2024-01-01", "2030-01-01"); // Green
    // Equality never held: Red

    await send("2026-03-01");
    const [first, ...others] = await mailTo("reminded@example.org");
    expect(others).toEqual([]);
    expect(first.subject).toBe("297 Your mandatory training needs attention");
    expect(first.text_body).toContain("- NHS|CSTF|Fire Safety: expires on 15-Apr-2026");
    expect(first.text_body).toContain("- NHS|CSTF|Equality: not held");
    expect(first.text_body).toContain(`http://localhost:3000/compliance/competencies/${ids["Equality"]}/learning`);
    expect(first.text_body).not.toContain("Moving and Handling");

    await send("2026-03-01");
    await send("2026-03-20"); // nothing has changed: nothing more
    expect(await mailTo("reminded@example.org")).toHaveLength(1);

    await send("2026-04-15"); // Fire Safety expires: Amber -> Red
    const third = (await mailTo("reminded@example.org")).at(-1);
    expect(await mailTo("reminded@example.org")).toHaveLength(2);
    expect(third.text_body).toContain("- NHS|CSTF|Fire Safety: expired on 15-Apr-2026");
    expect(third.text_body).not.toContain("Equality");

    await record(learner.personId, ids["Fire Safety"]!, "2026-04-20", "2026-09-01"); // renewed: Green for now
    await send("2026-04-21");
    expect(await mailTo("reminded@example.org")).toHaveLength(2);
    await send("2026-06-15"); // the renewal turns Amber: told again
    expect(await mailTo("reminded@example.org")).toHaveLength(3);
    expect((await mailTo("reminded@example.org")).at(-1).text_body).toContain("- NHS|CSTF|Fire Safety: expires on 01-Sep-2026");

    // A run as of an earlier date would tell the same things again: refused, and nothing sent.
    await expect(send("2026-04-15")).rejects.toThrow("Reminders have been sent as of 15-Jun-2026 already");
    expect(await mailTo("reminded@example.org")).toHaveLength(3);
  });

  it("runs from the lms command, idempotently", async () => {
    await buildLearner(t.db, t.clock, { email: "cron@example.org" });
    const first = await lms({ ...t.env, LMS_NOW: "2026-07-01T06:00:00Z" }, "send-reminders");
    expect(first.stdout).toMatch(/^[1-9]\d* reminder\(s\) sent; \d+ status change\(s\) noted$/);
    expect(await mailTo("cron@example.org")).toEqual([expect.objectContaining({ status: "kept" })]);
    const again = await lms({ ...t.env, LMS_NOW: "2026-07-01T06:05:00Z" }, "send-reminders");
    expect(again.stdout).toBe("0 reminder(s) sent; 0 status change(s) noted");
  });
});

/** A new starter is told what is coming due, and by when, then told again of what they missed. */
describe("reminders for a new starter", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-02T09:00:00.000Z");
  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(() => t.cleanup());

  it("lists each essential competency not held yet with its due date, then each one missed as Red once, and a veteran's as plainly Red", async () => {
    const ids: Record<string, number> = {};
    for (const name of ["Fire Safety", "Information Governance", "Equality"]) {
      const [row] = await t.db("competencies").insert({ name: `NHS|CSTF|${name}|` }).returning("id");
      ids[name] = Number(row.id);
    }
    const starter = await buildLearner(t.db, t.clock, { email: "starter@example.org" });
    const veteran = await buildLearner(t.db, t.clock, { email: "veteran@example.org" });
    const position = await t.db("positions").where({ name: "Healthcare Assistant" }).first("id");
    // Information Governance within 14 days of starting; the others within the usual month; Equality is desirable only.
    await t.db("competence_requirements").insert([
      { position_id: position.id, competency_id: ids["Fire Safety"], essential: true },
      { position_id: position.id, competency_id: ids["Information Governance"], essential: true, due_within_days: 14 },
      { position_id: position.id, competency_id: ids["Equality"], essential: false },
    ]);
    await t.db("assignments").where({ person_id: starter.personId }).update({ start_date: "2026-03-01" });
    const send = (asOf: string) => sendReminders(t.db, t.clock, { asOf, publicUrl: "http://localhost:3000", graceDays: 0 });
    const mailTo = async (email: string) => (await t.db("mail_outbox").where({ to_address: email }).orderBy("id").select("text_body")).map((row) => String(row.text_body));

    await send("2026-03-02");
    const [welcome, ...none] = await mailTo("starter@example.org");
    expect(none).toEqual([]);
    expect(welcome).toContain("- NHS|CSTF|Fire Safety: not held yet; due by 31-Mar-2026, as you started in your role on 01-Mar-2026");
    expect(welcome).toContain("- NHS|CSTF|Information Governance: not held yet; due by 15-Mar-2026, as you started in your role on 01-Mar-2026");
    expect(welcome).not.toContain("Equality");
    // Someone with no start date has no grace: not held is Red from the first run.
    const [veteranMail] = await mailTo("veteran@example.org");
    expect(veteranMail).toContain("- NHS|CSTF|Fire Safety: not held\n");
    expect(veteranMail).not.toContain("due by");

    await send("2026-03-15"); // the last day for Information Governance: still coming due, nothing new
    expect(await mailTo("starter@example.org")).toHaveLength(1);
    await send("2026-03-16"); // Information Governance missed: told once, as Red
    const missed = (await mailTo("starter@example.org")).slice(1);
    expect(missed).toHaveLength(1);
    expect(missed[0]).toContain("- NHS|CSTF|Information Governance: not held; was due by 15-Mar-2026");
    expect(missed[0]).not.toContain("Fire Safety");
    await send("2026-03-20");
    expect(await mailTo("starter@example.org")).toHaveLength(2);
    expect(await t.db("reminder_state").where({ person_id: starter.personId }).orderBy("competency_id").pluck("status")).toEqual(["Due", "Red"]);
  });
});
