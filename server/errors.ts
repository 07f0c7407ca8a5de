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
