import fsp, { type FileHandle } from "node:fs/promises";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { AppError } from "../errors.ts";
import { fileSystemFailure, isFileSystemError, quoteName as quote } from "./package-error.ts";
import type { ScannedEntry, ZipScan } from "./zip-scan.ts";

export interface ExtractedPackage {
  /** The fresh temporary folder holding the files; the caller publishes it with one rename. */
  dir: string;
  /** Relative paths of the regular files written, as in the zip (normalised). */
  files: string[];
  fileCount: number;
  totalBytes: number;
}

const METHOD_STORED = 0;
// Entries up to this size (declared and compressed) are read, inflated and written whole: for the
// hundreds of small files of a typical package that is three file operations instead of a chain
// of stream hops per chunk. Larger ones (video) are streamed. At most CONCURRENCY entries are in
// hand at once, so the memory an import holds stays a few MB whatever the package.
const WHOLE_ENTRY_MAX = 1024 * 1024;
const READ_CHUNK = 256 * 1024;
const INFLATE_CHUNK = 256 * 1024;
// Keeps the disk and zlib's thread pool busy while one entry waits on the other.
const CONCURRENCY = 4;

const inflateRaw = promisify(zlib.inflateRaw) as (input: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;

/**
 * Extracts a scanned zip into a new folder under `parentDir`. Each entry's data is read from
 * the offset and compressed size the central directory declared, and the declared size and CRC
 * are enforced on what it unpacks to: a zip whose headers lie fails at the first byte past its
 * declaration. On any failure the folder is removed before rethrowing.
 */
export async function extractToTemp(scan: ZipScan, parentDir: string, onBytes?: (done: number, total: number) => void): Promise<ExtractedPackage> {
  const dir = await asEntry(undefined, async () => {
    await fsp.mkdir(parentDir, { recursive: true });
    return path.resolve(await fsp.mkdtemp(path.join(parentDir, "extract-")));
  });
  let zip: FileHandle | null = null;
  try {
    zip = await asEntry(undefined, () => fsp.open(scan.zipPath, "r"));
    const source: ZipSource = { handle: zip, size: (await zip.stat()).size, spareBuffers: [] };
    const files: ScannedEntry[] = [];
    const folders = new Set<string>();
    for (const entry of scan.entries) {
      const target = insideFolder(dir, entry.path);
      if (entry.isDirectory) await asEntry(entry, () => makeFolder(folders, target));
      else files.push(entry);
    }
    let totalBytes = 0;
    await forEachConcurrently(files, CONCURRENCY, async (entry) => {
      const target = insideFolder(dir, entry.path);
      await asEntry(entry, () => makeFolder(folders, path.dirname(target)));
      const bytes = await extractEntry(source, entry, target);
      totalBytes += bytes; // not `+= await`: that would add to a total read before another entry finished
      onBytes?.(totalBytes, scan.declaredBytes);
    });
    return { dir, files: files.map((entry) => entry.path), fileCount: files.length, totalBytes };
  } catch (error) {
    await zip?.close();
    zip = null;
    await fsp.rm(dir, { recursive: true, force: true });
    throw error;
  } finally {
    await zip?.close();
  }
}

/**
 * Runs file system work for one entry (or for the whole package), turning a failure into an
 * AppError that names the entry, never the server's folders (ENOSPC: package.no_space, 507).
 */
async function asEntry<T>(entry: ScannedEntry | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isFileSystemError(error)) throw fileSystemFailure(error, entry?.path);
    throw error;
  }
}

interface ZipSource {
  handle: FileHandle;
  size: number;
  /** WHOLE_ENTRY_MAX read buffers not in use: at most CONCURRENCY are ever made. */
  spareBuffers: Buffer[];
}

/** mkdir -p, once per folder: a package's files share a few folders. */
async function makeFolder(made: Set<string>, folder: string): Promise<void> {
  if (made.has(folder)) return;
  await fsp.mkdir(folder, { recursive: true });
  made.add(folder);
}

async function extractEntry(zip: ZipSource, entry: ScannedEntry, target: string): Promise<number> {
  // The scan found the local header and checked that the data lies in no other entry's range.
  const start = entry.dataOffset;
  if (start + entry.compressedSize > zip.size) throw corrupt(entry, "runs past the end of the zip");
  try {
    if (entry.size <= WHOLE_ENTRY_MAX && entry.compressedSize <= WHOLE_ENTRY_MAX) {
      await extractWhole(zip, entry, start, target);
    } else {
      await extractStreaming(zip, entry, start, target);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (isFileSystemError(error)) throw fileSystemFailure(error, entry.path);
    throw corrupt(entry, `cannot be unpacked: ${(error as Error).message}`);
  }
  return entry.size;
}

async function extractWhole(zip: ZipSource, entry: ScannedEntry, start: number, target: string): Promise<void> {
  // Reused between entries: fresh megabyte buffers for every small file kept the GC busy.
  const buffer = zip.spareBuffers.pop() ?? Buffer.allocUnsafe(WHOLE_ENTRY_MAX);
  try {
    const compressed = buffer.subarray(0, entry.compressedSize);
    for (let read = 0; read < compressed.length; ) {
      const { bytesRead } = await zip.handle.read(compressed, read, compressed.length - read, start + read);
      if (bytesRead === 0) throw corrupt(entry, "runs past the end of the zip");
      read += bytesRead;
    }
    let data: Buffer = compressed;
    if (entry.method !== METHOD_STORED) {
      try {
        // maxOutputLength stops inflating at the first byte past the declaration (at least 1:
        // zlib refuses 0). One output chunk one byte larger than declared: zlib's 16 KB default
        // costs a thread-pool round trip per 16 KB, and a chunk filled exactly is followed by
        // the allocation of another.
        data = await inflateRaw(compressed, { maxOutputLength: Math.max(entry.size, 1), chunkSize: Math.max(entry.size + 1, INFLATE_CHUNK) });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(entry);
        throw error;
      }
    }
    if (data.length > entry.size) throw tooLarge(entry);
    if (data.length < entry.size) throw tooSmall(entry, data.length);
    if (zlib.crc32(data) >>> 0 !== entry.crc32) throw badChecksum(entry);
    // "wx": never write through an existing name, whatever the scan missed.
    await fsp.writeFile(target, data, { flag: "wx", mode: 0o644, flush: true });
  } finally {
    zip.spareBuffers.push(buffer);
  }
}

async function extractStreaming(zip: ZipSource, entry: ScannedEntry, start: number, target: string): Promise<void> {
  const body =
    entry.compressedSize === 0
      ? Readable.from([])
      : // autoClose false: the handle is shared by every entry and closed once, by extractToTemp.
        zip.handle.createReadStream({ start, end: start + entry.compressedSize - 1, highWaterMark: READ_CHUNK, autoClose: false });
  const stages: NodeJS.ReadWriteStream[] = entry.method === METHOD_STORED ? [] : [zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK })];
  await pipeline([body, ...stages, new DeclarationCheck(entry), fs.createWriteStream(target, { flags: "wx", mode: 0o644, flush: true })]);
}

/** Counts and checksums the bytes of one entry against what the central directory declared. */
class DeclarationCheck extends Transform {
  private bytes = 0;
  private crc = 0;

  constructor(private readonly entry: ScannedEntry) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.entry.size) {
      callback(tooLarge(this.entry));
      return;
    }
    this.crc = zlib.crc32(chunk, this.crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.bytes !== this.entry.size) callback(tooSmall(this.entry, this.bytes));
    else if (this.crc >>> 0 !== this.entry.crc32) callback(badChecksum(this.entry));
    else callback();
  }
}

/**
 * Runs `work` over the items, at most `limit` at a time. After the first failure no new item is
 * started, and the failure is thrown only once every started item has settled, so the caller
 * never removes a folder that is still being written.
 */
async function forEachConcurrently<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (failure === null && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
}

function tooLarge(entry: ScannedEntry): AppError {
  return mismatch(entry, `unpacks to more than the ${entry.size} bytes it declares`);
}

function tooSmall(entry: ScannedEntry, bytes: number): AppError {
  return mismatch(entry, `unpacks to ${bytes} bytes, not the ${entry.size} it declares`);
}

function badChecksum(entry: ScannedEntry): AppError {
  return corrupt(entry, "fails its checksum");
}

function mismatch(entry: ScannedEntry, why: string): AppError {
  return new AppError("package.size_mismatch", `The package entry ${quote(entry.path)} ${why}`);
}

function corrupt(entry: ScannedEntry, why: string): AppError {
  return new AppError("package.corrupt", `The package entry ${quote(entry.path)} ${why}`);
}

/** Defence in depth: the scan already refused escaping names; this refuses them again at the file system. */
function insideFolder(dir: string, relativePath: string): string {
  const target = path.resolve(dir, relativePath);
  if (!target.startsWith(dir + path.sep)) {
    throw new AppError("package.unsafe_path", `The package entry ${quote(relativePath)} would be written outside its folder`);
  }
  return target;
}
