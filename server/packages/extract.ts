import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { AppError } from "../errors.ts";
import { quote, type ScannedEntry, type ZipScan } from "./zip-scan.ts";

export interface ExtractedPackage {
  /** The fresh temporary folder holding the files; the caller publishes it with one rename. */
  dir: string;
  /** Relative paths of the regular files written, as in the zip (normalised). */
  files: string[];
  fileCount: number;
  totalBytes: number;
}

/**
 * Extracts a scanned zip into a new folder under `parentDir`. Each entry is streamed, and the
 * scan's declared size and CRC are enforced as the bytes flow: a zip whose headers lie stops at
 * the first byte past its declaration. On any failure the folder is removed before rethrowing.
 */
export async function extractToTemp(scan: ZipScan, parentDir: string): Promise<ExtractedPackage> {
  await fsp.mkdir(parentDir, { recursive: true });
  const dir = path.resolve(await fsp.mkdtemp(path.join(parentDir, "extract-")));
  try {
    const files: string[] = [];
    let totalBytes = 0;
    for (const entry of scan.entries) {
      const target = insideFolder(dir, entry.path);
      if (entry.isDirectory) {
        await fsp.mkdir(target, { recursive: true });
        continue;
      }
      await fsp.mkdir(path.dirname(target), { recursive: true });
      totalBytes += await extractEntry(entry, target);
      files.push(entry.path);
    }
    return { dir, files, fileCount: files.length, totalBytes };
  } catch (error) {
    await fsp.rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function extractEntry(entry: ScannedEntry, target: string): Promise<number> {
  const meter = new DeclarationCheck(entry);
  const source = entry.open();
  try {
    // "wx": never write through an existing name, whatever the scan missed.
    await pipeline(source, meter, fs.createWriteStream(target, { flags: "wx", mode: 0o644 }));
  } catch (error) {
    source.destroy();
    if (error instanceof AppError) throw error;
    throw new AppError("package.corrupt", `The package entry ${quote(entry.path)} cannot be unpacked: ${(error as Error).message}`);
  }
  return meter.bytes;
}

/** Counts and checksums the bytes of one entry against what the central directory declared. */
class DeclarationCheck extends Transform {
  bytes = 0;
  private crc = 0;

  constructor(private readonly entry: ScannedEntry) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.entry.size) {
      callback(mismatch(this.entry, `unpacks to more than the ${this.entry.size} bytes it declares`));
      return;
    }
    this.crc = zlib.crc32(chunk, this.crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.bytes !== this.entry.size) {
      callback(mismatch(this.entry, `unpacks to ${this.bytes} bytes, not the ${this.entry.size} it declares`));
    } else if (this.crc >>> 0 !== this.entry.crc32) {
      callback(new AppError("package.corrupt", `The package entry ${quote(this.entry.path)} fails its checksum`));
    } else {
      callback();
    }
  }
}

function mismatch(entry: ScannedEntry, why: string): AppError {
  return new AppError("package.size_mismatch", `The package entry ${quote(entry.path)} ${why}`);
}

/** Defence in depth: the scan already refused escaping names; this refuses them again at the file system. */
function insideFolder(dir: string, relativePath: string): string {
  const target = path.resolve(dir, relativePath);
  if (!target.startsWith(dir + path.sep)) {
    throw new AppError("package.unsafe_path", `The package entry ${quote(relativePath)} would be written outside its folder`);
  }
  return target;
}
