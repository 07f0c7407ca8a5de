import { isRowId, type Db } from "../db/connect.ts";

// The evidence_files rows: one per kept file, beside the competence record it backs. The files
// themselves, their checks and where they live on disk are evidence-files.ts's.

/** Writes the row of a file just kept under its random name, in the caller's transaction. */
export async function insertEvidenceFile(
  trx: Db,
  row: { competence_record_id: number; stored_name: string; original_name: string; content_type: string; size_bytes: number; sha256: string; uploaded_by: number | null; created_at: string },
): Promise<void> {
  await trx("evidence_files").insert(row);
}

export interface EvidenceFile {
  id: number;
  recordId: number;
  personId: number;
  storedName: string;
  originalName: string;
  contentType: string;
  sizeBytes: number;
}

/** One evidence file with whose record it backs. */
export async function evidenceFileById(db: Db, id: number): Promise<EvidenceFile | undefined> {
  if (!isRowId(id)) return undefined;
  const row = await db("evidence_files")
    .join("competence_records", "competence_records.id", "evidence_files.competence_record_id")
    .where("evidence_files.id", id)
    .first("evidence_files.*", "competence_records.person_id");
  return row && {
    id: Number(row.id),
    recordId: Number(row.competence_record_id),
    personId: Number(row.person_id),
    storedName: String(row.stored_name),
    originalName: String(row.original_name),
    contentType: String(row.content_type),
    sizeBytes: Number(row.size_bytes),
  };
}

/** A person's evidence files by the id of the record each backs. */
export async function evidenceFilesOf(db: Db, personId: number): Promise<Map<number, { id: number; name: string; sizeBytes: number }>> {
  const rows = await db("evidence_files")
    .join("competence_records", "competence_records.id", "evidence_files.competence_record_id")
    .where("competence_records.person_id", personId)
    .select("evidence_files.id", "evidence_files.competence_record_id", "evidence_files.original_name", "evidence_files.size_bytes");
  return new Map(rows.map((row) => [Number(row.competence_record_id), { id: Number(row.id), name: String(row.original_name), sizeBytes: Number(row.size_bytes) }]));
}

/** What one person keeps in evidence files now. */
export async function evidenceUse(db: Db, personId: number): Promise<{ files: number; bytes: number }> {
  const row = await db("evidence_files")
    .join("competence_records", "competence_records.id", "evidence_files.competence_record_id")
    .where("competence_records.person_id", personId)
    .first(db.raw("count(*) as files"), db.raw("coalesce(sum(evidence_files.size_bytes), 0) as bytes"));
  return { files: Number(row?.files ?? 0), bytes: Number(row?.bytes ?? 0) };
}
