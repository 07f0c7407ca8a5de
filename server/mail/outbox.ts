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

/**
 * A message's text with the secret of each link removed. Once a message has gone out by SMTP the
 * stored copy keeps no working link: nobody reading the outbox (or a copy of the database) can use
 * a person's reset link. Without SMTP the outbox is the only delivery, and keeps them.
 */
export function withoutLinkSecrets(text: string): string {
  return text.replace(/([?&]token=)[A-Za-z0-9_-]+/g, "$1(removed: only the recipient's copy works)");
}
