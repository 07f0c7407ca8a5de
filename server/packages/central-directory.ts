import type { FileHandle } from "node:fs/promises";
import { AppError } from "../errors.ts";
import { YIELD_EVERY, yieldToEventLoop } from "../yield.ts";

/**
 * Reads a zip's end record and central directory ourselves (APPNOTE.TXT 4.3.12-4.3.16), checking
 * that they agree: the declared entry count must fill the directory exactly, and the directory
 * must end where the end record (or zip64 end record) begins. A count that understates the
 * directory, or wrapped past 65,535, would otherwise hide entries from every limit.
 */
export interface CentralRecord {
  /** The name as stored (UTF-8, as unzipper read it before); judged by zip-scan.ts. */
  name: string;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  externalAttributes: number;
  localHeaderOffset: number;
}

export interface CentralDirectory {
  zipSize: number;
  /** Where the directory starts: every entry's local header and data must lie before it. */
  directoryOffset: number;
  records: CentralRecord[];
}

export interface ZipEnd {
  zipSize: number;
  entryCount: number;
  directoryOffset: number;
  directorySize: number;
}

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const EOCD_SIZE = 22;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIZE = 56;
const CENTRAL_HEADER_SIZE = 46;
const LOCAL_HEADER_SIZE = 30;
const MAX_COMMENT = 0xffff;
const ZIP64_EXTRA = 0x0001;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;
const READ_CHUNK = 1024 * 1024;

const corrupt = (why: string) => new AppError("package.corrupt", `The zip is damaged: ${why}`);

/**
 * Finds the end record: to tell "not a zip at all" from a zip cut short, and to learn the
 * declared entry count (zip64 included) before anything else is read.
 */
export async function readZipEnd(handle: FileHandle): Promise<ZipEnd> {
  const { size } = await handle.stat();
  const tailLength = Math.min(size, EOCD_SIZE + MAX_COMMENT);
  const tail = Buffer.alloc(tailLength);
  await readFully(handle, tail, size - tailLength);
  let at = -1;
  for (let i = tailLength - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE && i + EOCD_SIZE + tail.readUInt16LE(i + 20) <= tailLength) {
      at = i;
      break;
    }
  }
  if (at < 0) throw await notAZip(handle, size);
  const eocdOffset = size - tailLength + at;
  let end = {
    disk: tail.readUInt16LE(at + 4),
    directoryDisk: tail.readUInt16LE(at + 6),
    entriesOnDisk: tail.readUInt16LE(at + 8),
    entryCount: tail.readUInt16LE(at + 10),
    directorySize: tail.readUInt32LE(at + 12),
    directoryOffset: tail.readUInt32LE(at + 16),
  };
  let directoryEnd = eocdOffset;
  const saturated = [end.disk, end.directoryDisk, end.entriesOnDisk, end.entryCount].includes(U16_MAX) ||
    end.directorySize === U32_MAX || end.directoryOffset === U32_MAX;
  const locator = saturated && eocdOffset >= ZIP64_LOCATOR_SIZE ? await readAt(handle, eocdOffset - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE) : null;
  if (locator?.readUInt32LE(0) === ZIP64_LOCATOR_SIGNATURE) {
    // Zip64: the real values live in the zip64 end record, found through its locator.
    const recordOffset = safeNumber(locator.readBigUInt64LE(8), "its zip64 end record is out of range");
    const record = recordOffset + ZIP64_EOCD_SIZE <= eocdOffset - ZIP64_LOCATOR_SIZE ? await readAt(handle, recordOffset, ZIP64_EOCD_SIZE) : null;
    if (record?.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw corrupt("its zip64 end record is missing");
    const big = (offset: number) => safeNumber(record.readBigUInt64LE(offset), "its zip64 end record is out of range");
    end = {
      disk: record.readUInt32LE(16),
      directoryDisk: record.readUInt32LE(20),
      entriesOnDisk: big(24),
      entryCount: big(32),
      directorySize: big(40),
      directoryOffset: big(48),
    };
    directoryEnd = recordOffset;
  }
  if (end.disk !== 0 || end.directoryDisk !== 0 || end.entriesOnDisk !== end.entryCount) {
    throw new AppError("package.corrupt", "The zip is split across several files (a spanned archive); join it into one zip and upload that");
  }
  if (end.directoryOffset + end.directorySize !== directoryEnd) {
    throw corrupt(`its end record places the central directory at bytes ${end.directoryOffset}-${end.directoryOffset + end.directorySize}, but the directory ends at ${directoryEnd}`);
  }
  return { zipSize: size, entryCount: end.entryCount, directoryOffset: end.directoryOffset, directorySize: end.directorySize };
}

/** Walks exactly `end.entryCount` records, which must fill the directory's declared size exactly. */
export async function readCentralDirectory(handle: FileHandle, end: ZipEnd): Promise<CentralDirectory> {
  const reader = new SequentialReader(handle, end.directoryOffset, end.directorySize);
  const records: CentralRecord[] = [];
  for (let index = 0; index < end.entryCount; index++) {
    // reader.take mostly answers from its buffer, so without this the walk never lets go.
    if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
    const header = await reader.take(CENTRAL_HEADER_SIZE);
    if (header === null) throw corrupt(`its central directory holds fewer than the ${end.entryCount} entries the zip declares`);
    if (header.readUInt32LE(0) !== CENTRAL_HEADER_SIGNATURE) throw corrupt(`central directory record ${index + 1} is damaged`);
    const nameLength = header.readUInt16LE(28);
    const extraLength = header.readUInt16LE(30);
    const commentLength = header.readUInt16LE(32);
    const variable = await reader.take(nameLength + extraLength + commentLength);
    if (variable === null) throw corrupt(`its central directory holds fewer than the ${end.entryCount} entries the zip declares`);
    const record: CentralRecord = {
      name: variable.toString("utf8", 0, nameLength),
      flags: header.readUInt16LE(8),
      method: header.readUInt16LE(10),
      crc32: header.readUInt32LE(16),
      compressedSize: header.readUInt32LE(20),
      size: header.readUInt32LE(24),
      externalAttributes: header.readUInt32LE(38),
      localHeaderOffset: header.readUInt32LE(42),
    };
    applyZip64Extra(record, variable.subarray(nameLength, nameLength + extraLength));
    records.push(record);
  }
  if (reader.remaining() > 0) {
    throw corrupt(`its central directory holds more entries than the ${end.entryCount} its end record declares`);
  }
  return { zipSize: end.zipSize, directoryOffset: end.directoryOffset, records };
}

/** Where an entry's data starts: after its local header, whose name and extra lengths may differ from the directory's. */
export async function readDataOffset(handle: FileHandle, record: CentralRecord): Promise<number | null> {
  const header = await readAt(handle, record.localHeaderOffset, LOCAL_HEADER_SIZE);
  if (header === null || header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) return null;
  return record.localHeaderOffset + LOCAL_HEADER_SIZE + header.readUInt16LE(26) + header.readUInt16LE(28);
}

/** APPNOTE 4.5.3: the zip64 extra field holds, in order, only the values saturated in the header. */
function applyZip64Extra(record: CentralRecord, extra: Buffer): void {
  const wanted = (["size", "compressedSize", "localHeaderOffset"] as const).filter((field) => record[field] === U32_MAX);
  if (wanted.length === 0) return;
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) !== ZIP64_EXTRA) continue;
    const length = extra.readUInt16LE(at + 2);
    if (length < wanted.length * 8 || at + 4 + length > extra.length) break;
    wanted.forEach((field, index) => {
      record[field] = safeNumber(extra.readBigUInt64LE(at + 4 + index * 8), `the entry ${JSON.stringify(record.name)} has unreadable sizes`);
    });
    return;
  }
  throw corrupt(`the entry ${JSON.stringify(record.name)} has unreadable sizes`);
}

/** A zip cut short keeps its first local header but loses its end record. */
async function notAZip(handle: FileHandle, size: number): Promise<AppError> {
  const start = size >= 4 ? await readAt(handle, 0, 4) : null;
  if (start?.readUInt32LE(0) === LOCAL_HEADER_SIGNATURE) {
    return new AppError("package.truncated", "The zip is incomplete: it may have been cut short while uploading or copying");
  }
  return new AppError("package.not_a_zip", "The file is not a zip archive");
}

function safeNumber(value: bigint, why: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(why);
  return Number(value);
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer | null> {
  const buffer = Buffer.alloc(length);
  return (await readFully(handle, buffer, position)) === length ? buffer : null;
}

async function readFully(handle: FileHandle, buffer: Buffer, position: number): Promise<number> {
  let read = 0;
  while (read < buffer.length) {
    const { bytesRead } = await handle.read(buffer, read, buffer.length - read, position + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return read;
}

/** Reads a byte range front to back in chunks, so a huge declared directory is never held whole. */
class SequentialReader {
  private chunk = Buffer.alloc(0);
  private chunkAt = 0;

  constructor(
    private readonly handle: FileHandle,
    private position: number,
    private left: number,
  ) {}

  remaining(): number {
    return this.chunk.length - this.chunkAt + this.left;
  }

  /** The next `length` bytes, or null when the range ends first. */
  async take(length: number): Promise<Buffer | null> {
    if (this.chunk.length - this.chunkAt < length) {
      const kept = this.chunk.subarray(this.chunkAt);
      if (kept.length + this.left < length) return null;
      const more = Math.min(this.left, Math.max(READ_CHUNK, length - kept.length));
      const fresh = Buffer.alloc(more);
      if ((await readFully(this.handle, fresh, this.position)) !== more) return null;
      this.position += more;
      this.left -= more;
      this.chunk = Buffer.concat([kept, fresh]);
      this.chunkAt = 0;
    }
    const taken = this.chunk.subarray(this.chunkAt, this.chunkAt + length);
    this.chunkAt += length;
    return taken;
  }
}
