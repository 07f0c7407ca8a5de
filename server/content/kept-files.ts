import fs from "node:fs/promises";

/** What the content origin sent with a file the first time, to send it the same way from memory. */
export interface KeptFile {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: string;
}

export interface KeptFileOptions {
  /** Files larger than this are always read from disk (video and the like: Range requests, and memory). */
  maxFileBytes?: number;
  /** All kept files together; the least recently sent go first. */
  maxBytes?: number;
  /** How long one is sent from memory before the disk is read again. */
  maxAgeMs?: number;
  now?: () => number;
}

/**
 * A course version's small files (its pages, scripts and styles), kept in memory once sent.
 *
 * Why: a launch loads the SCO's page and the files it links, each a request to the content origin,
 * and sent from disk each cost the server about 1.0 ms of CPU against 0.4 ms for a file sent from
 * memory (bench:launch-costs: the file's stat, open, read and close are each a trip through
 * libuv's pool and back to the event loop). With 50 learners launching at once the event loop is
 * the queue every step of every launch waits in (bench:launch), and these files were 3 ms of the
 * 17.5 ms of CPU one launch costs.
 *
 * A version's files never change: a new upload is a new version, in a new folder. Each is still
 * checked on disk before it is sent from memory (get), and read again after maxAgeMs. Kept only
 * whole answers (200) to requests without a Range, with the headers `send` gave them, so
 * that a kept file is answered exactly as the disk's: its ETag and Last-Modified, a 304 to a
 * conditional request.
 */
export type KeptFiles = ReturnType<typeof createKeptFiles>;

export function createKeptFiles({ maxFileBytes = 256 * 1024, maxBytes = 32 * 1024 * 1024, maxAgeMs = 60_000, now = Date.now }: KeptFileOptions = {}) {
  // mtimeMs to the millisecond, as send's ETag and Last-Modified have it.
  const kept = new Map<string, KeptFile & { at: number; mtimeMs: number }>();
  let bytes = 0;

  const drop = (file: string) => {
    const gone = kept.get(file);
    if (!gone) return;
    kept.delete(file);
    bytes -= gone.body.length;
  };

  return {
    /**
     * The file as first sent, if kept, not older than maxAgeMs, and still on disk as it was: one
     * stat (a trip through libuv's pool, where sending from disk took four), so that a version
     * deleted with its files is refused at once, as before it was kept.
     */
    async get(file: string): Promise<KeptFile | undefined> {
      const found = kept.get(file);
      if (!found) return undefined;
      const onDisk = now() - found.at < maxAgeMs ? await fs.stat(file).catch(() => undefined) : undefined;
      if (!onDisk || onDisk.size !== found.body.length || Math.trunc(onDisk.mtimeMs) !== found.mtimeMs) {
        drop(file);
        return undefined;
      }
      // Least recently sent first out: a Map iterates in insertion order.
      kept.delete(file);
      kept.set(file, found);
      return found;
    },

    /**
     * Keeps a file just sent whole from disk, with the headers it went with. Read again here: the
     * bytes sent went out as a stream. A file whose length is not the one sent is not kept.
     */
    async keep(file: string, sent: { length: number; contentType: string; etag: string; lastModified: string }): Promise<void> {
      if (sent.length > maxFileBytes || kept.has(file)) return;
      const [stat, body] = await Promise.all([fs.stat(file), fs.readFile(file)]).catch(() => [undefined, undefined]);
      if (!stat || !body || body.length !== sent.length || stat.size !== sent.length || kept.has(file)) return;
      kept.set(file, { body, contentType: sent.contentType, etag: sent.etag, lastModified: sent.lastModified, at: now(), mtimeMs: Math.trunc(stat.mtimeMs) });
      bytes += body.length;
      while (bytes > maxBytes) drop(kept.keys().next().value!);
    },

    /** How many files, and bytes, are kept (for tests). */
    size(): { files: number; bytes: number } {
      return { files: kept.size, bytes };
    },
  };
}
