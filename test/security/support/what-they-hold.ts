// What a person holds, as the other-learners probe (other-learners-ids.test.ts) compares it before
// and after another's request, and what an answer says, read as its reader would.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { TestApp } from "../../support/test-app.ts";
import { pdfPages } from "../../support/pdf.ts";
import { tableCounts } from "../../reliability/fuzz-support.ts";

/** The columns by which a row points at a person or at one of their own objects. */
const OWNER_COLUMNS = ["person_id", "attempt_id", "subscription_id", "enrolment_id", "competence_record_id", "assignment_id"];

/** Each table's owner columns, read once: the schema stays as migrated while the file runs (reading it twice a request was slow on PostgreSQL). */
let ownerColumnsRead: Promise<Record<string, string[]>> | undefined;
function ownerColumns(t: TestApp): Promise<Record<string, string[]>> {
  ownerColumnsRead ??= (async () => {
    const tables = Object.keys(await tableCounts(t.db));
    return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, Object.keys(await t.db(table).columnInfo()).filter((column) => OWNER_COLUMNS.includes(column))] as const)));
  })();
  return ownerColumnsRead;
}

/** Every row of the person's: theirs and those of any table pointing at them or at their attempts, subscriptions, enrolments, records or assignments; mail to them; their evidence files' bytes. */
export async function everythingOf(t: TestApp, person: { personId: number; email: string }): Promise<Record<string, unknown>> {
  const idsIn = async (table: string) => (await t.db(table).where({ person_id: person.personId }).pluck("id")).map(Number);
  const owners: Record<string, number[]> = {
    person_id: [person.personId],
    attempt_id: await idsIn("attempts"),
    subscription_id: await idsIn("subscriptions"),
    enrolment_id: await idsIn("enrolments"),
    competence_record_id: await idsIn("competence_records"),
    assignment_id: await idsIn("assignments"),
  };
  const rows: Record<string, string[]> = {};
  for (const [table, columns] of Object.entries(await ownerColumns(t))) {
    const query =
      table === "people" ? t.db(table).where({ id: person.personId })
      : table === "mail_outbox" ? t.db(table).where({ to_address: person.email })
      : columns.length ? t.db(table).where((where) => { for (const column of columns) where.orWhereIn(column, owners[column]!); })
      : undefined;
    if (query) rows[table] = (await query).map((row) => JSON.stringify(row)).sort();
  }
  const evidence = path.join(t.config.dataDir, "evidence");
  const files = await t.db("evidence_files").whereIn("competence_record_id", owners.competence_record_id!).pluck("stored_name");
  const bytes = files.map((name: string) => [name, fs.existsSync(path.join(evidence, name)) ? crypto.createHash("sha256").update(fs.readFileSync(path.join(evidence, name))).digest("hex") : "missing"]);
  return { ...rows, evidenceBytes: bytes };
}

/** What an answer says, whatever it is: a page, JSON, a file's bytes, a PDF's text as a reader sees it. */
export async function answerText(bytes: Buffer): Promise<string> {
  const text = bytes.toString("utf8");
  return text.startsWith("%PDF") ? `${text} ${(await pdfPages(bytes).catch(() => [])).join(" ")}` : text;
}

/** Which of these the text holds (words in any case). */
export const shownOf = (text: string, secrets: Array<string | RegExp>) =>
  secrets.filter((secret) => (typeof secret === "string" ? text.toLowerCase().includes(secret.toLowerCase()) : secret.test(text))).map(String);

