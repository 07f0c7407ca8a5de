import type { Db } from "../db/connect.ts";

/** Who did something from a page: their account and address, as the audit records them. */
export interface Actor {
  accountId: number;
  ip: string | null;
}

export interface AuditEvent {
  kind: string;
  at: string;
  actorAccountId?: number | null;
  personId?: number | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
}

/** Audit rows are written in the caller's transaction, so an event exists only if its change does. */
export async function recordAudit(db: Db, event: AuditEvent): Promise<void> {
  await db("audit_events").insert({
    kind: event.kind,
    at: event.at,
    actor_account_id: event.actorAccountId ?? null,
    person_id: event.personId ?? null,
    ip: event.ip ?? null,
    detail: JSON.stringify(event.detail ?? {}),
  });
}

export async function listAudit(db: Db, filter: { kind?: string; personId?: number } = {}) {
  const query = db("audit_events").orderBy("id", "asc");
  if (filter.kind) query.where("kind", filter.kind);
  if (filter.personId) query.where("person_id", filter.personId);
  const rows = await query;
  return rows.map((row) => ({
    id: Number(row.id),
    kind: String(row.kind),
    at: String(row.at),
    actorAccountId: row.actor_account_id === null ? null : Number(row.actor_account_id),
    personId: row.person_id === null ? null : Number(row.person_id),
    ip: row.ip as string | null,
    detail: JSON.parse(String(row.detail)) as Record<string, unknown>,
  }));
}
