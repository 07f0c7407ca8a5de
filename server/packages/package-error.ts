import { AppError } from "../errors.ts";

// What a package check finds, and the one error that carries every blocking finding, are the
// SCORM kernel's (the manifest reader throws them); they are re-exported here for the importer.
export { capFindings, findingsOf, PackageError, throwIfAny } from "../scorm/findings.ts";

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
