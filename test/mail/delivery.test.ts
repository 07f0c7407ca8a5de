import { afterAll, beforeAll, describe, expect, it } from "vitest";
import net from "node:net";
import { SMTPServer } from "smtp-server";
import pino from "pino";
import { createTestDb, type TestDb } from "../support/test-db.ts";
import { loadConfig } from "../../server/config.ts";
import { createMailDelivery } from "../../server/mail/delivery.ts";
import { queueMail } from "../../server/mail/outbox-store.ts";
import { settableClock } from "../support/test-app.ts";

/** With SMTP_URL, mail goes to a real SMTP server (smtp-server, in the test); a failed send waits and is tried again, never lost. */
describe("mail delivery through SMTP", () => {
  let t: TestDb;
  let server: SMTPServer;
  let port: number;
  const received: Array<{ to: string; body: string }> = [];
  const clock = settableClock("2026-03-01T09:00:00.000Z");

  beforeAll(async () => {
    t = await createTestDb();
    port = await freePort();
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, session, callback) {
        let body = "";
        stream.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
        stream.on("end", () => {
          received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address).join(","), body });
          callback();
        });
      },
    });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.cleanup();
  });

  it("keeps a message whose send failed, tries again after a wait, and sends it once the server answers", async () => {
    const config = loadConfig({ ...t.env, SMTP_URL: `smtp://127.0.0.1:${port}`, LOG_LEVEL: "silent" });
    const delivery = createMailDelivery({ db: t.db, clock, config, logger: pino({ level: "silent" }) });
    const id = await queueMail(t.db, { to: "hana.held@example.org", subject: "297 User Name Lookup", text: "Your username is: 297HHELD01\nhttp://localhost:3000/account/reset?token=abcdefghijklmnopqrstuvwxyz012345" }, clock.now().toISOString());

    expect(await delivery.deliverDue()).toBe(0); // nothing listens yet
    const failed = await t.db("mail_outbox").where({ id }).first();
    expect(failed).toMatchObject({ status: "queued", send_attempts: 1 });
    expect(failed.last_error).toMatch(/ECONNREFUSED|connect/i);
    expect(failed.next_attempt_at).toBe("2026-03-01T09:01:00.000Z");

    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
    expect(await delivery.deliverDue()).toBe(0); // not due again yet
    clock.set("2026-03-01T09:01:00.000Z");
    expect(await delivery.deliverDue()).toBe(1);
    expect(await t.db("mail_outbox").where({ id }).first()).toMatchObject({ status: "sent", send_attempts: 2, last_error: null });
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toBe("hana.held@example.org");
    expect(received[0]!.body).toContain("Subject: 297 User Name Lookup");
    expect(received[0]!.body).toContain("Your username is: 297HHELD01");
    expect(received[0]!.body).toContain("token=abcdefghijklmnopqrstuvwxyz012345"); // the recipient's copy works
    const stored = (await t.db("mail_outbox").where({ id }).first()).text_body;
    expect(stored).not.toContain("abcdefghijklmnopqrstuvwxyz012345"); // the stored copy opens nothing
    expect(stored).toContain("token=(removed: only the recipient's copy works)");
    expect(await delivery.deliverDue()).toBe(0); // sent once
    await delivery.stop();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
