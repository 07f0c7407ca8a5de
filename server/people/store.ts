import { searchKey } from "./names.ts";
import type { Db } from "../db/connect.ts";

/**
 * people.search_text is varchar(400), and a name's key can be far longer than the name (NFKD
 * spells "\uFDFA" as 18 letters): cut to fit, or PostgreSQL refuses the row with a 500
 * (found by test/reliability/fuzz-forms.test.ts). Search matches words, so the cut loses only a tail.
 */
const searchText = (text: string) => searchKey(text).slice(0, 400);

export interface Person {
  id: number;
  organisationId: number;
  employeeNumber: string;
  lastName: string;
  firstName: string;
  email: string;
  dateOfBirth: string;
}

export interface AssignmentView {
  id: number;
  number: string;
  positionId: number;
  positionName: string;
  isPrimary: boolean;
  /** When the person started in it (YYYY-MM-DD), if known: a new starter's requirements fall due from it. */
  startDate: string | null;
  /** The person they report to in it (ESR's supervisor), if any: "Last, First" and their employee number. */
  lineManager: { personId: number; name: string; employeeNumber: string } | null;
}

function toPerson(row: Record<string, unknown>): Person {
  return {
    id: Number(row.id),
    organisationId: Number(row.organisation_id),
    employeeNumber: String(row.employee_number),
    lastName: String(row.last_name),
    firstName: String(row.first_name),
    email: String(row.email),
    dateOfBirth: String(row.date_of_birth),
  };
}

export function createPeopleStore(db: Db) {
  return {
    /** Every position's name, of every organisation, for the forms that assign one. */
    async allPositionNames(): Promise<string[]> {
      return (await db("positions").orderBy("name").select("name")).map((row) => String(row.name));
    },

    async ensureOrganisation(vpd: string, name: string): Promise<number> {
      const existing = await db("organisations").where({ vpd }).first("id");
      if (existing) return Number(existing.id);
      const [row] = await db("organisations").insert({ vpd, name }).returning("id");
      return Number(row.id);
    },

    async organisationByVpd(vpd: string): Promise<{ id: number; vpd: string; name: string } | undefined> {
      const row = await db("organisations").where({ vpd }).first();
      return row ? { id: Number(row.id), vpd: String(row.vpd), name: String(row.name) } : undefined;
    },

    async organisations(): Promise<Array<{ id: number; vpd: string }>> {
      const rows = await db("organisations").orderBy("vpd");
      return rows.map((row) => ({ id: Number(row.id), vpd: String(row.vpd) }));
    },

    /** The organisation, when there is exactly one (a catalog file may then leave it out). */
    async soleOrganisation(): Promise<{ vpd: string; name: string } | undefined> {
      const rows = await db("organisations").orderBy("id").limit(2);
      return rows.length === 1 ? { vpd: String(rows[0].vpd), name: String(rows[0].name) } : undefined;
    },

    async personById(id: number): Promise<Person | undefined> {
      const row = await db("people").where({ id }).first();
      return row ? toPerson(row) : undefined;
    },

    async personByEmployeeNumber(employeeNumber: string): Promise<Person | undefined> {
      const row = await db("people").where({ employee_number: employeeNumber }).first();
      return row ? toPerson(row) : undefined;
    },

    /** The person with exactly this name, email and date of birth, when there is one. */
    async personIdByIdentity(identity: { lastName: string; firstName: string; email: string; dateOfBirth: string }): Promise<number | undefined> {
      const row = await db("people")
        .where({ last_name: identity.lastName, first_name: identity.firstName, date_of_birth: identity.dateOfBirth })
        .whereRaw("lower(email) = ?", [identity.email.trim().toLowerCase()])
        .first("id");
      return row ? Number(row.id) : undefined;
    },

    async highestEmployeeNumber(): Promise<number> {
      const rows = await db("people").select("employee_number");
      return rows.reduce((max, row) => Math.max(max, Number(row.employee_number) || 0), 0);
    },

    async insertPerson(person: Omit<Person, "id">, now: string): Promise<number> {
      const [row] = await db("people")
        .insert({
          organisation_id: person.organisationId,
          employee_number: person.employeeNumber,
          last_name: person.lastName,
          first_name: person.firstName,
          email: person.email,
          date_of_birth: person.dateOfBirth,
          search_text: searchText(`${person.lastName} ${person.firstName} ${person.employeeNumber}`),
          created_at: now,
        })
        .returning("id");
      return Number(row.id);
    },

    async updatePerson(id: number, changes: Pick<Person, "lastName" | "firstName" | "email" | "dateOfBirth">) {
      const { employee_number: employeeNumber } = await db("people").where({ id }).first("employee_number");
      await db("people").where({ id }).update({
        search_text: searchText(`${changes.lastName} ${changes.firstName} ${employeeNumber}`),
        last_name: changes.lastName,
        first_name: changes.firstName,
        email: changes.email,
        date_of_birth: changes.dateOfBirth,
      });
    },

    async positionByName(organisationId: number, name: string): Promise<number | undefined> {
      const row = await db("positions").where({ organisation_id: organisationId, name }).first("id");
      return row ? Number(row.id) : undefined;
    },

    async positionNames(organisationId: number): Promise<string[]> {
      const rows = await db("positions").where({ organisation_id: organisationId }).orderBy("name");
      return rows.map((row) => String(row.name));
    },

    /** The positions of the organisation with this VPD code. */
    async positionNamesOfVpd(vpd: string): Promise<string[]> {
      const rows = await db("positions").join("organisations", "organisations.id", "positions.organisation_id").where("organisations.vpd", vpd).select("positions.name");
      return rows.map((row) => String(row.name));
    },

    async assignmentByNumber(number: string) {
      const row = await db("assignments").where({ number }).first();
      return row ? { id: Number(row.id), personId: Number(row.person_id), positionId: Number(row.position_id) } : undefined;
    },

    /** Adds the assignment, or moves an existing number to this person and position; without a start date, an assignment keeps the one it has. */
    async upsertAssignment(assignment: { number: string; personId: number; positionId: number; isPrimary: boolean; startDate?: string | undefined }) {
      const values = {
        person_id: assignment.personId,
        position_id: assignment.positionId,
        is_primary: assignment.isPrimary,
        ...(assignment.startDate ? { start_date: assignment.startDate } : {}),
      };
      const updated = await db("assignments").where({ number: assignment.number }).update(values);
      if (updated === 0) await db("assignments").insert({ number: assignment.number, ...values });
    },

    /** Removes the person's assignment with this number; how many went (0 when they hold none such). */
    async deleteAssignment(personId: number, number: string): Promise<number> {
      return db("assignments").where({ person_id: personId, number }).delete();
    },

    /** The person's assignments in number order, each with whether it is the primary one. */
    async assignmentPrimacy(personId: number): Promise<Array<{ id: number; isPrimary: boolean }>> {
      const rows = await db("assignments").where({ person_id: personId }).orderBy("number").select("id", "is_primary");
      return rows.map((row) => ({ id: Number(row.id), isPrimary: Boolean(row.is_primary) }));
    },

    async makePrimary(assignmentId: number) {
      await db("assignments").where({ id: assignmentId }).update({ is_primary: true });
    },

    async assignmentsOf(personId: number): Promise<AssignmentView[]> {
      const rows = await db("assignments")
        .join("positions", "positions.id", "assignments.position_id")
        .leftJoin("people as managers", "managers.id", "assignments.line_manager_id")
        .where("assignments.person_id", personId)
        .orderBy([{ column: "assignments.is_primary", order: "desc" }, { column: "assignments.number" }])
        .select("assignments.id", "assignments.number", "assignments.position_id", "positions.name", "assignments.is_primary", "assignments.start_date",
          "assignments.line_manager_id", "managers.last_name as manager_last_name", "managers.first_name as manager_first_name", "managers.employee_number as manager_employee_number");
      return rows.map((row) => ({
        id: Number(row.id),
        number: String(row.number),
        positionId: Number(row.position_id),
        positionName: String(row.name),
        isPrimary: Boolean(row.is_primary),
        startDate: row.start_date ? String(row.start_date) : null,
        lineManager: row.line_manager_id === null || row.line_manager_id === undefined ? null
          : { personId: Number(row.line_manager_id), name: `${String(row.manager_last_name)}, ${String(row.manager_first_name)}`, employeeNumber: String(row.manager_employee_number) },
      }));
    },

    /** Sets who the holder of this assignment reports to in it; null: no one. */
    async setLineManager(assignmentNumber: string, lineManagerId: number | null): Promise<void> {
      await db("assignments").where({ number: assignmentNumber }).update({ line_manager_id: lineManagerId });
    },
  };
}

export type PeopleStore = ReturnType<typeof createPeopleStore>;
