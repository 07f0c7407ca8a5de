import zlib from "node:zlib";

/**
 * A deliberately naive zip writer for hostile fixtures that well-behaved tools refuse to make:
 * `..` names, absolute paths, symlinks, encrypted flags, sizes that lie. Every header field a
 * test might want to forge can be overridden per entry.
 */
export interface RawEntry {
  name: string;
  data?: Buffer | string;
  /** Deflate the data (method 8); otherwise stored (method 0). */
  deflate?: boolean;
  method?: number;
  /** General purpose bit flags; bit 0 = encrypted, bit 11 = UTF-8 names. */
  flags?: number;
  /** High byte 3 = Unix, so the top 16 bits of externalAttributes are a Unix mode. */
  versionMadeBy?: number;
  externalAttributes?: number;
  /** A lie about the uncompressed size, written to both headers. */
  declaredSize?: number;
  /** A lie about the compressed size, written to both headers. */
  declaredCompressedSize?: number;
  crc32?: number;
  /**
   * Writes no local header or data of its own: the central record points at the local header and
   * data of the earlier entry with this index (the overlapping-entries zip bomb).
   */
  sharesDataOf?: number;
  /** Writes the local header with a wrong signature. */
  brokenLocalHeader?: boolean;
}

export interface RawZipOptions {
  /** A lie about the number of entries, written to the end record (16 bits: wraps like old writers). */
  declaredEntryCount?: number;
}

const UNIX = 0x031e;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
const DOS_DATE_1980_01_01 = 0x21;

interface HeaderFields {
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
}

export function rawZip(entries: RawEntry[], options: RawZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const written: Array<{ offset: number; fields: HeaderFields }> = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const shared = entry.sharesDataOf === undefined ? undefined : written[entry.sharesDataOf];
    if (shared) {
      centrals.push(centralHeader(entry, shared.fields, name, shared.offset), name);
      written.push(shared);
      continue;
    }
    const data = Buffer.from(entry.data ?? "");
    const body = entry.deflate ? zlib.deflateRawSync(data) : data;
    const fields = {
      flags: entry.flags ?? 0x0800,
      method: entry.method ?? (entry.deflate ? 8 : 0),
      crc: entry.crc32 ?? zlib.crc32(data),
      compressedSize: entry.declaredCompressedSize ?? body.length,
      size: entry.declaredSize ?? data.length,
    };

    const local = Buffer.alloc(30);
    local.writeUInt32LE(entry.brokenLocalHeader ? 0x04034b51 : 0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(fields.flags, 6);
    local.writeUInt16LE(fields.method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE_1980_01_01, 12);
    local.writeUInt32LE(fields.crc >>> 0, 14);
    local.writeUInt32LE(fields.compressedSize, 18);
    local.writeUInt32LE(fields.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);
    centrals.push(centralHeader(entry, fields, name, offset), name);
    written.push({ offset, fields });
    offset += local.length + name.length + body.length;
  }

  const directory = Buffer.concat(centrals);
  const count = (options.declaredEntryCount ?? entries.length) & 0xffff;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function centralHeader(
  entry: RawEntry,
  fields: HeaderFields,
  name: Buffer,
  offset: number,
): Buffer {
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(entry.versionMadeBy ?? UNIX, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(fields.flags, 8);
  central.writeUInt16LE(fields.method, 10);
  central.writeUInt16LE(0, 12);
  central.writeUInt16LE(DOS_DATE_1980_01_01, 14);
  central.writeUInt32LE(fields.crc >>> 0, 16);
  central.writeUInt32LE(fields.compressedSize, 20);
  central.writeUInt32LE(fields.size, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE((entry.externalAttributes ?? (S_IFREG | 0o644) * 0x10000) >>> 0, 38);
  central.writeUInt32LE(offset, 42);
  return central;
}

/** Unix mode bits as stored in the top half of a central-directory external-attributes field. */
export function unixMode(mode: number): number {
  return mode * 0x10000;
}
