import type { Db } from "../db/connect.ts";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Queues a message in the outbox, in the caller's transaction: it is stored with the change that
 * caused it, or not at all. Delivery (delivery.ts) sends it later and never deletes it.
 */
export async function queueMail(db: Db, mail: Mail, at: string): Promise<number> {
  const [row] = await db("mail_outbox")
    .insert({ to_address: mail.to, subject: mail.subject, text_body: mail.text, status: "queued", send_attempts: 0, created_at: at, next_attempt_at: at })
    .returning("id");
  return Number(row.id);
}

export interface OutboxMessage {
  id: number;
  to: string;
  subject: string;
  text: string;
  status: "queued" | "sent" | "kept";
  sendAttempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export async function listOutbox(db: Db, options: { limit?: number; offset?: number } = {}): Promise<OutboxMessage[]> {
  const rows = await db("mail_outbox").orderBy("id", "desc").limit(options.limit ?? 50).offset(options.offset ?? 0);
  return rows.map(toMessage);
}

export async function outboxMessage(db: Db, id: number): Promise<OutboxMessage | undefined> {
  const row = await db("mail_outbox").where({ id }).first();
  return row ? toMessage(row) : undefined;
}

function toMessage(row: Record<string, unknown>): OutboxMessage {
  return {
    id: Number(row.id),
    to: String(row.to_address),
    subject: String(row.subject),
    text: String(row.text_body),
    status: row.status as OutboxMessage["status"],
    sendAttempts: Number(row.send_attempts),
    lastError: (row.last_error as string | null) ?? null,
    createdAt: String(row.created_at),
    sentAt: (row.sent_at as string | null) ?? null,
  };
}

/** A queued message as delivery (delivery.ts) sends it. */
export interface DueMail {
  id: number;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
  sendAttempts: number;
  /** As stored: a claim matches it exactly (claimForSending). */
  nextAttemptAt: string | null;
}

/** Queued messages whose next attempt is due, oldest first, a hundred at most. */
export async function dueMail(db: Db, now: string): Promise<DueMail[]> {
  const rows = await db("mail_outbox")
    .where({ status: "queued" })
    .andWhere((when) => when.whereNull("next_attempt_at").orWhere("next_attempt_at", "<=", now))
    .orderBy("id")
    .limit(100);
  return rows.map((row) => ({
    id: Number(row.id),
    to: String(row.to_address),
    subject: String(row.subject),
    text: String(row.text_body),
    createdAt: String(row.created_at),
    sendAttempts: Number(row.send_attempts),
    nextAttemptAt: (row.next_attempt_at as string | null) ?? null,
  }));
}

/** Moves the message's next attempt on to `leased` if it is still as read; false when another process did first. */
export async function claimForSending(db: Db, mail: Pick<DueMail, "id" | "nextAttemptAt">, leased: string): Promise<boolean> {
  const claimed = await db("mail_outbox").where({ id: mail.id, status: "queued", next_attempt_at: mail.nextAttemptAt }).update({ next_attempt_at: leased });
  return claimed !== 0;
}

/** Sent by SMTP; the stored text is the one to keep (without its links' secrets). */
export async function markSent(db: Db, id: number, sent: { at: string; sendAttempts: number; text: string }): Promise<void> {
  await db("mail_outbox").where({ id }).update({ status: "sent", sent_at: sent.at, send_attempts: sent.sendAttempts, last_error: null, text_body: sent.text });
}

/** Kept as an .eml file under DATA_DIR/outbox, without SMTP. */
export async function markKept(db: Db, id: number, kept: { at: string; emlFile: string }): Promise<void> {
  await db("mail_outbox").where({ id }).update({ status: "kept", sent_at: kept.at, eml_file: kept.emlFile, last_error: null });
}

/** A failed send: counted, its reason kept, and tried again at `nextAttemptAt`. */
export async function markFailed(db: Db, id: number, failed: { sendAttempts: number; reason: string; nextAttemptAt: string }): Promise<void> {
  await db("mail_outbox").where({ id }).update({ send_attempts: failed.sendAttempts, last_error: failed.reason, next_attempt_at: failed.nextAttemptAt });
}

/**
 * A message's text with the secret of each link removed. Once a message has gone out by SMTP the
 * stored copy keeps no working link: nobody reading the outbox (or a copy of the database) can use
 * a person's reset link. Without SMTP the outbox is the only delivery, and keeps them.
 */
export function withoutLinkSecrets(text: string): string {
  return text.replace(/([?&]token=)[A-Za-z0-9_-]+/g, "$1(removed: only the recipient's copy works)");
}
