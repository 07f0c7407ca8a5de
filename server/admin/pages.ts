import type { Request, Response } from "express";
import { generateCsrfToken } from "../web/session.ts";
import { guideDateTime } from "../format.ts";

/** Rows on one page of Administration's lists. */
export const PAGE_SIZE = 50;

/** An Administration page: the signed-in user, the anti-forgery token and the guide's date-time words with every view. */
export function renderPage(req: Request, res: Response, view: string, locals: Record<string, unknown>): void {
  res.render(view, { user: res.locals.user, csrfToken: generateCsrfToken(req), guideDateTime, ...locals });
}

/** ?page=N, from 0. */
export function pageOf(req: Request): number {
  return Math.max(0, Number.parseInt(String(req.query.page ?? "0"), 10) || 0);
}

/** 3725000 ms -> "1 h 2 min 5 s". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const parts = [[Math.floor(seconds / 3600), "h"], [Math.floor((seconds % 3600) / 60), "min"], [seconds % 60, "s"]] as const;
  return parts.filter(([n], index) => n > 0 || index === 2).map(([n, unit]) => `${n} ${unit}`).join(" ");
}
