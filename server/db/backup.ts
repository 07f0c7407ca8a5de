import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.ts";
import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { connectDb, isPostgres, migrateLatest, rawRows, type Db } from "./connect.ts";

/**
 * `lms backup OUT` and `lms restore IN`. A backup is a folder: the database (SQLite: a consistent
 * online copy made by VACUUM INTO while the LMS keeps serving), the package and evidence files it
 * points at, the session secret, and BACKUP.json saying what it is. Files are copied after the
 * database: they are written before the rows that name them and never changed, so every file the
 * copied database names is there. PostgreSQL is backed up with pg_dump (README); the files still
 * come from here.
 */
const FORMAT = "lms-backup";
const FILES = ["packages", "evidence", "session-secret"];
const SQLITE_FILE = "lms.sqlite";

export interface BackupSummary {
  database: "sqlite" | "postgresql";
  files: number;
}

export async function backup(db: Db, config: Config, clock: Clock, out: string): Promise<BackupSummary> {
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new AppError("backup.not_empty", `${path.resolve(out)} is not empty: back up into a new folder`);
  fs.mkdirSync(out, { recursive: true });
  const database = isPostgres(db) ? "postgresql" : "sqlite";
  if (database === "sqlite") {
    const copy = path.join(path.resolve(out), SQLITE_FILE);
    await db.raw("VACUUM INTO ?", [copy]);
    await forgetGuessesIn(copy);
  }
  const files = copyFiles(config.dataDir, out);
  fs.writeFileSync(path.join(out, "BACKUP.json"), `${JSON.stringify({ format: FORMAT, version: 1, createdAt: clock.now().toISOString(), database }, null, 2)}\n`);
  return { database, files };
}

/**
 * The copy keeps no count of wrong log ins (login_failures). They matter for a day, and what was
 * typed as a username may be a password in the wrong box: kept as an HMAC keyed with the session
 * secret, which the backup also holds, so with both a dictionary would find it. Deleted with
 * secure_delete, so that the freed pages are zeroed rather than left readable in the file.
 */
async function forgetGuessesIn(file: string): Promise<void> {
  const copy = connectDb({ sqliteFile: file });
  try {
    await copy.raw("PRAGMA secure_delete = ON");
    await copy("login_failures").delete();
  } finally {
    await copy.destroy();
  }
}

/**
 * Restores a backup into an empty DATA_DIR, checks the database's integrity and brings its schema
 * up to date. All of that happens in a staging folder beside DATA_DIR (same parent, so the same file
 * system and rename is atomic); only a restore that passed every step is moved into place, so a bad
 * backup leaves DATA_DIR as it found it and a retry with a good one is not refused.
 */
export async function restore(config: Config, from: string): Promise<BackupSummary> {
  const manifest = readManifest(from);
  const target = path.resolve(config.dataDir);
  if (fs.existsSync(path.join(target, SQLITE_FILE)) || FILES.some((name) => fs.existsSync(path.join(target, name)))) {
    throw new AppError("restore.not_empty", `DATA_DIR ${target} already holds an LMS: restore into an empty one`);
  }
  if (manifest.database === "sqlite" && config.databaseUrl) throw new AppError("restore.wrong_database", "The backup is of a SQLite LMS, but DATABASE_URL is set: unset it to restore into DATA_DIR");
  // Without it the files would land beside no database, and the next start would make a fresh SQLite one.
  if (manifest.database === "postgresql" && !config.databaseUrl) throw new AppError("restore.wrong_database", "The backup is of a PostgreSQL LMS, but DATABASE_URL is not set: restore its dump with pg_restore (README, Backups), then set DATABASE_URL to that database");
  const createdParent = fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(`${target}.restoring-`);
  let restored = false;
  try {
    const files = copyFiles(from, staging);
    if (manifest.database === "sqlite") await restoreDatabase(path.join(path.resolve(from), SQLITE_FILE), path.join(staging, SQLITE_FILE));
    moveIntoPlace(staging, target);
    restored = true;
    return { database: manifest.database, files };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    // Folders made only to hold the staging folder go too: a failed restore leaves no trace.
    if (!restored && createdParent) fs.rmSync(createdParent, { recursive: true, force: true });
  }
}

/** Copies the backup's database to `file`, checks it and migrates it; its connection is closed before this returns. */
async function restoreDatabase(backupFile: string, file: string): Promise<void> {
  fs.copyFileSync(backupFile, file);
  // Checked before connecting: knex would otherwise print its own connection error first.
  if (!hasSqliteHeader(file)) throw new AppError("restore.corrupt", `The backup's database ${backupFile} fails its integrity check`, 400, ["it is not a SQLite database"]);
  const db = connectDb({ sqliteFile: file });
  try {
    let check: string[];
    try {
      check = rawRows(await db.raw("PRAGMA integrity_check")).map((row) => String(Object.values(row)[0]));
    } catch (error) {
      // A damaged page or a file that is no database at all (SQLITE_CORRUPT, SQLITE_NOTADB) fails
      // the check by throwing rather than by answering; either way the backup is unusable.
      if (!isSqliteError(error)) throw error;
      check = [(error as Error).message.replace(/^PRAGMA integrity_check - /, "")];
    }
    if (check.join() !== "ok") throw new AppError("restore.corrupt", `The backup's database ${backupFile} fails its integrity check`, 400, check.slice(0, 10));
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
}

/** SQLite file format 1.3.1: every database file begins with these 16 bytes. */
function hasSqliteHeader(file: string): boolean {
  const header = Buffer.alloc(16);
  const fd = fs.openSync(file, "r");
  try {
    return fs.readSync(fd, header, 0, 16, 0) === 16 && header.equals(Buffer.from("SQLite format 3\0", "latin1"));
  } finally {
    fs.closeSync(fd);
  }
}

function isSqliteError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_");
}

/**
 * Moves a finished restore from `staging` to `target`: one rename when target is absent; when it
 * is an (LMS-free) folder already, one rename per entry, undone if any fails, and never over an
 * entry already there (a stale lms.sqlite-wal, say, would be replayed into the restored database).
 */
function moveIntoPlace(staging: string, target: string): void {
  if (!fs.existsSync(target)) {
    fs.renameSync(staging, target);
    return;
  }
  const entries = fs.readdirSync(staging);
  const clash = entries.find((name) => fs.existsSync(path.join(target, name)));
  if (clash) throw new AppError("restore.not_empty", `DATA_DIR ${target} already holds ${clash}: restore into an empty one`);
  // The database goes last, so an lms.sqlite in DATA_DIR means every file it names is there too.
  entries.sort((a, b) => Number(a.startsWith(SQLITE_FILE)) - Number(b.startsWith(SQLITE_FILE)));
  const moved: string[] = [];
  try {
    for (const name of entries) {
      fs.renameSync(path.join(staging, name), path.join(target, name));
      moved.push(name);
    }
  } catch (error) {
    for (const name of moved.reverse()) {
      try {
        fs.renameSync(path.join(target, name), path.join(staging, name));
      } catch {
        // Best effort: the first failure is the one to report.
      }
    }
    throw error;
  }
}

function readManifest(from: string): { database: "sqlite" | "postgresql" } {
  let manifest: { format?: unknown; database?: unknown };
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(from, "BACKUP.json"), "utf8"));
  } catch {
    throw new AppError("restore.not_backup", `${path.resolve(from)} is not an LMS backup: it has no readable BACKUP.json`);
  }
  if (manifest.format !== FORMAT || (manifest.database !== "sqlite" && manifest.database !== "postgresql")) throw new AppError("restore.not_backup", `${path.resolve(from)}/BACKUP.json is not an LMS backup's`);
  if (manifest.database === "sqlite" && !fs.existsSync(path.join(from, SQLITE_FILE))) throw new AppError("restore.incomplete", `The backup has no ${SQLITE_FILE}`);
  return { database: manifest.database };
}

/** Copies the LMS's files (not uploads still arriving) from one folder to another; returns how many. */
function copyFiles(from: string, to: string): number {
  let count = 0;
  for (const name of FILES) {
    const source = path.join(from, name);
    if (!fs.existsSync(source)) continue;
    fs.cpSync(source, path.join(to, name), {
      recursive: true,
      filter: (file) => {
        if (path.basename(file) === ".uploads") return false;
        if (fs.statSync(file).isFile()) count += 1;
        return true;
      },
    });
  }
  return count;
}
