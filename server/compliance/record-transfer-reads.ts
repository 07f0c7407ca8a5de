import type { Db } from "../db/connect.ts";

// What record transfer reads (record-transfer.ts): the person and their approved records for a
// file leaving, and for a file arriving the competencies it names and what the person holds
// already. The records it adds are written by server/records/.

/** The person as an exported file names them, with their organisation. */
export async function personToExport(db: Db, personId: number): Promise<{ vpd: string; organisationName: string; lastName: string; firstName: string; employeeNumber: string; dateOfBirth: string } | undefined> {
  const person = await db("people").join("organisations", "organisations.id", "people.organisation_id").where("people.id", personId).first("people.*", "organisations.vpd", "organisations.name as organisation_name");
  return person && {
    vpd: String(person.vpd),
    organisationName: String(person.organisation_name),
    lastName: String(person.last_name),
    firstName: String(person.first_name),
    employeeNumber: String(person.employee_number),
    dateOfBirth: String(person.date_of_birth),
  };
}

/** The person's approved records as a file lists them: by competency, then date achieved. */
export async function approvedRecordsToExport(db: Db, personId: number): Promise<Array<{ competency: string; level: string; achievedOn: string; expiresOn: string | null; source: string }>> {
  const rows = await db("competence_records")
    .join("competencies", "competencies.id", "competence_records.competency_id")
    .where({ "competence_records.person_id": personId, "competence_records.status": "approved" })
    .orderBy([{ column: "competencies.name" }, { column: "competence_records.achieved_on" }, { column: "competence_records.id" }])
    .select("competencies.name", "competence_records.level", "competence_records.achieved_on", "competence_records.expires_on", "competence_records.source");
  return rows.map((row) => ({ competency: String(row.name), level: String(row.level), achievedOn: String(row.achieved_on), expiresOn: row.expires_on ?? null, source: String(row.source) }));
}

/** Of these competency names, those known here, with their ids. */
export async function competencyIdsNamed(db: Db, names: string[]): Promise<Map<string, number>> {
  return new Map((await db("competencies").whereIn("name", names).select("id", "name")).map((row) => [String(row.name), Number(row.id)]));
}

/** The person a file is imported onto: their date of birth tells whether the file is theirs. */
export async function personToImportOnto(db: Db, personId: number): Promise<{ dateOfBirth: string; lastName: string; firstName: string } | undefined> {
  const person = await db("people").where({ id: personId }).first("id", "date_of_birth", "last_name", "first_name");
  return person && { dateOfBirth: String(person.date_of_birth), lastName: String(person.last_name), firstName: String(person.first_name) };
}

/** The records the person holds already, any status, as "competencyId|achievedOn". */
export async function heldRecordKeys(db: Db, personId: number): Promise<Set<string>> {
  return new Set((await db("competence_records").where({ person_id: personId }).select("competency_id", "achieved_on")).map((row) => `${Number(row.competency_id)}|${String(row.achieved_on)}`));
}
