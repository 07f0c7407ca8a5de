import fs from "node:fs";
import type { Command } from "commander";
import type { Context } from "../deps.ts";
import type { CliIo } from "./cli.ts";
import { AppError } from "../errors.ts";
import { migrateLatest } from "../db/connect.ts";
import { seedDemo } from "../demo/index.ts";
import { addUser } from "../people/index.ts";
import { checkCatalog, importCatalog } from "../setup/index.ts";
import { ROLES, type Role } from "../web/roles.ts";

type WithContext = <T>(work: (context: Context) => Promise<T>) => Promise<T>;

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerSetupCommands(program: Command, withContext: WithContext, io: CliIo): void {
  program
    .command("migrate")
    .description("Bring the database schema up to date (the server also does this at start).")
    .action(() =>
      withContext(async ({ db }) => {
        // openContext has already migrated; ask again so the answer reflects this run.
        const applied = await migrateLatest(db);
        const [done] = (await db.migrate.list()) as [Array<{ name: string }>, unknown[]];
        io.out(`Database schema is up to date (${done.length} migrations applied${applied.length ? `, ${applied.length} just now` : ""}).`);
      }),
    );

  program
    .command("seed-demo")
    .description("Create the demo trust (VPD 297), or bring it up to date. Safe to run again.")
    .action(() =>
      withContext(async (context) => {
        const summary = await seedDemo(context);
        io.out(
          `Demo trust ready: ${summary.catalog.competencies} competencies, ${summary.catalog.certifications} certifications, ` +
            `${summary.catalog.positions} positions, ${summary.catalog.people.added.length + summary.catalog.people.matched.length} people; ` +
            `${summary.coursesImported.length} courses imported${summary.coursesImported.length ? ` (${summary.coursesImported.join("; ")})` : ""}; ` +
            `${summary.recordsAdded} competence records added.`,
        );
      }),
    );

  program
    .command("add-user")
    .description("Add a person with an account and their assignments.")
    .requiredOption("--name <name>", 'the person\'s name, written "Last, First"')
    .requiredOption("--email <email>", "the email address used for recruitment")
    .requiredOption("--dob <date>", "date of birth, YYYY-MM-DD")
    .option("--username <username>", "defaults to the guide's form, e.g. 297JSMITH01")
    .option("--password <password>", "at least 12 characters; generated and shown once when left out")
    .option("--role <role>", `one of ${ROLES.join(", ")}`, "learner")
    .option("--employee-number <number>", "defaults to the next free number")
    .option("--vpd <code>", "the organisation's VPD code, when there are several")
    .option("--assignment <NUMBER:POSITION>", "an assignment, e.g. 24552166:E-Learning & Design Co-Ordinator (repeatable)", collect, [])
    .action((options: Record<string, string | string[] | undefined>) =>
      withContext(async ({ db, clock }) => {
        const assignments = (options.assignment as string[]).map(parseAssignment);
        const added = await addUser(db, clock, {
          name: String(options.name),
          email: String(options.email),
          dob: String(options.dob),
          role: options.role as Role,
          ...(options.username ? { username: String(options.username) } : {}),
          ...(options.password ? { password: String(options.password) } : {}),
          ...(options.employeeNumber ? { employeeNumber: String(options.employeeNumber) } : {}),
          ...(options.vpd ? { vpd: String(options.vpd) } : {}),
          assignments,
        });
        io.out(`Added ${added.username}`);
        if (added.generatedPassword) io.out(`Password (shown once): ${added.generatedPassword}`);
      }),
    );

  program
    .command("import-catalog")
    .description("Import competencies, certifications, positions and people from a JSON file (see README). All or nothing.")
    .argument("<file>", "the catalog JSON file")
    .action((file: string) =>
      // Checking reads the database and never writes it: a broken file leaves it exactly as it was.
      withContextAfter(() => readFile(file), withContext, async ({ db, clock }, text) => {
        const summary = await importCatalog(db, clock, await checkCatalog(db, text));
        io.out(
          `Imported ${summary.competencies} competencies, ${summary.certifications} certifications (${summary.components} components), ` +
            `${summary.positions} positions, ${summary.people.added.length} new and ${summary.people.matched.length} existing people.`,
        );
        for (const [username, password] of Object.entries(summary.generatedPasswords)) io.out(`Password for ${username} (shown once): ${password}`);
      }),
    );
}

async function withContextAfter<P>(prepare: () => P, withContext: WithContext, work: (context: Context, prepared: P) => Promise<void>) {
  const prepared = prepare();
  await withContext((context) => work(context, prepared));
}

function parseAssignment(value: string): { number: string; position: string } {
  const match = /^(\d+):(.+)$/.exec(value);
  if (!match) throw new AppError("cli.bad_assignment", `--assignment "${value}" must be NUMBER:POSITION, e.g. 24552166:E-Learning & Design Co-Ordinator`);
  return { number: match[1]!, position: match[2]!.trim() };
}

export function readFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new AppError("cli.unreadable_file", `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
