/**
 * The one application error: services throw it with a stable code; the central handler decides
 * how each audience sees it (an HTML page, JSON, a CLI line).
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} was not found`, 404);
export const forbidden = () => new AppError("forbidden", "You do not have permission to do that", 403);

/**
 * Whether an error is the disk (or the database's disk) being full: ENOSPC or EDQUOT from the file
 * system, SQLITE_FULL from SQLite, 53100 (disk_full) from PostgreSQL. Such a failure is the
 * server's, not the request's, and says so: 507, and nothing was kept.
 */
export function isOutOfSpace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOSPC" || code === "EDQUOT" || code === "SQLITE_FULL" || code === "53100";
}

export const OUT_OF_SPACE = "The server is out of disk space, so nothing of this was saved. Try again later, and tell the service desk if it lasts.";

/**
 * Whether the database could not be reached or written just now: SQLite locked by another
 * process (SQLITE_BUSY), a PostgreSQL connection ended by a restart or failover (57P01, 57P02,
 * 57P03, class 08). Nothing was kept, and the same request may go through in a moment: 503.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || /^57P0[123]$/.test(code) || /^08/.test(code);
}
