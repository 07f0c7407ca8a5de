import { isAsOfDate } from "../clock.ts";
import type { Command } from "commander";
import type { Context } from "../deps.ts";
import type { CliIo } from "./cli.ts";
import type { Db } from "../db/connect.ts";
import { AppError } from "../errors.ts";
import { accountDirectory } from "../accounts/index.ts";
import { certificationIdNamed, certificationView, expireOverdueSubscriptions } from "../learning/index.ts";
import { competencyLabel, guideDate, percentage } from "../format.ts";
import { complianceReason, openProgress, personCompliance } from "../compliance/index.ts";

type WithContext = <T>(work: (context: Context) => Promise<T>) => Promise<T>;

/** `lms compliance` and `lms certification`: what the learner's pages show, for support staff and scripts. */
export function registerLearningCommands(program: Command, withContext: WithContext, io: CliIo): void {
  program
    .command("compliance")
    .description("Print a person's compliance per assignment, as the Compliance and Competency page shows it.")
    .requiredOption("--username <username>", "whose compliance, e.g. 297ECONROY01")
    .option("--as-of <date>", "judge as of this date, YYYY-MM-DD (default: today)", asDate)
    .option("--json", "print JSON")
    .action((options: { username: string; asOf?: string; json?: boolean }) =>
      withContext(async ({ db, clock }) => {
        const personId = await personOf(db, options.username);
        const asOf = options.asOf ?? clock.today();
        const progress = await openProgress(db, personId);
        const assignments = (await personCompliance(db, personId, asOf)).map((view) => ({
          number: view.assignment.number,
          position: view.assignment.positionName,
          percentage: view.percentage,
          rows: view.rows.map((row) => ({
            competency: competencyLabel(row.competency),
            essential: row.essential,
            status: row.status,
            expiryDate: row.expiryDate,
            reason: complianceReason(row, progress.get(row.competencyId), asOf),
          })),
        }));
        if (options.json) return io.out(JSON.stringify({ username: options.username, asOf, assignments }));
        io.out(`Compliance of ${options.username} as of ${guideDate(asOf)}`);
        for (const assignment of assignments) {
          io.out(`\n${assignment.number} - ${assignment.position}: Compliance Percentage ${percentage(assignment.percentage)}`);
          for (const row of assignment.rows) {
            io.out(`  ${row.status.padEnd(5)}  ${guideDate(row.expiryDate).padEnd(11)}  ${row.essential ? "Y" : " "}  ${competencyLabel(row.competency)}${row.reason ? ` (${row.reason})` : ""}`);
          }
        }
      }),
    );

  program
    .command("expire-subscriptions")
    .description("Mark every subscription past its complete-by date Expired, with an audit event each (run daily).")
    .action(() =>
      withContext(async ({ db, clock }) => {
        io.out(`${await expireOverdueSubscriptions(db, clock.now().toISOString())} subscription(s) expired`);
      }),
    );

  program
    .command("certification")
    .description("Print a person's subscription to a certification and each component's status, as the certification page shows it.")
    .requiredOption("--username <username>", "whose subscription")
    .requiredOption("--name <certification>", 'the certification, e.g. "297 Core Skills - NHS Conflict Resolution - 3 Years"')
    .option("--json", "print JSON")
    .action((options: { username: string; name: string; json?: boolean }) =>
      withContext(async ({ db, clock }) => {
        const personId = await personOf(db, options.username);
        const certificationId = await certificationIdNamed(db, options.name);
        if (certificationId === undefined) throw new AppError("cli.unknown_certification", `No certification is named "${options.name}"`);
        const view = (await certificationView(db, personId, certificationId, clock.today()))!;
        const result = {
          certification: view.certification.name,
          subscription: view.subscription && { status: view.subscription.status, subscribedAt: view.subscription.subscribedAt, completeBy: view.subscription.completeBy, completedAt: view.subscription.completedAt },
          components: view.components.map((row) => ({ course: row.course, componentStatus: row.componentStatus, completionDate: row.completionDate, performanceStatus: row.performanceStatus, reason: row.reason })),
        };
        if (options.json) return io.out(JSON.stringify(result));
        io.out(`${result.certification}: ${result.subscription ? `${result.subscription.status}, complete by ${guideDate(result.subscription.completeBy)}` : "not subscribed"}`);
        for (const row of result.components) {
          io.out(`  ${row.componentStatus.padEnd(11)}  ${row.performanceStatus.padEnd(13)}  ${row.course}${row.reason ? ` (${row.reason})` : ""}`);
        }
      }),
    );
}

export async function personOf(db: Db, username: string): Promise<number> {
  const account = await accountDirectory(db).findByUsername(username);
  if (!account) throw new AppError("cli.unknown_username", `No one has the username "${username}"`);
  return account.personId;
}

export function asDate(value: string): string {
  // A round trip, so that 2026-02-30 (which Date would roll over to 2 March) is refused.
  if (!isAsOfDate(value)) {
    throw new AppError("cli.bad_date", `--as-of "${value}" must be a date from 1900-01-01 to 2999-12-31, YYYY-MM-DD`);
  }
  return value;
}
