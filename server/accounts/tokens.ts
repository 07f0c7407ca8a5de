import crypto from "node:crypto";
import type { Db } from "../db/connect.ts";
import { createTokenStore } from "./token-store.ts";

/** The guide's "If you do not use this link within 4 hours you will need to repeat the whole process". */
export const TOKEN_LIFETIME_MS = 4 * 60 * 60 * 1000;

export type TokenPurpose = "reset" | "unlock";

/**
 * A single-use link token: 256 random bits, of which only the SHA-256 is stored, so that a copy of
 * the database opens no account.
 */
export async function issueToken(db: Db, accountId: number, purpose: TokenPurpose, now: Date): Promise<string> {
  const token = crypto.randomBytes(32).toString("base64url");
  await createTokenStore(db).insert({
    accountId,
    purpose,
    tokenHash: hashToken(token),
    expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS).toISOString(),
    now: now.toISOString(),
  });
  return token;
}

export type TokenCheck = { ok: true; tokenId: number; accountId: number } | { ok: false; problem: "unknown" | "used" | "expired" };

/** Whether the token opens its account now; it is not used up here (see useToken). */
export async function checkToken(db: Db, token: string, purpose: TokenPurpose, now: Date): Promise<TokenCheck> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, problem: "unknown" };
  const found = await createTokenStore(db).findByHash(hashToken(token), purpose);
  if (!found) return { ok: false, problem: "unknown" };
  if (found.usedAt) return { ok: false, problem: "used" };
  if (found.expiresAt <= now.toISOString()) return { ok: false, problem: "expired" };
  return { ok: true, tokenId: found.id, accountId: found.accountId };
}

/** Uses the token up; false when another request used it first. */
export async function useToken(db: Db, tokenId: number, now: Date): Promise<boolean> {
  return createTokenStore(db).use(tokenId, now.toISOString());
}

export const TOKEN_PROBLEMS: Record<"unknown" | "used" | "expired", string> = {
  unknown: "This link is not valid. Check that you copied the whole link from the email, or ask for a new one.",
  used: "This link has been used already. Each link works once: ask for a new one if you need it.",
  expired: "This link has expired: links work for 4 hours. Ask for a new one.",
};

function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}
