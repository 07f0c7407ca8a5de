import crypto from "node:crypto";

/**
 * Content URLs carry a short-lived signed token scoped to one course version (and, for learners,
 * one attempt), so that the content origin needs no cookies: it trusts only what the LMS signed.
 * Expiry uses the real clock, never LMS_NOW: a fixed demo clock must not make tokens immortal.
 */
export interface ContentGrant {
  courseVersionId: number;
  /** null for an author's preview. */
  attemptId: number | null;
  /** Seconds since the epoch. */
  expiresAt: number;
}

export const CONTENT_TOKEN_SECONDS = 4 * 60 * 60;

export function signContentToken(secret: string, grant: ContentGrant): string {
  const payload = `${grant.courseVersionId}.${grant.attemptId ?? 0}.${grant.expiresAt}`;
  return `${payload}.${mac(secret, payload)}`;
}

/** The grant a token carries, or undefined when it is forged, malformed or expired. */
export function verifyContentToken(secret: string, token: string, nowSeconds = Math.floor(Date.now() / 1000)): ContentGrant | undefined {
  const match = /^(\d{1,12})\.(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const [, version, attempt, expires, signature] = match;
  const expected = Buffer.from(mac(secret, `${version}.${attempt}.${expires}`));
  const given = Buffer.from(signature!);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return undefined;
  if (Number(expires) <= nowSeconds) return undefined;
  return { courseVersionId: Number(version), attemptId: Number(attempt) || null, expiresAt: Number(expires) };
}

/** Tokens are minted for 12-hour windows (living at least the lifetime), so every URL a learner's
 *  plays produce within a window is the same URL, and the browser's cache serves the package
 *  files again instead of fetching them. */
export const CONTENT_TOKEN_WINDOW_SECONDS = 12 * 60 * 60;

export function contentTokenExpiry(nowMs = Date.now(), lifetimeSeconds = CONTENT_TOKEN_SECONDS): number {
  const seconds = Math.floor(nowMs / 1000) + lifetimeSeconds;
  return seconds - (seconds % CONTENT_TOKEN_WINDOW_SECONDS) + CONTENT_TOKEN_WINDOW_SECONDS;
}

function mac(secret: string, payload: string): string {
  // A key of its own, derived from the session secret, so a content token can never pass as anything else.
  const key = crypto.createHmac("sha256", secret).update("lms content token v1").digest();
  return crypto.createHmac("sha256", key).update(payload).digest("base64url");
}
