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

/** Audit rows are written in the caller's transaction, so an event exists only if its change does. Answers the event's id. */
export async function recordAudit(db: Db, event: AuditEvent): Promise<number> {
  const [row] = await db("audit_events").insert({
    kind: event.kind,
    at: event.at,
    actor_account_id: event.actorAccountId ?? null,
    person_id: event.personId ?? null,
    ip: event.ip ?? null,
    detail: JSON.stringify(event.detail ?? {}),
  }).returning("id");
  return Number(row.id);
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

/** The audit trail page: newest first, a page at a time, with who acted and whom it concerned. */
export async function auditPage(db: Db, filter: { kind?: string; limit: number; offset: number }) {
  const query = db("audit_events")
    .leftJoin("accounts", "accounts.id", "audit_events.actor_account_id")
    .leftJoin("people", "people.id", "audit_events.person_id")
    .orderBy("audit_events.id", "desc")
    .limit(filter.limit)
    .offset(filter.offset);
  if (filter.kind) query.where("audit_events.kind", filter.kind);
  return query.select("audit_events.id", "audit_events.kind", "audit_events.at", "audit_events.ip", "audit_events.detail", "accounts.username as actor", "people.employee_number", "people.first_name", "people.last_name");
}

/** Every kind of event the trail holds, for the page's filter. */
export async function auditKinds(db: Db): Promise<string[]> {
  return (await db("audit_events").distinct("kind").orderBy("kind")).map((row) => String(row.kind));
}
