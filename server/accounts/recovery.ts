import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { recordAudit } from "../audit/index.ts";
import { queueMail } from "../mail/index.ts";
import { guideDateTime } from "../format.ts";
import { issueToken, TOKEN_LIFETIME_MS } from "./tokens.ts";
import { createTokenStore } from "./token-store.ts";
import { holderByUsername, holdersByEmailAndBirth, type Holder } from "./holder-reads.ts";

/**
 * The guide's "Forgotten | Request Username/Password | Unlock Account": each request sends an
 * email only when its details match an account, and only to the address held for the person.
 * Callers answer the same whether or not anything matched (recovery-routes.ts), so these say
 * nothing back.
 */
export interface RecoveryDeps {
  db: Db;
  clock: Clock;
  publicUrl: string;
}

/** Forgot Username: email and date of birth (YYYY-MM-DD) -> "<VPD> ESR User Name Lookup" (the guide's subject line), with a link to reset the password. */
export async function requestUsername(deps: RecoveryDeps, request: { email: string; dateOfBirth: string; ip: string | null }): Promise<void> {
  for (const holder of await holdersByEmailAndBirth(deps.db, request.email, request.dateOfBirth)) {
    await sendLink(deps, holder, request, {
      purpose: "reset",
      subject: "ESR User Name Lookup",
      auditKind: "account.username_sent",
      text: (link, until) => [
        `Your username is: ${holder.username}`,
        "",
        `Use it with your password to log in at ${deps.publicUrl}.`,
        "",
        `Forgotten your password too? Follow this link or reset your password (it works once, until ${until}):`,
        link,
        "",
        "If you did not ask for this, you can ignore this email: nothing has changed.",
      ],
    });
  }
}

/** Reset Password: username -> a reset link to the address held. */
export async function requestReset(deps: RecoveryDeps, request: { username: string; ip: string | null; byAccountId?: number }): Promise<boolean> {
  const holder = await holderByUsername(deps.db, request.username);
  if (!holder) return false;
  return sendLink(deps, holder, request, {
    purpose: "reset",
    subject: "Reset your password",
    auditKind: "account.reset_requested",
    text: (link, until) => [
      `Someone asked to reset the password of ${holder.username}${request.byAccountId ? " (Learning and Development, on your behalf)" : ""}.`,
      "",
      `To choose a new password, follow this link (it works once, until ${until}):`,
      link,
      "",
      "Resetting it also unlocks your account and logs you out everywhere.",
      "If you did not ask for this, you can ignore this email: your password has not changed.",
    ],
  });
}

/** A new account added by L&D: a link to choose its first password (the same single-use reset link). */
export async function inviteToChoosePassword(deps: RecoveryDeps, request: { username: string; ip: string | null; byAccountId: number }): Promise<boolean> {
  const holder = await holderByUsername(deps.db, request.username);
  if (!holder) return false;
  return sendLink(deps, holder, request, {
    purpose: "reset",
    subject: "Your learning account",
    auditKind: "account.invited",
    text: (link, until) => [
      `An account has been made for you to do your training at ${deps.publicUrl}. Your username is: ${holder.username}`,
      "",
      `To choose your password, follow this link (it works once, until ${until}):`,
      link,
      "",
      "If the link has expired, use Forgotten > Reset Password on the login page with your username.",
    ],
  });
}

/** Unlock Account: username and email, both matching -> an unlock link. An administrator gives the username alone. */
export async function requestUnlock(deps: RecoveryDeps, request: { username: string; email?: string; ip: string | null; byAccountId?: number }): Promise<boolean> {
  const holder = await holderByUsername(deps.db, request.username, request.byAccountId === undefined ? String(request.email ?? "") : undefined);
  if (!holder) return false;
  return sendLink(deps, holder, request, {
    purpose: "unlock",
    subject: "Unlock your account",
    auditKind: "account.unlock_requested",
    text: (link, until) => [
      `To unlock the account ${holder.username}, follow this link (it works once, until ${until}):`,
      link,
      "",
      "Your password stays as it was. If you have forgotten it, use Reset Password instead.",
    ],
  });
}

/**
 * Issues a link and queues its email ("<VPD> <subject>", to the address held) with an audit
 * event, in one transaction; false when the account has had too many links this hour (an
 * administrator's request is never held back).
 */
async function sendLink(
  deps: RecoveryDeps,
  holder: Holder,
  request: { ip: string | null; byAccountId?: number },
  email: { purpose: "reset" | "unlock"; subject: string; auditKind: string; text: (link: string, until: string) => string[] },
): Promise<boolean> {
  if (request.byAccountId === undefined && (await tooMany(deps, holder, email.purpose, request.ip))) return false;
  await deps.db.transaction(async (trx) => {
    const link = await linkFor(trx, deps, holder, email.purpose);
    const until = guideDateTime(new Date(deps.clock.now().getTime() + TOKEN_LIFETIME_MS).toISOString());
    await queueMail(trx, { to: holder.email, subject: `${holder.vpd} ${email.subject}`, text: email.text(link, until).join("\n") }, deps.clock.now().toISOString());
    await audit(trx, deps, holder, email.auditKind, request.ip, request.byAccountId);
  });
  return true;
}

/**
 * Links of one kind one account may be sent in an hour from the Forgotten page: enough for a slow
 * mailbox, too few to flood it. Counted per kind: Reset Password asks only for the username, so
 * anyone could use up a shared count, and the owner's unlock link (which needs the email address
 * as well) would then never be sent while guessing locked the account.
 */
export const LINKS_PER_ACCOUNT_PER_HOUR = 3;

async function tooMany(deps: RecoveryDeps, holder: Holder, purpose: "reset" | "unlock", ip: string | null): Promise<boolean> {
  const since = new Date(deps.clock.now().getTime() - 60 * 60_000).toISOString();
  if ((await createTokenStore(deps.db).countSince(holder.accountId, purpose, since)) < LINKS_PER_ACCOUNT_PER_HOUR) return false;
  await recordAudit(deps.db, { kind: "account.recovery_limited", at: deps.clock.now().toISOString(), personId: holder.personId, ip, detail: { accountId: holder.accountId, purpose } });
  return true;
}

async function linkFor(trx: Db, deps: RecoveryDeps, holder: Holder, purpose: "reset" | "unlock"): Promise<string> {
  const token = await issueToken(trx, holder.accountId, purpose, deps.clock.now());
  return `${deps.publicUrl}/account/${purpose}?token=${token}`;
}

function audit(trx: Db, deps: RecoveryDeps, holder: Holder, kind: string, ip: string | null, byAccountId?: number) {
  return recordAudit(trx, { kind, at: deps.clock.now().toISOString(), actorAccountId: byAccountId ?? null, personId: holder.personId, ip, detail: { accountId: holder.accountId } });
}
