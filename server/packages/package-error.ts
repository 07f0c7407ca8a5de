import { AppError } from "../errors.ts";
import type { Finding } from "./validation-report.ts";

/**
 * Every blocking problem found in one pass over a package, as one application error: `code` and
 * the start of `message` are the first problem's (callers that know one code keep working),
 * `findings` lists them all with the file and manifest element each is about, and `details` (what
 * the central handler and the CLI already print) has one line per problem when there are several.
 * `warnings` are what the report would also have said, when the manifest was read that far.
 */
export class PackageError extends AppError {
  readonly findings: Finding[];
  readonly warnings: Finding[];

  constructor(findings: Finding[], warnings: Finding[] = []) {
    const [first, ...rest] = findings;
    if (!first) throw new Error("PackageError needs at least one finding");
    const more = rest.length ? ` (and ${rest.length} more problem${rest.length === 1 ? "" : "s"})` : "";
    super(first.code, first.message + more, 400, rest.length ? findings.map((finding) => finding.message) : []);
    this.name = "PackageError";
    this.findings = findings;
    this.warnings = warnings;
  }
}

/** The blocking findings an error stands for: all of a PackageError's, or the one of any other AppError. */
export function findingsOf(error: AppError): Finding[] {
  return error instanceof PackageError ? error.findings : [{ code: error.code, message: error.message }];
}

/** Throws the findings as one PackageError, if there are any. */
export function throwIfAny(findings: Finding[], warnings: Finding[] = []): void {
  if (findings.length) throw new PackageError(findings, warnings);
}

/**
 * At most `perCode` findings of each code, the rest summed up in one more: a zip of 5,000 bad
 * names deserves one readable report, not 5,000 lines.
 */
export function capFindings(findings: Finding[], perCode = 20): Finding[] {
  const counts = new Map<string, number>();
  const kept: Finding[] = [];
  for (const finding of findings) {
    const count = (counts.get(finding.code) ?? 0) + 1;
    counts.set(finding.code, count);
    if (count <= perCode) kept.push(finding);
  }
  for (const [code, count] of counts) {
    if (count > perCode) kept.push({ code, message: `... and ${count - perCode} more problems like the ones above (${code})` });
  }
  return kept;
}

const REASONS: Record<string, string> = {
  ENAMETOOLONG: "its name is too long for the server's file system",
  EACCES: "the server may not write there",
  EPERM: "the server may not write there",
  EROFS: "the server's package storage is read-only",
  EMFILE: "too many files are open on the server",
  ENFILE: "too many files are open on the server",
  EEXIST: "another entry already uses that name",
  ENOTDIR: "another entry already uses that name",
  EISDIR: "another entry already uses that name",
  EIO: "a disk error on the server",
};

/** True for an error from the file system (it names a syscall), as opposed to zlib's or ours. */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === "string" && !(error instanceof AppError);
}

/**
 * A file system failure while unpacking, in words that name the entry but never the server's own
 * folders (Node's messages carry the full path). The original stays as `cause`, for the log.
 */
export function fileSystemFailure(error: NodeJS.ErrnoException, entryPath?: string): AppError {
  const code = typeof error.code === "string" && /^E[A-Z0-9]+$/.test(error.code) ? error.code : "unknown";
  let failure: AppError;
  if (code === "ENOSPC" || code === "EDQUOT") {
    failure = new AppError("package.no_space", "The package cannot be unpacked: the server is out of disk space", 507);
  } else {
    const what = entryPath === undefined ? "The package could not be unpacked on the server" : `The package entry ${quoteName(entryPath)} could not be written`;
    failure = new AppError("package.extract_failed", `${what} (${REASONS[code] ?? `error ${code}`})`, 500);
  }
  failure.cause = error;
  return failure;
}

const SHOWN_NAME = 120;

/**
 * Entry names are attacker-chosen: quoted and escaped so a message cannot be forged with them,
 * and shortened (start and end kept) so a 60,000-character name cannot swamp it.
 */
export function quoteName(name: string): string {
  const chars = Array.from(name);
  const shown = chars.length > SHOWN_NAME ? `${chars.slice(0, 80).join("")}…${chars.slice(-30).join("")}` : name;
  return JSON.stringify(shown);
}
