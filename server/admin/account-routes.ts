import { Router, type Request } from "express";
import type { AppDeps } from "../deps.ts";
import { isRowId } from "../db/connect.ts";
import { requireRole } from "../web/auth.ts";
import { AppError, notFound } from "../errors.ts";
import { ROLE_LABELS, ROLES, type Role } from "../web/roles.ts";
import { changeRole, requestReset, requestUnlock } from "../accounts/index.ts";
import type { MailDelivery } from "../mail/index.ts";
import { adminAccountReads } from "./account-reads.ts";
import { PAGE_SIZE, renderPage } from "./pages.ts";

/** Accounts: their role, and starting a reset or an unlock (the person chooses their own password, never the administrator). */
export function accountAdminRoutes({ db, clock, config, mail }: AppDeps & { mail: MailDelivery }): Router {
  const router = Router();
  const admin = requireRole("admin");
  const accounts = adminAccountReads(db);
  const accountOf = async (req: Request) => {
    const id = Number(req.params.accountId);
    const account = isRowId(id) ? await accounts.byId(id) : undefined;
    if (!account) throw notFound("That account");
    return account;
  };

  router.get("/admin/accounts", admin, async (req, res) => {
    const search = String(req.query.q ?? "").trim().slice(0, 100);
    renderPage(req, res, "admin/accounts", { accounts: await accounts.list(search, PAGE_SIZE), search, roleLabels: ROLE_LABELS, now: clock.now().toISOString() });
  });

  router.get("/admin/accounts/:accountId", admin, async (req, res) => {
    renderPage(req, res, "admin/account", { account: await accountOf(req), roles: ROLES, roleLabels: ROLE_LABELS, notice: noticeFor(req.query.done), now: clock.now().toISOString(), problems: [] });
  });

  router.post("/admin/accounts/:accountId/role", admin, async (req, res) => {
    const account = await accountOf(req);
    const actor = res.locals.user as { accountId: number };
    try {
      await changeRole(db, clock, { account: { id: account.id, personId: account.person_id, role: account.role as Role }, role: String(req.body.role ?? ""), actorAccountId: actor.accountId, ip: req.ip ?? null });
    } catch (error) {
      // A role that is not one, or an administrator's own: the account page again, the problem beside Role.
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      res.status(400);
      return renderPage(req, res, "admin/account", { account, roles: ROLES, roleLabels: ROLE_LABELS, notice: undefined, now: clock.now().toISOString(), problems: [{ field: "role", message: error.message }] });
    }
    res.redirect(303, `/admin/accounts/${account.id}?done=role`);
  });

  for (const [action, start] of [["reset", requestReset], ["unlock", requestUnlock]] as const) {
    router.post(`/admin/accounts/:accountId/${action}`, admin, async (req, res) => {
      const account = await accountOf(req);
      await start({ db, clock, publicUrl: config.publicUrl }, { username: account.username, ip: req.ip ?? null, byAccountId: (res.locals.user as { accountId: number }).accountId });
      mail.kick();
      res.redirect(303, `/admin/accounts/${account.id}?done=${action}`);
    });
  }

  return router;
}

function noticeFor(done: unknown): string | undefined {
  return (
    {
      role: "The role has been saved.",
      reset: "A password reset link has been emailed to the person's address. They choose their own password.",
      unlock: "An unlock link has been emailed to the person's address.",
    } as Record<string, string>
  )[String(done)];
}
