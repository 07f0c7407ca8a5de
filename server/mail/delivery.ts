import fs from "node:fs";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import type { Logger } from "pino";
import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import { claimForSending, dueMail, markFailed, markKept, markSent, withoutLinkSecrets, type DueMail } from "./outbox-store.ts";

/** How long a process holds a message it is sending before another may try it (it may have died). */
const LEASE_MS = 5 * 60_000;
/** Waits after the first, second, ... failure; the last repeats. A message is never given up on. */
const RETRY_AFTER_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];
const SWEEP_EVERY_MS = 30_000;

export interface MailDelivery {
  /** Sends (or, without SMTP_URL, keeps as .eml) every message that is due; resolves with how many were delivered. */
  deliverDue(): Promise<number>;
  /** Starts delivering in the background now, without waiting (after a request queued mail). */
  kick(): void;
  /** Delivers on a timer, so that failed sends are retried and other processes' mail goes out too. */
  start(): void;
  stop(): Promise<void>;
}

/**
 * The outbox's delivery. With SMTP_URL, each message goes to the SMTP server; without, each is
 * kept: status "kept" in the outbox table, which administrators read in the web UI, and as an
 * .eml file under DATA_DIR/outbox, so that the demo works with no mail server. A failed send is
 * retried later, for ever, and the message stays in the table whatever happens.
 */
export function createMailDelivery(deps: { db: Db; clock: Clock; config: Config; logger: Logger }): MailDelivery {
  const { db, clock, config, logger } = deps;
  const smtp: Transporter | undefined = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : undefined;
  // Builds the message exactly as SMTP would carry it, to keep as an .eml file.
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const outboxDir = path.join(config.dataDir, "outbox");
  let queue: Promise<number> = Promise.resolve(0);
  let timer: NodeJS.Timeout | undefined;

  async function deliverOne(mail: DueMail, now: Date): Promise<boolean> {
    const id = mail.id;
    // Claim it: only the process that moves its next attempt on sends it.
    const leased = new Date(now.getTime() + LEASE_MS).toISOString();
    if (!(await claimForSending(db, mail, leased))) return false;
    const message = { from: config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text, date: new Date(mail.createdAt) };
    try {
      if (smtp) {
        await smtp.sendMail(message);
        await markSent(db, id, { at: clock.now().toISOString(), sendAttempts: mail.sendAttempts + 1, text: withoutLinkSecrets(message.text) });
      } else {
        const built = await builder.sendMail(message);
        fs.mkdirSync(outboxDir, { recursive: true });
        const file = `${String(id).padStart(8, "0")}.eml`;
        fs.writeFileSync(path.join(outboxDir, file), built.message as Buffer);
        await markKept(db, id, { at: clock.now().toISOString(), emlFile: file });
      }
      return true;
    } catch (error) {
      const attempts = mail.sendAttempts + 1;
      const wait = RETRY_AFTER_MS[Math.min(attempts, RETRY_AFTER_MS.length) - 1]!;
      // The error names the server's complaint; the message's own text (a reset link) is never logged.
      const reason = (error as Error).message.slice(0, 500);
      logger.warn({ mailId: id, attempts, reason }, "mail not sent; will retry");
      await markFailed(db, id, { sendAttempts: attempts, reason, nextAttemptAt: new Date(clock.now().getTime() + wait).toISOString() });
      return false;
    }
  }

  async function sweep(): Promise<number> {
    const now = clock.now();
    const due = await dueMail(db, now.toISOString());
    let delivered = 0;
    for (const mail of due) if (await deliverOne(mail, now)) delivered++;
    return delivered;
  }

  const delivery: MailDelivery = {
    deliverDue() {
      // One sweep at a time in this process: a caller arriving meanwhile sweeps after it.
      const next = queue.then(sweep, sweep);
      queue = next.catch(() => 0);
      return next;
    },
    kick() {
      delivery.deliverDue().catch((error) => logger.error({ err: error }, "mail delivery failed"));
    },
    start() {
      timer ??= setInterval(() => delivery.kick(), SWEEP_EVERY_MS);
      timer.unref();
      delivery.kick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await queue;
      smtp?.close();
    },
  };
  return delivery;
}
