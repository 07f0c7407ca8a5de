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
  if (database === "sqlite") await db.raw("VACUUM INTO ?", [path.join(path.resolve(out), SQLITE_FILE)]);
  const files = copyFiles(config.dataDir, out);
  fs.writeFileSync(path.join(out, "BACKUP.json"), `${JSON.stringify({ format: FORMAT, version: 1, createdAt: clock.now().toISOString(), database }, null, 2)}\n`);
  return { database, files };
}

/** Restores a backup into an empty DATA_DIR, checks the database's integrity and brings its schema up to date. */
export async function restore(config: Config, from: string): Promise<BackupSummary> {
  const manifest = readManifest(from);
  const target = config.dataDir;
  if (fs.existsSync(path.join(target, SQLITE_FILE)) || FILES.some((name) => fs.existsSync(path.join(target, name)))) {
    throw new AppError("restore.not_empty", `DATA_DIR ${path.resolve(target)} already holds an LMS: restore into an empty one`);
  }
  if (manifest.database === "sqlite" && config.databaseUrl) throw new AppError("restore.wrong_database", "The backup is of a SQLite LMS, but DATABASE_URL is set: unset it to restore into DATA_DIR");
  fs.mkdirSync(target, { recursive: true });
  const files = copyFiles(from, target);
  if (manifest.database === "sqlite") {
    fs.copyFileSync(path.join(from, SQLITE_FILE), path.join(target, SQLITE_FILE));
    const db = connectDb({ sqliteFile: path.join(target, SQLITE_FILE) });
    try {
      const check = rawRows(await db.raw("PRAGMA integrity_check")).map((row) => String(Object.values(row)[0]));
      if (check.join() !== "ok") throw new AppError("restore.corrupt", "The backup's database fails its integrity check", 400, check.slice(0, 10));
      await migrateLatest(db);
    } finally {
      await db.destroy();
    }
  }
  return { database: manifest.database, files };
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
