import type { Db } from "../db/connect.ts";
import type { TokenPurpose } from "./tokens.ts";

/**
 * The account_tokens table: the single-use links' hashes (tokens.ts says what they are worth), who
 * may still use them, and how many one account was sent lately (recovery.ts).
 */
export function createTokenStore(db: Db) {
  return {
    async insert(token: { accountId: number; purpose: TokenPurpose; tokenHash: string; expiresAt: string; now: string }): Promise<void> {
      await db("account_tokens").insert({
        account_id: token.accountId,
        purpose: token.purpose,
        token_hash: token.tokenHash,
        expires_at: token.expiresAt,
        created_at: token.now,
      });
    },

    async findByHash(tokenHash: string, purpose: TokenPurpose): Promise<{ id: number; accountId: number; usedAt: string | null; expiresAt: string } | undefined> {
      const row = await db("account_tokens").where({ token_hash: tokenHash, purpose }).first();
      return row ? { id: Number(row.id), accountId: Number(row.account_id), usedAt: (row.used_at as string | null) ?? null, expiresAt: String(row.expires_at) } : undefined;
    },

    /** Uses the token up; false when another request used it first. */
    async use(tokenId: number, now: string): Promise<boolean> {
      return (await db("account_tokens").where({ id: tokenId }).whereNull("used_at").update({ used_at: now })) > 0;
    },

    /** Every link of the account still unused is used up now. */
    async useAllOf(accountId: number, now: string): Promise<void> {
      await db("account_tokens").where({ account_id: accountId }).whereNull("used_at").update({ used_at: now });
    },

    /** How many links of this kind the account was sent after `since`. */
    async countSince(accountId: number, purpose: TokenPurpose, since: string): Promise<number> {
      const row = await db("account_tokens").where({ account_id: accountId, purpose }).andWhere("created_at", ">", since).count({ n: "*" }).first();
      return Number(row?.n ?? 0);
    },
  };
}
