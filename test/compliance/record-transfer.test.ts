import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { listAudit } from "../../server/audit/store.ts";

const FIRE = "NHS|CSTF|Fire Safety - 2 Years|";
const HANDS = "NHS|CSTF|Infection Prevention and Control - Level 1 - 3 Years|";

/** A trust with the two competencies, a position needing Fire Safety, and an L&D administrator. */
async function trust(t: TestApp) {
  const ids: Record<string, number> = {};
  for (const name of [FIRE, HANDS]) ids[name] = Number((await t.db("competencies").insert({ name }).returning("id"))[0].id);
  await t.db("certifications").insert({ name: "297 Core Skills - Fire Safety - 2 Years", competency_id: ids[FIRE], competence_level: "1 - Assessed", valid_days: 730, complete_within_days: 30, renewable: true });
  await buildLearner(t.db, t.clock); // the organisation and the position
  const position = await t.db("positions").where({ name: "Healthcare Assistant" }).first("id");
  await t.db("competence_requirements").insert({ position_id: position.id, competency_id: ids[FIRE], essential: true });
  const staff = await buildLearner(t.db, t.clock, { role: "admin", name: "Admin, Lee" });
  const admin = await logInAgent(t.app, staff.username, staff.password);
  return { ids, admin };
}

type Agent = Awaited<ReturnType<typeof logInAgent>>;

/** Record transfer: one trust exports a person's approved records; another imports them, awaiting approval. */
describe("competence records moving between organisations", () => {
  let from: TestApp;
  let to: TestApp;
  let exported: string;
  let target: { personId: number; username: string; password: string };
  let toAdmin: Agent;
  let csrf: string;
  beforeAll(async () => {
    from = await createTestApp();
    to = await createTestApp({ now: "2026-04-01T09:00:00Z" });
    await trust(to).then(({ admin }) => (toAdmin = admin));
    target = await buildLearner(to.db, to.clock, { name: "Jones, Jane" }); // married since; born on the same day
    csrf = csrfFrom((await toAdmin.get(`/admin/people/${target.personId}`).expect(200)).text);
  });
  afterAll(async () => {
    await from.cleanup();
    await to.cleanup();
  });

  const importFile = (personId: number, text: string, name = "records.json") =>
    toAdmin.post(`/admin/people/${personId}/records/import`).field("_csrf", csrf).set("Accept", "application/json").attach("file", Buffer.from(text, "utf8"), name);
  const recordsOf = (personId: number) => to.db("competence_records").where({ person_id: personId }).orderBy("id");
  const fireStatus = async (agent: Agent) => /data-competency="NHS\|CSTF\|Fire Safety - 2 Years\|"[^>]*>[\s\S]*?app-status--\w+">(\w+)</.exec((await agent.get("/compliance").expect(200)).text)?.[1];

  it("exports the approved records as a documented JSON file, as an attachment", async () => {
    const { ids, admin } = await trust(from);
    const learner = await buildLearner(from.db, from.clock, { name: "Smith, Jane", dob: "1990-02-03" });
    await from.db("organisations").update({ vpd: "456", name: "Leeds Teaching Hospitals NHS Trust" }); // another trust than the importing one
    const record = (competency: string, status: string, achieved: string, expires: string | null, source = "certification") =>
      ({ person_id: learner.personId, competency_id: ids[competency], level: "1 - Assessed", achieved_on: achieved, expires_on: expires, source, status, created_at: "2026-01-01T00:00:00Z" });
    await from.db("competence_records").insert([
      record(FIRE, "approved", "2025-06-01", "2027-06-01"),
      record(HANDS, "approved", "2025-09-10", null, "manual"),
      record(FIRE, "awaiting_approval", "2026-02-01", "2028-02-01", "manual"),
      record(HANDS, "rejected", "2026-01-05", null, "manual"),
    ]);
    const person = await from.db("people").where({ id: learner.personId }).first("employee_number");

    const page = (await admin.get(`/admin/people/${learner.personId}`).expect(200)).text;
    expect(page).toContain(`href="/admin/people/${learner.personId}/records/export.json"`);
    expect(page).toContain("Import competence records");
    const response = await admin.get(`/admin/people/${learner.personId}/records/export.json`).expect(200).expect("Content-Type", /^application\/json/);
    expect(response.headers["content-disposition"]).toBe(`attachment; filename=competence-records-${person.employee_number}-2026-03-01.json`);
    expect(response.headers["cache-control"]).toBe("no-store");
    exported = response.text;
    expect(JSON.parse(exported)).toEqual({
      format: "lms-competence-records",
      version: 1,
      exportedAt: "2026-03-01T09:00:00.000Z",
      organisation: { vpd: "456", name: "Leeds Teaching Hospitals NHS Trust" },
      person: { lastName: "Smith", firstName: "Jane", employeeNumber: person.employee_number, dateOfBirth: "1990-02-03" },
      records: [
        { competency: FIRE, level: "1 - Assessed", achievedOn: "2025-06-01", expiresOn: "2027-06-01", source: "certification" },
        { competency: HANDS, level: "1 - Assessed", achievedOn: "2025-09-10", expiresOn: null, source: "manual" },
      ],
    });
    expect((await listAudit(from.db, { kind: "competence.exported", personId: learner.personId }))[0]?.detail).toEqual({ records: 2 });
  });

  it("imports them elsewhere awaiting approval, where they count only once approved", async () => {
    const learner = await logInAgent(to.app, target.username, target.password);
    expect(await fireStatus(learner)).toBe("Red");
    const page = await importFile(target.personId, exported).set("Accept", "text/html").expect(200);
    expect(page.text).toContain("2 record(s) imported for Jones, Jane, each Awaiting Approval");

    const records = await recordsOf(target.personId);
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record).toMatchObject({ source: "transfer", status: "awaiting_approval" });
      expect(record.evidence).toContain("Transferred from Leeds Teaching Hospitals NHS Trust (VPD 456)");
    }
    expect(records.map((record) => [record.achieved_on, record.expires_on])).toEqual([["2025-06-01", "2027-06-01"], ["2025-09-10", null]]);
    expect(await fireStatus(learner)).toBe("Red"); // awaiting approval counts for nothing
    expect((await learner.get("/compliance?tab=awaiting").expect(200)).text).toContain("01-Jun-2025");
    const [imported] = await listAudit(to.db, { kind: "competence.imported", personId: target.personId });
    expect(imported?.detail).toMatchObject({ from: { vpd: "456", name: "Leeds Teaching Hospitals NHS Trust" }, recordIds: records.map((record) => Number(record.id)), skipped: 0 });

    const fire = records.find((record) => record.achieved_on === "2025-06-01")!;
    expect((await toAdmin.get("/admin/approvals").expect(200)).text).toContain("Transferred from Leeds Teaching Hospitals NHS Trust");
    await toAdmin.post(`/admin/approvals/${fire.id}/approve`).type("form").send({ _csrf: csrf }).expect(303);
    expect(await fireStatus(learner)).toBe("Green");
  });

  it("imports the same file again without duplicating a record", async () => {
    const before = await recordsOf(target.personId);
    const again = await importFile(target.personId, exported).set("Accept", "text/html").expect(200);
    expect(again.text).toContain("0 record(s) imported");
    expect(again.text).toContain("2 already held, skipped");
    expect(await recordsOf(target.personId)).toEqual(before);
  });

  it("refuses a file whose date of birth is not the person's: it is someone else's", async () => {
    const other = await buildLearner(to.db, to.clock, { name: "Smith, Joan", dob: "1985-07-07" });
    const refused = await importFile(other.personId, exported).expect(400);
    expect(refused.body.error.code).toBe("transfer.other_person");
    expect(refused.body.error.message).toBe("The file is for Smith, Jane, whose date of birth is not Smith, Joan's: it is someone else's record, so nothing was imported");
    expect(await recordsOf(other.personId)).toEqual([]);
  });

  describe("a file with a problem stores nothing and names the problem", () => {
    let person: { personId: number };
    beforeAll(async () => {
      person = await buildLearner(to.db, to.clock);
    });
    const withFile = (change: (file: any) => void) => {
      const file = JSON.parse(exported);
      change(file);
      return JSON.stringify(file);
    };
    const refusal = async (text: string) => {
      const response = await importFile(person.personId, text).expect(400);
      expect(await recordsOf(person.personId)).toEqual([]);
      return response.body.error as { code: string; message: string; details: string[] };
    };

    it("names each competency this LMS does not have", async () => {
      const error = await refusal(withFile((file) => { file.records[1].competency = "NHS|CSTF|Made Up|"; }));
      expect(error.message).toContain("The competence records file has problems; nothing was imported");
      expect(error.details).toEqual(['records[1].competency: no competency here is named "NHS|CSTF|Made Up|"; add it to the catalog first']);
    });

    it("lists every problem at once: unknown competencies beside bad dates, future dates, odd levels and sources", async () => {
      const error = await refusal(
        withFile((file) => {
          file.records[0].competency = "NHS|CSTF|Made Up|";
          file.records[0].achievedOn = "2026-02-30";
          file.records[1].achievedOn = "2030-01-01";
          file.records[1].expiresOn = null;
          file.records[1].level = "=1+1";
          file.records[1].source = "=evil";
        }),
      );
      expect(error.details).toEqual(
        expect.arrayContaining([
          "records[0].achievedOn: achievedOn must be a date, YYYY-MM-DD",
          'records[0].competency: no competency here is named "NHS|CSTF|Made Up|"; add it to the catalog first',
          "records[1].achievedOn: 2030-01-01 is in the future",
          "records[1].level: level must be text such as 1 - Assessed",
          "records[1].source: source must be certification, manual or transfer",
        ]),
      );
    });

    it("says when it is not JSON", async () => {
      const error = await refusal("{ this is not json");
      expect(error.code).toBe("transfer.not_json");
      expect(error.message).toMatch(/^The file is not JSON: /);
    });

    it("says when it is JSON of another kind, or another version of the format", async () => {
      expect((await refusal(JSON.stringify({ organisation: { vpd: "297" } }))).message).toContain('its "format" must be "lms-competence-records"');
      expect((await refusal("[]")).code).toBe("transfer.wrong_format");
      expect((await refusal(withFile((file) => { file.version = 2; }))).message).toBe("The file is version 2 of the competence records format; this LMS reads version 1");
    });

    it("names each bad date and missing field with its place in the file", async () => {
      const error = await refusal(withFile((file) => {
        file.records[0].achievedOn = "2025-02-30";
        file.records[1].expiresOn = "10/09/2027";
        file.records.push({ ...file.records[0], achievedOn: "2025-06-01", expiresOn: "2024-01-01" });
        delete file.person.dateOfBirth;
      }));
      expect(error.code).toBe("transfer.invalid");
      expect(error.details).toEqual(expect.arrayContaining([
        "records[0].achievedOn: achievedOn must be a date, YYYY-MM-DD",
        "records[1].expiresOn: expiresOn must be a date, YYYY-MM-DD",
        "records[2].expiresOn: expiresOn must come after achievedOn",
        expect.stringMatching(/^person\.dateOfBirth: /),
      ]));
    });

    it("asks for a file when none is sent", async () => {
      const response = await toAdmin.post(`/admin/people/${person.personId}/records/import`).set("Accept", "application/json").type("form").send({ _csrf: csrf }).expect(400);
      expect(response.body.error.message).toBe("Choose the competence records file (.json) to import");
    });
  });

  it("is for L&D only: a learner can neither export nor import", async () => {
    const learner = await logInAgent(to.app, target.username, target.password);
    const learnerCsrf = csrfFrom((await learner.get("/compliance?tab=awaiting").expect(200)).text);
    await learner.get(`/admin/people/${target.personId}/records/export.json`).expect(403);
    const before = await recordsOf(target.personId);
    await learner.post(`/admin/people/${target.personId}/records/import`).field("_csrf", learnerCsrf).attach("file", Buffer.from(exported), "records.json").expect(403);
    expect(await recordsOf(target.personId)).toEqual(before);
  });
});
