import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Session, SessionData } from "express-session";

/**
 * A people CSV that passed Check only, kept so that Import needs no second upload: the bytes on
 * disk under DATA_DIR, and in the administrator's own session the reference the page carries, the
 * file's SHA-256 and when it expires. Import takes the file only when the reference is the
 * session's own, unexpired, and the bytes still hash the same; a reference from another session,
 * made up or changed, is refused. Import checks the file again (the database may have moved on).
 */
declare module "express-session" {
  interface SessionData {
    checkedPeopleUpload?: CheckedUpload;
  }
}

interface CheckedUpload {
  reference: string;
  sha256: string;
  fileName: string;
  expiresAt: number;
}

/** How long a checked file waits for its Import. */
export const CHECKED_UPLOAD_MINUTES = 30;

type WithSession = { session: Session & Partial<SessionData> };

export function checkedUploads(dataDir: string) {
  const folder = path.join(dataDir, "checked-people-uploads");
  const fileOf = (reference: string) => path.join(folder, `${reference}.csv`);

  return {
    /** Keeps the checked bytes for this session (replacing any it kept before); answers the reference the page carries. */
    async keep(req: WithSession, bytes: Buffer, fileName: string, now: Date): Promise<{ reference: string; expiresAt: Date }> {
      await this.forget(req);
      await fs.mkdir(folder, { recursive: true });
      await removeExpired(folder);
      const reference = randomBytes(24).toString("base64url");
      await fs.writeFile(fileOf(reference), bytes, { flag: "wx", mode: 0o600 });
      const expiresAt = now.getTime() + CHECKED_UPLOAD_MINUTES * 60_000;
      req.session.checkedPeopleUpload = { reference, sha256: sha256(bytes), fileName, expiresAt };
      return { reference, expiresAt: new Date(expiresAt) };
    },

    /** The kept file, when the reference is this session's, unexpired and unchanged; undefined otherwise. */
    async take(req: WithSession, reference: string, now: Date): Promise<{ bytes: Buffer; fileName: string } | undefined> {
      const kept = req.session.checkedPeopleUpload;
      if (!kept || typeof reference !== "string" || reference !== kept.reference || !/^[A-Za-z0-9_-]{32}$/.test(reference)) return undefined;
      if (kept.expiresAt <= now.getTime()) {
        await this.forget(req);
        return undefined;
      }
      const bytes = await fs.readFile(fileOf(kept.reference)).catch(() => undefined);
      if (!bytes || sha256(bytes) !== kept.sha256) return undefined;
      return { bytes, fileName: kept.fileName };
    },

    async forget(req: WithSession): Promise<void> {
      const kept = req.session.checkedPeopleUpload;
      if (!kept) return;
      delete req.session.checkedPeopleUpload;
      await fs.rm(fileOf(kept.reference), { force: true });
    },
  };
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Files whose Import never came (the session ended, the page was left): gone after their time, by the disk's own clock (a fixed LMS_NOW must not sweep a file just kept). */
async function removeExpired(folder: string): Promise<void> {
  const now = new Date();
  for (const name of await fs.readdir(folder).catch(() => [] as string[])) {
    const file = path.join(folder, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat && stat.mtimeMs < now.getTime() - CHECKED_UPLOAD_MINUTES * 60_000) await fs.rm(file, { force: true });
  }
}
