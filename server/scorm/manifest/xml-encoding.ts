import { AppError } from "../../errors.ts";

/**
 * XML bytes -> text, as XML 1.0 appendix F describes: a byte-order mark first, then the
 * encoding the XML declaration names (`<?xml version="1.0" encoding="ISO-8859-1"?>`), else UTF-8.
 * Any encoding the WHATWG decoder knows is honoured (ISO-8859-1, windows-1252 and US-ASCII all
 * decode as windows-1252, its superset); one it does not is a blocking problem, named.
 */
export function decodeXml(bytes: Uint8Array): string {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return decode("utf-8", bytes.subarray(3));
  if (b0 === 0xff && b1 === 0xfe) return decode("utf-16le", bytes.subarray(2));
  if (b0 === 0xfe && b1 === 0xff) return decode("utf-16be", bytes.subarray(2));
  // UTF-16 without a mark still starts with "<?" two bytes a character.
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x3f && b3 === 0x00) return decode("utf-16le", bytes);
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 === 0x3f) return decode("utf-16be", bytes);

  const declared = declaredEncoding(bytes);
  if (declared === null) return decode("utf-8", bytes);
  let encoding: string;
  try {
    encoding = new TextDecoder(declared).encoding;
  } catch {
    throw new AppError(
      "package.manifest_encoding",
      `imsmanifest.xml is written in the encoding ${JSON.stringify(declared)}, which is not supported: save it as UTF-8`,
    );
  }
  // A declaration readable one byte a character was not written in UTF-16, whatever it says:
  // tools that save UTF-8 but keep a template's encoding="UTF-16" exist.
  return decode(encoding.startsWith("utf-16") ? "utf-8" : encoding, bytes);
}

/** The encoding name of an XML declaration at the very start, read as ASCII; null when none is declared. */
function declaredEncoding(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 200)).toString("latin1");
  if (!head.startsWith("<?xml")) return null;
  const close = head.indexOf("?>");
  const declaration = close < 0 ? head : head.slice(0, close);
  const match = /\sencoding\s*=\s*(["'])([^"']*)\1/.exec(declaration);
  return match ? match[2]!.trim() : null;
}

function decode(encoding: string, bytes: Uint8Array): string {
  if (encoding === "windows-1252") return decodeWindows1252(bytes);
  // Non-fatal, as before: a stray invalid byte becomes U+FFFD rather than refusing the package.
  return new TextDecoder(encoding).decode(bytes).replace(/^\uFEFF/, "");
}

// WHATWG Encoding, index windows-1252: bytes 0x80-0x9F (the rest is Latin-1). Node 20's
// TextDecoder takes a Latin-1 shortcut for this encoding and returns C1 controls for them.
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString("latin1")
    .replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!));
}
