import os from "node:os";
import { hash, verify } from "@node-rs/argon2";
import pLimit from "p-limit";

// argon2id at OWASP's minimum (m=19 MiB, t=2, p=1). Algorithm.Argon2id is a const enum in the
// package's types, so its value is spelled out here: 2 = Argon2id.
const ARGON2ID = 2;
const options = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * Hashes at once, at most: one fewer than the cores, and at least one. argon2 runs on libuv's
 * thread pool, where SQLite's statements run too; a burst of logins at 9 o'clock would otherwise
 * fill the pool and hold up every learner's commits behind it. Logins wait among themselves instead.
 */
export const hashing = pLimit(Math.max(1, os.availableParallelism() - 1));

export function hashPassword(password: string): Promise<string> {
  return hashing(() => hash(password, options));
}

/**
 * Stored for an account added by L&D until its person chooses a password through the emailed
 * link: nobody knows it, and nothing hashes to it.
 */
export const NO_PASSWORD_YET = "!no-password-yet";

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  // Checked against the decoy all the same, so that such an account takes as long to refuse.
  if (passwordHash === NO_PASSWORD_YET) return (await verifyPassword(await decoyPasswordHash(), password)) && false;
  try {
    return await hashing(() => verify(passwordHash, password));
  } catch {
    return false;
  }
}

/** A hash of a random password, verified against when no account matches, so that an unknown
 *  username takes as long to refuse as a wrong password. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(crypto.randomUUID());
  return decoyHash;
}
