import { addCompetenceRecord } from "../records/index.ts";
import { z } from "zod";
import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { isCalendarDate } from "../clock.ts";
import { AppError, notFound } from "../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { jsonPath } from "../catalog/index.ts";
import { guideDateTime } from "../format.ts";
import { containsNul } from "../format.ts";
import { approvedRecordsToExport, competencyIdsNamed, heldRecordKeys, personToExport, personToImportOnto } from "./record-transfer-reads.ts";

/**
 * Record transfer between organisations: a person's approved competence records leave one LMS as
 * a JSON file and arrive in another awaiting approval, where L&D check them like any competence
 * held from elsewhere. The file (README, "Competence records file"):
 *
 *     { "format": "lms-competence-records", "version": 1, "exportedAt": "2026-03-01T09:00:00.000Z",
 *       "organisation": { "vpd": "297", "name": "Demo NHS Foundation Trust" },
 *       "person": { "lastName": "Smith", "firstName": "Jane", "employeeNumber": "20000123", "dateOfBirth": "1990-02-03" },
 *       "records": [ { "competency": "NHS|CSTF|Fire Safety - 1 Year|", "level": "1 - Assessed",
 *                      "achievedOn": "2026-01-15", "expiresOn": "2027-01-15", "source": "certification" } ] }
 *
 * The date of birth is what tells the receiving trust the file is this person's: employee numbers
 * and usernames are each trust's own, and names change.
 */
export const RECORDS_FORMAT = "lms-competence-records";
export const RECORDS_FORMAT_VERSION = 1;

const date = (what: string) => z.string().refine(isCalendarDate, `${what} must be a date, YYYY-MM-DD`);

const recordSchema = z
  .object({
    competency: z.string().trim().min(1, "competency must name a competency").max(200),
    level: z.string().trim().min(1, "level must not be empty").max(100).regex(/^[^=+\-@\p{Cc}][^\p{Cc}]*$/u, "level must be text such as 1 - Assessed"),
    achievedOn: date("achievedOn"),
    expiresOn: date("expiresOn").nullable(),
    source: z.enum(["certification", "manual", "transfer"], "source must be certification, manual or transfer"),
  })
  .refine((record) => !record.expiresOn || !isCalendarDate(record.achievedOn) || record.expiresOn > record.achievedOn, { message: "expiresOn must come after achievedOn", path: ["expiresOn"] });

const fileSchema = z.object({
  format: z.literal(RECORDS_FORMAT),
  version: z.literal(RECORDS_FORMAT_VERSION),
  exportedAt: z.string().max(40),
  organisation: z.object({ vpd: z.string().regex(/^\d{3}$/, "vpd must be three digits"), name: z.string().min(1).max(200) }),
  person: z.object({
    lastName: z.string().min(1).max(100),
    firstName: z.string().min(1).max(100),
    employeeNumber: z.string().max(20),
    dateOfBirth: date("dateOfBirth"),
  }),
  records: z.array(recordSchema).max(1000, "a file holds at most 1,000 records"),
});

export type RecordsFile = z.infer<typeof fileSchema>;
type TransferredRecord = RecordsFile["records"][number];

/** The person's approved records as a transfer file. */
export async function exportRecords(db: Db, clock: Clock, input: { personId: number; actorAccountId: number | null; ip: string | null }): Promise<RecordsFile> {
  const person = await personToExport(db, input.personId);
  if (!person) throw notFound("That person");
  const rows = await approvedRecordsToExport(db, input.personId);
  const at = clock.now().toISOString();
  const file: RecordsFile = {
    format: RECORDS_FORMAT,
    version: RECORDS_FORMAT_VERSION,
    exportedAt: at,
    organisation: { vpd: person.vpd, name: person.organisationName },
    person: { lastName: person.lastName, firstName: person.firstName, employeeNumber: person.employeeNumber, dateOfBirth: person.dateOfBirth },
    records: rows.map((row) => ({ ...row, source: row.source as TransferredRecord["source"] })),
  };
  // Personal data leaving the LMS: who took it, and how much.
  await recordAudit(db, { kind: "competence.exported", at, actorAccountId: input.actorAccountId, personId: input.personId, ip: input.ip, detail: { records: file.records.length } });
  return file;
}

/** A name for the exported file, e.g. competence-records-20000123-2026-03-01.json. */
export function recordsFileName(file: RecordsFile): string {
  return `competence-records-${file.person.employeeNumber}-${file.exportedAt.slice(0, 10)}.json`.replace(/[^\w.-]+/g, "_");
}

/**
 * An uploaded records file's bytes as text. An exported file is UTF-8; other bytes were read as
 * U+FFFD and imported, garbling names in the evidence, so they are refused (found by
 * test/reliability/fuzz-uploads.test.ts).
 */
export function recordsFileText(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("transfer.not_utf8", "The file is not UTF-8 text, so it is not a competence records file this LMS exported; nothing was imported", 400);
  }
}

/** Reads a transfer file, naming every problem (with its JSON path) in one AppError. */
export function parseRecordsFile(text: string): RecordsFile {
  const { file, problems } = readRecordsFile(text);
  if (!file) throw new AppError("transfer.invalid", "The competence records file has problems; nothing was imported", 400, problems);
  return file;
}

/** The file's JSON, and the typed file when its shape is right; a file of another kind is refused at once. */
function readRecordsFile(text: string): { json: unknown; file?: RecordsFile; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new AppError("transfer.not_json", `The file is not JSON: ${(error as Error).message}`, 400);
  }
  // A "\u0000" in the JSON is a NUL in its text, which PostgreSQL cannot store: refused whole, not a 500 halfway.
  if (containsNul(json)) throw new AppError("transfer.nul_character", "The file contains a NUL character (\\u0000), which cannot be saved; nothing was imported", 400);
  const shape = json as { format?: unknown; version?: unknown } | null;
  if (typeof shape !== "object" || shape === null || Array.isArray(shape) || shape.format !== RECORDS_FORMAT) {
    throw new AppError("transfer.wrong_format", `The file is not a competence records file: its "format" must be "${RECORDS_FORMAT}" (export one from Verify a learner > Export competence records)`, 400);
  }
  if (shape.version !== RECORDS_FORMAT_VERSION) {
    throw new AppError("transfer.wrong_version", `The file is version ${JSON.stringify(shape.version)} of the competence records format; this LMS reads version ${RECORDS_FORMAT_VERSION}`, 400);
  }
  const parsed = fileSchema.safeParse(json);
  return parsed.success ? { json, file: parsed.data, problems: [] } : { json, problems: parsed.error.issues.map((issue) => `${jsonPath(issue.path) || "(file)"}: ${issue.message}`) };
}

export interface ImportResult {
  imported: TransferredRecord[];
  skipped: TransferredRecord[];
}

/**
 * Imports a transfer file onto a person: every record arrives awaiting approval (source
 * "transfer"), with evidence saying where it came from. All or nothing: a file for someone else
 * (another date of birth) or naming a competency unknown here stores nothing. A record the person
 * already has (same competency and date achieved) is skipped, so importing a file twice adds
 * nothing the second time.
 */
export async function importRecords(db: Db, clock: Clock, input: { personId: number; text: string; actorAccountId: number | null; ip: string | null }): Promise<ImportResult> {
  const { json, file, problems } = readRecordsFile(input.text);
  // The checks against this LMS read the records loosely, so one attempt lists every problem.
  const records = (Array.isArray((json as { records?: unknown }).records) ? (json as { records: unknown[] }).records : []).map((record) => (record && typeof record === "object" ? (record as Record<string, unknown>) : {}));
  const names = [...new Set(records.map((record) => record.competency).filter((name): name is string => typeof name === "string"))];
  const competencies = await competencyIdsNamed(db, names);
  const today = clock.today();
  records.forEach((record, index) => {
    if (typeof record.competency === "string" && record.competency.trim() && !competencies.has(record.competency)) problems.push(`records[${index}].competency: no competency here is named "${record.competency}"; add it to the catalog first`);
    if (typeof record.achievedOn === "string" && isCalendarDate(record.achievedOn) && record.achievedOn > today) problems.push(`records[${index}].achievedOn: ${record.achievedOn} is in the future`);
  });
  if (problems.length || !file) throw new AppError("transfer.invalid", "The competence records file has problems; nothing was imported", 400, problems);
  const person = await personToImportOnto(db, input.personId);
  if (!person) throw notFound("That person");
  if (file.person.dateOfBirth !== person.dateOfBirth) {
    throw new AppError("transfer.other_person", `The file is for ${file.person.lastName}, ${file.person.firstName}, whose date of birth is not ${person.lastName}, ${person.firstName}'s: it is someone else's record, so nothing was imported`, 400);
  }

  const at = clock.now().toISOString();
  const evidence = `Transferred from ${file.organisation.name} (VPD ${file.organisation.vpd}), employee number ${file.person.employeeNumber}, in a file exported ${Number.isNaN(Date.parse(file.exportedAt)) ? file.exportedAt : guideDateTime(file.exportedAt)}`;
  return db.transaction(async (trx) => {
    const held = await heldRecordKeys(trx, input.personId);
    const result: ImportResult = { imported: [], skipped: [] };
    const recordIds: number[] = [];
    for (const record of file.records) {
      const competencyId = competencies.get(record.competency)!;
      const key = `${competencyId}|${record.achievedOn}`;
      if (held.has(key)) {
        result.skipped.push(record);
        continue;
      }
      held.add(key);
      recordIds.push(await addCompetenceRecord(trx, { personId: input.personId, competencyId, level: record.level, achievedOn: record.achievedOn, expiresOn: record.expiresOn, source: "transfer", status: "awaiting_approval", evidence: `${evidence} (${record.source} there)`.slice(0, 2000), at }));
      result.imported.push(record);
    }
    await recordAudit(trx, {
      kind: "competence.imported",
      at,
      actorAccountId: input.actorAccountId,
      personId: input.personId,
      ip: input.ip,
      detail: { from: file.organisation, exportedAt: file.exportedAt, recordIds, skipped: result.skipped.length },
    });
    return result;
  });
}
