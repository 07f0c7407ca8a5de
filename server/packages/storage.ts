import fsp from "node:fs/promises";
import path from "node:path";
import { AppError } from "../errors.ts";

/**
 * Where imported packages live: one folder per course version, named by its storage key. The
 * temporary area sits inside the root so that publishing is one rename on one file system,
 * atomic: a reader sees no package or the whole package, never half of one. On shared storage
 * (several app processes, DESIGN.md "Running at scale") the root is the shared mount.
 */
export interface PackageStorage {
  root: string;
  /** A new, empty folder under `<root>/.tmp`. */
  tempDir(): Promise<string>;
  /**
   * Syncs every file and folder under a folder made by tempDir() to the disk. Before publish,
   * and outside any database transaction: thousands of fsyncs take seconds, and on SQLite a
   * transaction holds the one connection every learner's commit waits for.
   */
  makeDurable(tempDir: string): Promise<void>;
  /** Moves a folder made by tempDir() (and made durable) to `<root>/<key>` with one rename. */
  publish(tempDir: string, key: string): Promise<void>;
  remove(key: string): Promise<void>;
  /** The absolute path of a file in a published package; refuses paths that escape it. */
  pathOf(key: string, relativePath: string): string;
  /** True when the package holds a regular file at that path. */
  exists(key: string, relativePath: string): Promise<boolean>;
  /**
   * Removes what interrupted imports and uploads left behind (Ctrl-C, kill -9, a crash): folders
   * under `<root>/.tmp` and files under `<root>/.uploads` untouched for `olderThanMs` (default
   * STALE_AFTER_MS). Age, not ownership, decides: an import in another process (DESIGN.md,
   * "Running at scale") keeps its folder fresh, as it finishes in minutes. Returns what it removed,
   * relative to the root; published packages are never touched.
   */
  sweepStale(olderThanMs?: number): Promise<string[]>;
}

/** How long a temporary folder or upload may sit untouched before sweepStale removes it. */
export const STALE_AFTER_MS = 60 * 60 * 1000;

const TEMP_FOLDER = ".tmp";
// multer's landing folder for the upload page (routes.ts): partial uploads end up here too.
const UPLOAD_FOLDER = ".uploads";
// Keys are ours (course-<id>-v<n>-<random>), never user input; a strict shape keeps them one segment.
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export interface StorageOptions {
  /** Makes one file or folder durable (fsync); replaced only to watch the order of it. */
  syncPath?: (target: string) => Promise<void>;
}

export function createLocalStorage(rootDir: string, { syncPath = fsyncPath }: StorageOptions = {}): PackageStorage {
  const root = path.resolve(rootDir);
  const tempRoot = path.join(root, TEMP_FOLDER);

  const folderOf = (key: string) => {
    if (!KEY_PATTERN.test(key) || key.includes("..")) {
      throw new AppError("storage.bad_key", `Not a package storage key: ${JSON.stringify(key)}`);
    }
    return path.join(root, key);
  };

  const pathOf = (key: string, relativePath: string) => {
    const folder = folderOf(key);
    const target = path.resolve(folder, relativePath.replace(/^\/+/, ""));
    if (relativePath.includes("\0") || !target.startsWith(folder + path.sep)) {
      throw new AppError("storage.outside_package", "That path is not inside the package", 404);
    }
    return target;
  };

  return {
    root,
    async tempDir() {
      await fsp.mkdir(tempRoot, { recursive: true });
      return fsp.mkdtemp(path.join(tempRoot, "work-"));
    },
    async makeDurable(tempDir) {
      const source = path.resolve(tempDir);
      if (!source.startsWith(tempRoot + path.sep)) throw new AppError("storage.not_temp", "Only a folder from the storage's temporary area is made durable here");
      await syncTree(source, syncPath);
    },
    async publish(tempDir, key) {
      const source = path.resolve(tempDir);
      if (!source.startsWith(tempRoot + path.sep)) {
        throw new AppError("storage.not_temp", "Only a folder from the storage's temporary area can be published");
      }
      const target = folderOf(key);
      // rename() onto an existing empty folder would silently replace it; a key is published once.
      if (await pathExists(target)) throw new AppError("storage.key_taken", `Package ${key} already exists`, 409);
      // A rename can reach the disk before the data it names: after a power cut the course could
      // be there with empty files. So makeDurable has synced every file and folder first, and the
      // rename itself (the root's entry, and the temporary area's) is synced after it.
      await fsp.rename(source, target);
      await syncPath(root);
      await syncPath(tempRoot);
    },
    async remove(key) {
      await fsp.rm(folderOf(key), { recursive: true, force: true });
    },
    pathOf,
    async exists(key, relativePath) {
      try {
        return (await fsp.lstat(pathOf(key, relativePath))).isFile();
      } catch {
        return false;
      }
    },
    async sweepStale(olderThanMs = STALE_AFTER_MS) {
      const cutoff = Date.now() - olderThanMs;
      const removed: string[] = [];
      for (const area of [TEMP_FOLDER, UPLOAD_FOLDER]) {
        for (const name of await listOrNone(path.join(root, area))) {
          const target = path.join(root, area, name);
          if ((await lastTouched(target)) >= cutoff) continue;
          await fsp.rm(target, { recursive: true, force: true });
          removed.push(`${area}/${name}`);
        }
      }
      return removed;
    },
  };
}

async function fsyncPath(target: string): Promise<void> {
  const handle = await fsp.open(target, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// fsyncs go to libuv's thread pool: a few at a time keep it busy without queuing a whole package.
const SYNC_CONCURRENCY = 8;

/** Syncs every file under a folder, then each folder after what it holds. */
async function syncTree(folder: string, syncPath: (target: string) => Promise<void>): Promise<void> {
  const entries = await fsp.readdir(folder, { withFileTypes: true, recursive: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
  for (let next = 0; next < files.length; next += SYNC_CONCURRENCY) await Promise.all(files.slice(next, next + SYNC_CONCURRENCY).map(syncPath));
  // Deepest first, the folder itself last.
  const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => path.join(entry.parentPath, entry.name));
  folders.sort((a, b) => b.split(path.sep).length - a.split(path.sep).length);
  for (const each of [...folders, folder]) await syncPath(each);
}

async function listOrNone(folder: string): Promise<string[]> {
  try {
    return await fsp.readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * The newest modification time of an entry and, for a folder, of what it directly holds: an
 * import's work folder gets its extract- folder at once, and that folder's time moves with every
 * file and folder extraction adds to it. Infinity when it vanished meanwhile (its import finished).
 */
async function lastTouched(target: string): Promise<number> {
  try {
    const stat = await fsp.lstat(target);
    let newest = stat.mtimeMs;
    if (stat.isDirectory()) {
      for (const child of await fsp.readdir(target)) {
        const childStat = await fsp.lstat(path.join(target, child)).catch(() => null);
        if (childStat) newest = Math.max(newest, childStat.mtimeMs);
      }
    }
    return newest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return Infinity;
    throw error;
  }
}

async function pathExists(target: string): Promise<boolean> {
  try {
    await fsp.lstat(target);
    return true;
  } catch {
    return false;
  }
}
