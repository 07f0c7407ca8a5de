import type { Command } from "commander";
import type { Context } from "../deps.ts";
import type { CliIo } from "./cli.ts";
import { AppError } from "../errors.ts";
import { competencyLabel, guideDate } from "../format.ts";
import { asDate } from "./learning-commands.ts";
import pino from "pino";
import { createMailDelivery } from "../mail/index.ts";
import { courseStatuses, type CourseStatus } from "../learning/index.ts";

const STATUSES: CourseStatus[] = ["Planned", "Enrolled", "In Progress", "Completed", "Passed", "Failed"];
import { spreadsheetCsv } from "../web/csv.ts";
import { competencySummary, complianceTrend, expiringCompetencies, organisationSummary, sendReminders, trendDates } from "../compliance/index.ts";

type WithContext = <T>(work: (context: Context) => Promise<T>) => Promise<T>;

const REPORTS = ["compliance", "courses", "expiring", "trend"] as const;

const csv = (table: Array<Array<string | number>>) => spreadsheetCsv(table, { download: false });

/**
 * `lms report compliance|expiring [--as-of DATE] [--csv]`: the trust's figures from set-based
 * statements, agreeing with every learner's own page on the same date.
 */
export function registerReportCommands(program: Command, withContext: WithContext, io: CliIo): void {
  program
    .command("send-reminders")
    .description("Email each learner whose essential competency turned Amber or Red since the last run, or (a new starter) came due, saying by when; once per change (run daily from cron; running it again sends nothing new). People added in the last REMINDER_GRACE_DAYS are held back until then.")
    .option("--as-of <date>", "judge as of this date, YYYY-MM-DD (default: today)", asDate)
    .action((options: { asOf?: string }) =>
      withContext(async ({ db, clock, config }) => {
        const result = await sendReminders(db, clock, { asOf: options.asOf ?? clock.today(), publicUrl: config.publicUrl, graceDays: config.reminderGraceDays });
        // Sent now, not at the server's next sweep: cron's run is over when this returns.
        const delivery = createMailDelivery({ db, clock, config, logger: pino({ level: "silent" }) });
        await delivery.deliverDue();
        await delivery.stop();
        io.out(`${result.emails} reminder(s) sent; ${result.changes} status change(s) noted${result.heldBack ? `; ${result.heldBack} new person(s) held back for their first ${config.reminderGraceDays} day(s)` : ""}`);
      }),
    );

  program
    .command("report <name>")
    .description("Print a report: compliance (by position and by competency, as of a date), courses (who is Planned / Enrolled / In Progress / Completed / Passed / Failed), expiring (essential competencies expiring within 3 months of a date), trend (the trust's compliance at the end of each of the 11 months before the date, then on the date).")
    .option("--as-of <date>", "as of this date, YYYY-MM-DD (default: today)", asDate)
    .option("--csv", "print CSV (compliance: one table, by position or with --by competency)")
    .option("--by <axis>", "compliance CSV: position (default) or competency")
    .action((name: string, options: { asOf?: string; csv?: boolean; by?: string }) =>
      withContext(async ({ db, clock }) => {
        if (!(REPORTS as readonly string[]).includes(name)) throw new AppError("cli.unknown_report", `There is no report "${name}": choose ${REPORTS.slice(0, -1).join(", ")} or ${REPORTS.at(-1)}`);
        if (options.by !== undefined && options.by !== "position" && options.by !== "competency") throw new AppError("cli.bad_axis", `--by "${options.by}" must be position or competency`);
        const asOf = options.asOf ?? clock.today();
        if (name === "courses") {
          const rows = await courseStatuses(db, asOf);
          if (options.csv) return io.out(csv([["Course", "Employee Number", "Name", "Status"], ...rows.map((row) => [row.course, row.employeeNumber, row.name, row.status])]).trimEnd());
          io.out(`Course status as of ${guideDate(asOf)} (people subscribed to a certification that has the course, or enrolled in it)`);
          for (const course of [...new Set(rows.map((row) => row.course))]) {
            const counts = STATUSES.map((status) => [status, rows.filter((row) => row.course === course && row.status === status).length] as const).filter(([, n]) => n > 0);
            io.out(`  ${course}: ${counts.map(([status, n]) => `${n} ${status}`).join(", ")}`);
          }
          return;
        }
        if (name === "trend") {
          const points = await complianceTrend(db, trendDates(asOf));
          if (options.csv) return io.out(csv([["Date", "Required", "Green", "Amber", "Red", "Compliance Percentage"], ...points.map((row) => [guideDate(row.asOf), row.required, row.green, row.amber, row.red, row.percentage.toFixed(1)])]).trimEnd());
          io.out(`The trust's compliance month by month, to ${guideDate(asOf)} (essential requirements of today's assignments; Amber counts as compliant)`);
          for (const row of points) io.out(`  ${guideDate(row.asOf)}  ${row.percentage.toFixed(1).padStart(5)}%  ${row.green} Green, ${row.amber} Amber, ${row.red} Red of ${row.required}`);
          return;
        }
        if (name === "expiring") {
          const rows = await expiringCompetencies(db, asOf);
          if (options.csv) return io.out(csv([["Employee Number", "Name", "Assignment", "Position", "Competency Name", "Expiry Date"], ...rows.map((row) => [row.employeeNumber, row.name, row.assignment, row.position, competencyLabel(row.competency), guideDate(row.expiresOn)])]).trimEnd());
          io.out(`Essential competencies expiring within 3 months of ${guideDate(asOf)}: ${rows.length}`);
          for (const row of rows) io.out(`  ${guideDate(row.expiresOn)}  ${row.employeeNumber}  ${row.name}  ${competencyLabel(row.competency)}  (${row.assignment} - ${row.position})`);
          return;
        }
        const [positions, competencies] = await Promise.all([organisationSummary(db, asOf), competencySummary(db, asOf)]);
        if (options.csv) {
          const header = ["Required", "Green", "Amber", "Red", "Compliance Percentage"];
          const table = options.by === "competency"
            ? [["Competency Name", ...header], ...competencies.map((row) => [competencyLabel(row.competency), row.required, row.green, row.amber, row.red, row.percentage.toFixed(1)])]
            : [["Position", "Assignments", ...header], ...positions.map((row) => [row.position, row.assignments, row.required, row.green, row.amber, row.red, row.percentage.toFixed(1)])];
          return io.out(csv(table).trimEnd());
        }
        io.out(`Compliance as of ${guideDate(asOf)} (essential requirements; Amber counts as compliant)`);
        io.out("\nBy position");
        for (const row of positions) io.out(`  ${row.percentage.toFixed(1).padStart(5)}%  ${row.position}: ${row.green} Green, ${row.amber} Amber, ${row.red} Red of ${row.required} (${row.assignments} assignments)`);
        io.out("\nBy competency");
        for (const row of competencies) io.out(`  ${row.percentage.toFixed(1).padStart(5)}%  ${competencyLabel(row.competency)}: ${row.green} Green, ${row.amber} Amber, ${row.red} Red of ${row.required}`);
      }),
    );
}
