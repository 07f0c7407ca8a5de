import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../support/test-db.ts";
import { connectDb, isPostgres, type Db } from "../../server/db/connect.ts";

/**
 * requirement_holdings is kept by database triggers (migration 18). After every kind of change to
 * the tables it is made from, it must equal what a from-scratch computation of those tables says.
 */
describe("requirement_holdings", () => {
  let t: TestDb;
  let ids: { organisation: number; nurse: number; porter: number; fire: number; manual: number; ipc: number };
  let person: number;
  let other: number;

  beforeAll(async () => {
    t = await createTestDb();
    const [organisation] = await t.db("organisations").insert({ vpd: "297", name: "Holdings Trust" }).returning("id");
    const organisationId = Number(organisation.id);
    const [nurse, porter] = (await t.db("positions").insert([{ organisation_id: organisationId, name: "Nurse" }, { organisation_id: organisationId, name: "Porter" }]).returning("id")).map((row: { id: number }) => Number(row.id)) as [number, number];
    const [fire, manual, ipc] = (await t.db("competencies").insert(["Fire", "Manual Handling", "IPC"].map((name) => ({ name: `NHS|CSTF|${name}|` }))).returning("id")).map((row: { id: number }) => Number(row.id)) as [number, number, number];
    ids = { organisation: organisationId, nurse, porter, fire, manual, ipc };
    person = await addPerson("10000001");
    other = await addPerson("10000002");
  });
  afterAll(() => t.cleanup());

  async function addPerson(employeeNumber: string): Promise<number> {
    const [row] = await t.db("people").insert({ organisation_id: ids.organisation, employee_number: employeeNumber, last_name: "Held", first_name: "Hana", email: `${employeeNumber}@example.org`, date_of_birth: "1990-01-01", created_at: "2026-01-01T00:00:00Z" }).returning("id");
    return Number(row.id);
  }

  function record(personId: number, competencyId: number, achievedOn: string, expiresOn: string | null, status = "approved") {
    return { person_id: personId, competency_id: competencyId, level: "1 - Assessed", achieved_on: achievedOn, expires_on: expiresOn, source: "manual", status, created_at: "2026-01-01T00:00:00Z" };
  }

  it("starts each new assignment with a row per requirement of its position, holding the records already held", async () => {
    await t.db("competence_requirements").insert([
      { position_id: ids.nurse, competency_id: ids.fire, essential: true },
      { position_id: ids.nurse, competency_id: ids.manual, essential: false },
      { position_id: ids.porter, competency_id: ids.fire, essential: true },
    ]);
    await t.db("competence_records").insert(record(person, ids.fire, "2025-01-01", "2028-01-01"));
    await t.db("assignments").insert([{ number: "A1", person_id: person, position_id: ids.nurse }, { number: "B1", person_id: other, position_id: ids.nurse }]);
    await expectAgreement(t.db);
    expect(await t.db("requirement_holdings").select("assignment_id")).toHaveLength(4); // two nurses, two requirements each
    expect(await heldUntil(person, ids.fire)).toEqual(["2028-01-01"]);
  });

  it("follows records as they are added, renewed, decided, moved and removed", async () => {
    await t.db("competence_records").insert(record(person, ids.fire, "2024-01-01", "2027-01-01")); // older, shorter: the best stands
    expect(await heldUntil(person, ids.fire)).toEqual(["2028-01-01"]);
    const [renewal] = await t.db("competence_records").insert(record(person, ids.fire, "2026-02-01", "2029-02-01")).returning("id");
    expect(await heldUntil(person, ids.fire)).toEqual(["2029-02-01"]);
    await expectAgreement(t.db);

    await t.db("competence_records").where({ id: Number(renewal.id) }).update({ status: "rejected" });
    expect(await heldUntil(person, ids.fire)).toEqual(["2028-01-01"]);
    const [pending] = await t.db("competence_records").insert(record(person, ids.manual, "2026-01-05", null, "awaiting_approval")).returning("id");
    expect(await heldUntil(person, ids.manual)).toEqual([null]);
    await t.db("competence_records").where({ id: Number(pending.id) }).update({ status: "approved" });
    expect(await heldUntil(person, ids.manual)).toEqual(["9999-12-31"]); // never expires
    await t.db("competence_records").where({ id: Number(pending.id) }).update({ person_id: other });
    expect(await heldUntil(person, ids.manual)).toEqual([null]);
    expect(await heldUntil(other, ids.manual)).toEqual(["9999-12-31"]);
    await expectAgreement(t.db);

    await t.db("competence_records").where({ person_id: person, competency_id: ids.fire }).delete();
    expect(await heldUntil(person, ids.fire)).toEqual([null]);
    await t.db("competence_records").insert(record(person, ids.fire, "2025-06-01", "2028-06-01"));
    await expectAgreement(t.db);
  });

  it("follows assignments moved between positions and people, and removed", async () => {
    const [assignment] = await t.db("assignments").insert({ number: "A2", person_id: person, position_id: ids.porter }).returning("id");
    await expectAgreement(t.db);
    await t.db("assignments").where({ id: Number(assignment.id) }).update({ position_id: ids.nurse });
    await expectAgreement(t.db);
    await t.db("assignments").where({ id: Number(assignment.id) }).update({ person_id: other });
    await expectAgreement(t.db);
    await t.db("assignments").where({ id: Number(assignment.id) }).delete();
    await expectAgreement(t.db);
    expect(await t.db("requirement_holdings").where({ assignment_id: Number(assignment.id) })).toEqual([]);
  });

  it("follows requirements added, made essential or not, moved and removed", async () => {
    const [requirement] = await t.db("competence_requirements").insert({ position_id: ids.nurse, competency_id: ids.ipc, essential: true }).returning("id");
    await t.db("competence_records").insert(record(other, ids.ipc, "2026-01-10", "2027-01-10"));
    await expectAgreement(t.db);
    await t.db("competence_requirements").where({ id: Number(requirement.id) }).update({ essential: false });
    await expectAgreement(t.db);
    await t.db("competence_requirements").where({ id: Number(requirement.id) }).update({ min_level: "2 - Practitioner" }); // not a change the rows hold
    await expectAgreement(t.db);
    await t.db("competence_requirements").where({ id: Number(requirement.id) }).update({ position_id: ids.porter, essential: true });
    await expectAgreement(t.db);
    await t.db("competence_requirements").where({ id: Number(requirement.id) }).update({ competency_id: ids.manual });
    await expectAgreement(t.db);
    await t.db("competence_requirements").where({ id: Number(requirement.id) }).delete();
    await expectAgreement(t.db);
  });

  it("loses a person's rows with the person, and a position's with the position", async () => {
    const leaver = await addPerson("10000003");
    await t.db("assignments").insert({ number: "C1", person_id: leaver, position_id: ids.nurse });
    await t.db("competence_records").insert(record(leaver, ids.fire, "2025-01-01", "2028-01-01"));
    await t.db("people").where({ id: leaver }).delete();
    await expectAgreement(t.db);
    await t.db("assignments").where({ position_id: ids.porter }).delete();
    await t.db("positions").where({ id: ids.porter }).delete();
    await expectAgreement(t.db);
    expect(await t.db("requirement_holdings").where({ position_id: ids.porter })).toEqual([]);
  });

  // SQLite has one writer at a time; only PostgreSQL runs two of these changes side by side.
  it.skipIf(!process.env.DATABASE_URL)("holds when a requirement is added while a record is being credited (PostgreSQL)", async () => {
    expect(isPostgres(t.db)).toBe(true);
    const second = connectDb({ databaseUrl: t.env.DATABASE_URL });
    try {
      const joiner = await addPerson("10000004");
      await t.db("assignments").insert({ number: "D1", person_id: joiner, position_id: ids.nurse });
      const [competency] = await t.db("competencies").insert({ name: "NHS|CSTF|Resuscitation|" }).returning("id");
      const resuscitation = Number(competency.id);

      // A catalog change adds the requirement but has not committed when the record arrives.
      const catalog = await t.db.transaction();
      await catalog("competence_requirements").insert({ position_id: ids.nurse, competency_id: resuscitation, essential: true });
      const crediting = second("competence_records").insert(record(joiner, resuscitation, "2026-02-01", "2029-02-01")).then(() => "credited"); // then() sends it now
      await new Promise((resolve) => setTimeout(resolve, 200)); // let the record's insert reach its lock
      await catalog.commit();
      await crediting;
      expect(await heldUntil(joiner, resuscitation)).toEqual(["2029-02-01"]);

      // A new assignment being made while a requirement of its position is added.
      const mover = await addPerson("10000005");
      const [competency2] = await t.db("competencies").insert({ name: "NHS|CSTF|Safeguarding|" }).returning("id");
      const people = await t.db.transaction();
      await people("assignments").insert({ number: "E1", person_id: mover, position_id: ids.nurse });
      const requirement = second("competence_requirements").insert({ position_id: ids.nurse, competency_id: Number(competency2.id), essential: true }).then(() => "added");
      await new Promise((resolve) => setTimeout(resolve, 200));
      await people.commit();
      await requirement;
      await expectAgreement(t.db);
      expect(await heldUntil(mover, Number(competency2.id))).toEqual([null]);
    } finally {
      await second.destroy();
    }
  });

  async function heldUntil(personId: number, competencyId: number): Promise<Array<string | null>> {
    const rows = await t.db("requirement_holdings").join("assignments", "assignments.id", "requirement_holdings.assignment_id").where({ "assignments.person_id": personId, "requirement_holdings.competency_id": competencyId }).select("held_until");
    return rows.map((row) => row.held_until);
  }
});

/** The table as the tables it is made from say it should be, worked out here in plain code. */
async function expectAgreement(db: Db): Promise<void> {
  const assignments = await db("assignments").select("id", "person_id", "position_id");
  const requirements = await db("competence_requirements").select("position_id", "competency_id", "essential");
  const records = await db("competence_records").where({ status: "approved" }).select("person_id", "competency_id", "achieved_on", "expires_on");
  const expected = assignments.flatMap((assignment) =>
    requirements
      .filter((requirement) => requirement.position_id === assignment.position_id)
      .map((requirement) => {
        const held = records.filter((row) => row.person_id === assignment.person_id && row.competency_id === requirement.competency_id);
        return {
          assignment_id: Number(assignment.id),
          competency_id: Number(requirement.competency_id),
          position_id: Number(requirement.position_id),
          essential: Boolean(requirement.essential),
          held_until: held.length ? held.map((row) => row.expires_on ?? "9999-12-31").sort().at(-1) : null,
          latest_achieved_on: held.length ? held.map((row) => row.achieved_on).sort().at(-1) : null,
        };
      }),
  );
  const actual = (await db("requirement_holdings").select("*")).map((row) => ({ ...row, assignment_id: Number(row.assignment_id), competency_id: Number(row.competency_id), position_id: Number(row.position_id), essential: Boolean(row.essential) }));
  const order = (a: { assignment_id: number; competency_id: number }, b: { assignment_id: number; competency_id: number }) => a.assignment_id - b.assignment_id || a.competency_id - b.competency_id;
  expect(actual.sort(order)).toEqual(expected.sort(order));
  expect(expected.length).toBeGreaterThan(0);
}
