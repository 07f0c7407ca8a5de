import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError, notFound } from "../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { newCertificateCode, normaliseCode } from "./codes.ts";
import { createCertificateStore, type CertificateFacts, type CertificateSubject } from "./store.ts";

/** A certificate as printed: its facts and its verification code. */
export interface Certificate extends CertificateFacts {
  kind: CertificateSubject["kind"];
  code: string;
  completedOn: string;
  issuedAt: string;
}

export interface CertificateRequest {
  /** A learner asks for their own: anyone else's is not found. Unset for L&D. */
  ownerPersonId?: number;
  actorAccountId: number;
  ip: string | null;
}

/**
 * The certificate for a completed certification or course. The first download issues it (a row
 * with a new verification code, audited); every later one, by the learner or L&D, gets the same
 * code. Two first downloads at once both insert-or-ignore on the subject's unique column, then
 * read back the one that won.
 */
export async function certificateFor(db: Db, clock: Clock, subject: CertificateSubject, request: CertificateRequest): Promise<Certificate> {
  const what = subject.kind === "certification" ? "That certification" : "That course attempt";
  return db.transaction(async (trx) => {
    const store = createCertificateStore(trx);
    const facts = await store.facts(subject);
    if (!facts || (request.ownerPersonId !== undefined && facts.personId !== request.ownerPersonId)) throw notFound(what);
    refuseUnfinished(facts, subject);
    let certificate = await store.certificateFor(subject);
    for (let tries = 0; !certificate && tries < 3; tries++) {
      const issuedAt = clock.now().toISOString();
      if (await store.insert({ code: newCertificateCode(), personId: facts.personId, subject, issuedAt })) {
        certificate = (await store.certificateFor(subject))!;
        await recordAudit(trx, {
          kind: "certificate.issued",
          at: issuedAt,
          actorAccountId: request.actorAccountId,
          personId: facts.personId,
          ip: request.ip,
          detail: { certificateId: certificate.id, ...subject, [subject.kind]: facts.title, completedOn: facts.completedOn },
        });
      } else {
        // Another download issued it meanwhile; or, once in 2^80, this code was taken: try another.
        certificate = await store.certificateFor(subject);
      }
    }
    if (!certificate) throw new Error(`could not issue a certificate for ${JSON.stringify(subject)}`);
    return { ...facts, kind: subject.kind, code: certificate.code, completedOn: facts.completedOn!, issuedAt: certificate.issuedAt };
  });
}

function refuseUnfinished(facts: CertificateFacts, subject: CertificateSubject): void {
  if (subject.kind === "course" && facts.preview) throw new AppError("certificate.preview", "A preview attempt credits nothing, so it has no certificate.", 409);
  if (!facts.completed || facts.completedOn === null) {
    throw new AppError(
      "certificate.not_completed",
      subject.kind === "certification"
        ? "This certification is not completed, so there is no certificate for it yet. It is issued once every component is done."
        : "This course is not completed or passed, so there is no certificate for it yet.",
      409,
    );
  }
  if (facts.recordMissing) throw new AppError("certificate.no_record", "The competence record of this certification cannot be found, so no certificate can be made. Ask Learning and Development.", 409);
}

export type Verification =
  | { found: false; typed: string }
  | { found: true; certificate: Certificate; valid: boolean };

/**
 * What the public verification page says of a typed code: the certificate's own facts, read now
 * (so the name is as the latest download printed it), and whether it is still valid today (a
 * record is valid up to the day before its expiry date, as compliance counts it). Nothing else.
 */
export async function verifyCertificate(db: Db, typed: string, today: string): Promise<Verification> {
  const code = normaliseCode(typed);
  const store = createCertificateStore(db);
  const row = code ? await store.byCode(code) : undefined;
  const facts = row ? await store.facts(row.subject) : undefined;
  if (!row || !facts?.completed || facts.completedOn === null) return { found: false, typed: typed.trim().slice(0, 40) };
  const certificate: Certificate = { ...facts, kind: row.subject.kind, code: row.code, completedOn: facts.completedOn, issuedAt: row.issuedAt };
  return { found: true, certificate, valid: facts.expiresOn === null || facts.expiresOn > today };
}
