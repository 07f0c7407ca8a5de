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
 * Whether the database could not be reached or written just now. Nothing was kept, and the same
 * request may go through in a moment: 503. Measured mid-load (test/security/database-restart.test.ts,
 * database-locked.test.ts), a fault shows as:
 * - SQLite locked by another process: SQLITE_BUSY, SQLITE_LOCKED;
 * - PostgreSQL shutting down or ending connections (a restart, a failover): 57P01-57P03, class 08;
 * - a connection that broke in use: ECONNRESET, EPIPE, or pg's "Connection terminated
 *   unexpectedly" (no code at all);
 * - a server that is down: ECONNREFUSED on connecting; the pool's wait for a connection timing
 *   out (knex's KnexTimeoutError) while connections cannot be made.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, name, message } = (error ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  const text = String(code ?? "");
  if (text === "SQLITE_BUSY" || text === "SQLITE_LOCKED" || /^57P0[123]$/.test(text) || /^08/.test(text)) return true;
  if (text === "ECONNREFUSED" || text === "ECONNRESET" || text === "EPIPE" || text === "ETIMEDOUT") return true;
  return name === "KnexTimeoutError" || /Connection terminated|connection error and is not queryable/.test(String(message ?? ""));
}

export const DATABASE_UNAVAILABLE = "The service is busy or restarting, so nothing of this was saved. Try again in a minute.";

/** How long a refused client should wait before trying again (Retry-After, in seconds). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
