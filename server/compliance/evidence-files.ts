import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { insertEvidenceFile } from "./evidence-store.ts";

/** The largest evidence file accepted: a scanned certificate or a photo of one. */
export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;

/**
 * The kinds of file accepted, each known by its first bytes: a name or a browser's declared type
 * says nothing about what a file is (an .exe or an HTML page renamed .pdf is still one).
 */
const KINDS = [
  { contentType: "application/pdf", extension: ".pdf", names: [".pdf"], magic: Buffer.from("%PDF-", "latin1") },
  { contentType: "image/png", extension: ".png", names: [".png"], magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { contentType: "image/jpeg", extension: ".jpg", names: [".jpg", ".jpeg"], magic: Buffer.from([0xff, 0xd8, 0xff]) },
] as const;

export type EvidenceKind = (typeof KINDS)[number];

/** A file as it arrived: in a temporary place, under the name the learner's computer gave it. */
export interface EvidenceUpload {
  tempPath: string;
  originalName: string;
  size: number;
}

export interface CheckedEvidence extends EvidenceUpload {
  kind: EvidenceKind;
}

/** What kind of file these first bytes begin, if one accepted. */
export function evidenceKindOf(head: Buffer): EvidenceKind | undefined {
  return KINDS.find((kind) => head.subarray(0, kind.magic.length).equals(kind.magic));
}

/** An uploaded file checked by its first bytes: what kind it is, or the problem in words for the person who chose it. */
export function checkEvidenceFile(upload: EvidenceUpload): { problem: string } | { checked: CheckedEvidence } {
  const extension = path.extname(upload.originalName).toLowerCase();
  if (upload.size === 0) return { problem: "The evidence file is empty: choose the PDF, PNG or JPEG file again" };
  if (upload.size > EVIDENCE_MAX_BYTES) return { problem: `The evidence file must be ${EVIDENCE_MAX_BYTES / 1024 / 1024} MB or smaller` };
  const head = Buffer.alloc(16);
  const fd = fs.openSync(upload.tempPath, "r");
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  const kind = evidenceKindOf(head);
  if (!kind || !KINDS.some((candidate) => (candidate.names as readonly string[]).includes(extension))) {
    return { problem: `The evidence file must be a PDF, PNG or JPEG: "${safeFilename(upload.originalName)}" is not one` };
  }
  return { checked: { ...upload, kind } };
}

/** A name that is safe in a Content-Disposition header and on any file system, keeping the type's extension. */
export function safeFilename(name: string, kind?: EvidenceKind): string {
  const base = path.basename(name.replace(/\\/g, "/"));
  const stem = (kind ? base.slice(0, base.length - path.extname(base).length) : base)
    .normalize("NFC")
    // Letters of any language stay (the browser sends them as UTF-8; express writes filename* for them); anything else that could break a header or a path does not.
    .replace(/[^\p{L}\p{M}\p{N}_ .()-]+/gu, "_")
    .replace(/^[.\s]+/, "")
    .slice(0, 100)
    .trim();
  return `${stem || "evidence"}${kind ? kind.extension : ""}`;
}

/**
 * Where evidence files live: DATA_DIR/evidence/<random hex>, never under the uploaded name, and
 * uploads arrive in .uploads beside them (one file system, so keeping one is a rename).
 */
export function createEvidenceStorage(dataDir: string) {
  const root = path.join(dataDir, "evidence");
  const uploads = path.join(root, ".uploads");
  const pathOf = (storedName: string) => {
    if (!/^[0-9a-f]{32}$/.test(storedName)) throw new AppError("evidence.bad_name", "That evidence file is not stored here", 404);
    return path.join(root, storedName);
  };
  return {
    root,
    uploads,
    pathOf,
    /** Moves a checked upload to its random name; returns that name. */
    keep(upload: CheckedEvidence): string {
      fs.mkdirSync(root, { recursive: true });
      const storedName = crypto.randomBytes(16).toString("hex");
      fs.renameSync(upload.tempPath, pathOf(storedName));
      return storedName;
    },
    remove(storedName: string): void {
      fs.rmSync(pathOf(storedName), { force: true });
    },
  };
}

export type EvidenceStorage = ReturnType<typeof createEvidenceStorage>;

/**
 * Keeps the file of a record being saved in trx: the file moves to its random name and its row is
 * written. The caller removes the stored file (returned) if the transaction does not commit.
 */
export async function attachEvidenceFile(trx: Db, storage: EvidenceStorage, input: { recordId: number; file: CheckedEvidence; uploadedBy: number | null; at: string }): Promise<string> {
  const sha256 = crypto.createHash("sha256").update(fs.readFileSync(input.file.tempPath)).digest("hex");
  const storedName = storage.keep(input.file);
  try {
    await insertEvidenceFile(trx, {
      competence_record_id: input.recordId,
      stored_name: storedName,
      original_name: safeFilename(input.file.originalName, input.file.kind),
      content_type: input.file.kind.contentType,
      size_bytes: input.file.size,
      sha256,
      uploaded_by: input.uploadedBy,
      created_at: input.at,
    });
  } catch (error) {
    storage.remove(storedName);
    throw error;
  }
  return storedName;
}

/** Why adding this much to what a person keeps would pass their quota (EVIDENCE_QUOTA_FILES, _MB), or undefined. */
export function evidenceQuotaProblem(used: { files: number; bytes: number }, adding: { files: number; bytes: number }, quotas: { evidenceFiles: number; evidenceBytes: number }): string | undefined {
  const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (used.files + adding.files > quotas.evidenceFiles) return `No more evidence files can be kept for this person: ${used.files} of ${quotas.evidenceFiles} are kept already. Nothing was saved; ask Learning and Development to remove old ones`;
  if (used.bytes + adding.bytes > quotas.evidenceBytes) return `This file does not fit in the evidence space kept for this person: ${megabytes(used.bytes)} of ${megabytes(quotas.evidenceBytes)} is used. Nothing was saved; send a smaller file, or ask Learning and Development`;
  return undefined;
}
