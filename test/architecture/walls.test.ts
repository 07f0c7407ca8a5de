import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { queriesAwayFromHome, readModelsThatWrite, readWalls, tablesOf, writersOf, type Walls } from "./walls.ts";
import { DRAWING, drawAreas } from "../../scripts/draw-areas.ts";

const root = path.resolve(import.meta.dirname, "../..");
const KNOWN_FILE = path.join(import.meta.dirname, "known-violations.json");
/** A knex query begun from a table name: db("people"), trx('courses'). */
const RAW_QUERY = /\b(db|trx)\(\s*["'`][a-z_]+["'`]\s*\)/;

/**
 * Issue 19: the import walls between areas, held by a tool. What breaks them today is listed in
 * known-violations.json and is to be burnt down; a new break fails here, and so does a listed
 * one that has been mended and not struck off (so that it cannot come back unseen).
 */
describe("the walls between areas", () => {
  it("has no break of a wall but those listed as known, and every listed one still stands", async () => {
    const known = JSON.parse(fs.readFileSync(KNOWN_FILE, "utf8")) as Walls;
    const now = await readWalls(root, ["server", "player", "migrations", "bin"]);
    const added = (current: string[], listed: string[]) => current.filter((line) => !listed.includes(line));
    expect(added(now.violations, known.violations), "new breaks of .dependency-cruiser.cjs's rules").toEqual([]);
    expect(added(now.areaCycleEdges, known.areaCycleEdges), "new imports on a cycle between areas").toEqual([]);
    expect(added(known.violations, now.violations), `mended: strike them off ${KNOWN_FILE}`).toEqual([]);
    expect(added(known.areaCycleEdges, now.areaCycleEdges), `mended: strike them off ${KNOWN_FILE}`).toEqual([]);
    // The README's drawing is the code's: regenerate it with npm run walls:drawing.
    expect(fs.readFileSync(DRAWING, "utf8"), "docs/areas.svg is not the code's: npm run walls:drawing").toBe(drawAreas(now.areaEdges, now.areaCycleEdges));
  });

  it("has one writer of competence_records, the table compliance is computed from: server/records/store.ts", () => {
    const sources = fs.readdirSync(path.join(root, "server"), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));
    const files = Object.fromEntries(sources.map((file) => [`server/${file}`, fs.readFileSync(path.join(root, "server", file), "utf8")]));
    expect(writersOf("competence_records", files)).toEqual(["server/records/store.ts"]);
    // And the check sees a writer when there is one, however its query is chained.
    expect(writersOf("competence_records", {
      "a.ts": 'await trx("competence_records").where({ id }).update({ status: "approved" });',
      "b.ts": "const [row] = await db('competence_records')\n  .insert(row)\n  .returning('id');",
      "c.ts": 'const held = await db("competence_records").where({ person_id }).select("id"); await db("other").update({});',
      "d.ts": 'await trx.insert(rows).into("competence_records");',
      "e.ts": 'await db.raw("UPDATE competence_records SET status = ? WHERE id = ?", ["approved", id]);',
      "f.ts": "// Approving a record: we update competence_records through server/records/.\nawait approve(trx, id);",
      "g.ts": 'await trx("competence_records as cr").where("cr.id", id).update({ status: "approved" });',
      "h.ts": 'await db("competence_records").truncate();',
    })).toEqual(["a.ts", "b.ts", "d.ts", "e.ts", "g.ts", "h.ts"]);
  });

  it("keeps routes HTTP only: no route file queries a table itself", () => {
    const routeFiles = fs.readdirSync(path.join(root, "server"), { recursive: true, encoding: "utf8" }).filter((file) => /(^|\/)([a-z-]+-)?routes\.ts$/.test(file));
    expect(routeFiles.length).toBeGreaterThan(20);
    const querying = routeFiles.filter((file) => RAW_QUERY.test(fs.readFileSync(path.join(root, "server", file), "utf8")));
    expect(querying, "move the query into the area's store or a named read model").toEqual([]);
    expect(["const rows = await db(\"people\").select();", "await trx('courses').where({ id })"].every((text) => RAW_QUERY.test(text))).toBe(true);
  });

  it("gives every query a home: a store (store.ts, *-store.ts), a read model (*-reads.ts) or the database kit", () => {
    const migrations = fs.readdirSync(path.join(root, "migrations")).map((file) => fs.readFileSync(path.join(root, "migrations", file), "utf8"));
    const tables = tablesOf(migrations);
    expect(tables).toEqual(expect.arrayContaining(["accounts", "competence_records", "subscriptions", "sessions"]));
    const sources = fs.readdirSync(path.join(root, "server"), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));
    const files = Object.fromEntries(sources.map((file) => [`server/${file}`, fs.readFileSync(path.join(root, "server", file), "utf8")]));
    expect(queriesAwayFromHome(tables, files), "move the query into the area's store or a named read model").toEqual([]);
    expect(readModelsThatWrite(files), "a read model changes nothing: move the write into a store").toEqual([]);
    // And the checks see what they are for, however the query is written.
    expect(queriesAwayFromHome(["people", "sessions"], {
      "server/a/service.ts": 'const row = await trx("people").where({ id }).first();',
      "server/a/rules.ts": 'await db.raw("select 1");',
      "server/a/lookup.ts": 'connection.prepare("SELECT sess FROM sessions WHERE sid = ?");',
      "server/a/aliased.ts": "q('people as p').select('p.id')",
      "server/a/typed.ts": 'const rows = await db<PersonRow>("people").select("id");',
      "server/a/store.ts": 'await db("people").insert(row);',
      "server/a/people-store.ts": 'await db("people").insert(row);',
      "server/a/roster-reads.ts": 'await db("people").select("id");',
      "server/db/backup.ts": 'await db.raw("VACUUM INTO ?", [file]);',
      "server/a/words.ts": 'const label = "Select the people you want from the list";',
    })).toEqual(["server/a/aliased.ts", "server/a/lookup.ts", "server/a/rules.ts", "server/a/service.ts", "server/a/typed.ts"]);
    expect(readModelsThatWrite({
      "server/a/roster-reads.ts": 'await db("people").where({ id }).update({ name });',
      "server/a/raw-reads.ts": 'await db.raw("UPDATE people SET name = ? WHERE id = ?", [name, id]);',
      "server/a/list-reads.ts": 'await db("people").select("id"); // Select who to update in the next step.',
      "server/a/store.ts": 'await db("people").del();',
    })).toEqual(["server/a/raw-reads.ts", "server/a/roster-reads.ts"]);
  });

  describe("on a deliberately broken copy, each rule", () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "lms-walls-"));
    let walls: Walls;
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
      fs.writeFileSync(path.join(scratch, file), text);
    };
    beforeAll(async () => {
      write("tsconfig.json", fs.readFileSync(path.join(root, "tsconfig.json"), "utf8"));
      write("server/learning/rules.ts", "export const credited = (done: boolean) => done;\n");
      write("server/people/store.ts", "export const people = () => [];\n");
      write("server/people/service.ts", 'import { people } from "./store.ts";\nexport const everyone = () => people();\n');
      write("server/people/names.ts", "export const plain = (name: string) => name.toLowerCase();\n");
      write("server/runtime/time.ts", "export type Timespan = string;\nexport const timespan = (ms: number): Timespan => `${ms}`;\n");
      write("server/scorm/time.ts", "export const seconds = (ms: number) => ms / 1000;\n");
      write("player/uses-kernel.ts", 'import { seconds } from "../server/scorm/time.ts";\nexport const shown = seconds(1000);\n');
      write("server/scorm/reads-runtime.ts", 'import { timespan } from "../runtime/time.ts";\nexport const t = timespan(1);\n');
      write("server/scorm/reads-files.ts", 'import fs from "node:fs";\nexport const here = fs.existsSync(".");\n');
      write("server/scorm/logs.ts", 'import pino from "pino";\nexport const logger = pino();\n');
      write("server/scorm/reads-host.ts", 'import os from "node:os";\nexport const host = os.hostname();\n');
      // The breaks, one for each rule.
      write("server/web/kit.ts", 'import { credited } from "../learning/rules.ts";\nexport const kit = credited(true);\n');
      write("server/web/format.ts", "export const shown = (text: string) => text;\n");
      write("server/classroom/class-rules.ts", 'import { shown } from "../web/format.ts";\nexport const label = shown("Enrolled");\n');
      write("migrations/20260101_01_backfill.ts", 'import { plain } from "../server/people/names.ts";\nexport const up = () => plain("A");\n');
      write("player/uses-runtime.ts", 'import { timespan } from "../server/runtime/time.ts";\nexport const shown = timespan(1);\n');
      write("server/runtime/index.ts", 'export { timespan, type Timespan } from "./time.ts";\n');
      write("player/uses-types.ts", 'import type { Timespan } from "../server/runtime/index.ts";\nexport const none: Timespan | null = null;\n');
      write("server/learning/reads-people.ts", 'import { people } from "../people/store.ts";\nexport const count = () => people().length;\n');
      write("server/audit/store.ts", "export const recordAudit = () => undefined;\n");
      write("server/audit/index.ts", 'export { recordAudit } from "./store.ts";\n');
      write("server/people/records.ts", 'import { recordAudit } from "../audit/index.ts";\nexport const audited = recordAudit();\n');
      write("server/people/sneaks.ts", 'import { recordAudit } from "../audit/store.ts";\nexport const sneaked = recordAudit();\n');
      write("server/app.ts", 'import { everyone } from "./people/service.ts";\nexport const app = everyone();\n');
      write("bin/lms.ts", 'import { plain } from "../server/people/names.ts";\nexport const shown = plain("A");\n');
      write("server/main.ts", 'import { recordAudit } from "./audit/index.ts";\nimport { seconds } from "./scorm/time.ts";\nexport const started = [recordAudit(), seconds(1)];\n');
      write("server/clock.ts", 'import { plain } from "./people/names.ts";\nexport const today = plain("MONDAY");\n');
      write("server/people/age-rules.ts", 'import { helper } from "./helper.ts";\nexport const adult = helper(18);\n');
      write("server/db/quote.ts", "export const quoted = (text: string) => `'${text}'`;\n");
      write("server/people/helper.ts", 'import { quoted } from "../db/quote.ts";\nexport const helper = (age: number) => quoted(String(age));\n');
      write("server/alpha/a.ts", 'import { b } from "../beta/b.ts";\nexport const a = () => b();\n');
      write("server/beta/b.ts", 'import { c } from "../alpha/c.ts";\nexport const b = () => c;\n');
      write("server/alpha/c.ts", "export const c = 1;\n");
      write("server/gamma/g.ts", 'import { d } from "../delta/d.ts";\nexport type G = { n: number };\nexport const g = () => d;\n');
      write("server/delta/d.ts", 'import type { G } from "../gamma/g.ts";\nexport const d: G = { n: 1 };\n');
      walls = await readWalls(scratch, ["server", "player", "migrations", "bin"]);
    });
    afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it.each([
      ["kits-import-no-area", "server/web/kit.ts -> server/learning/rules.ts"],
      ["rules-import-no-web-or-db", "server/classroom/class-rules.ts -> server/web/format.ts"],
      ["rules-import-no-web-or-db", "server/people/age-rules.ts -> server/db/quote.ts"],
      ["base-imports-no-area", "server/clock.ts -> server/people/names.ts"],
      ["migrations-are-history", "migrations/20260101_01_backfill.ts -> server/people/names.ts"],
      ["player-imports-only-the-kernel", "player/uses-runtime.ts -> server/runtime/time.ts"],
      ["kernel-imports-no-area", "server/scorm/reads-runtime.ts -> server/runtime/time.ts"],
      ["kernel-does-no-io", "server/scorm/reads-files.ts -> fs"],
      ["kernel-does-no-io", "server/scorm/reads-host.ts -> os"],
      ["kernel-does-no-io", "server/scorm/logs.ts -> pino"],
      ["no-other-areas-store", "server/learning/reads-people.ts -> server/people/store.ts"],
      ["through-the-public-surface", "server/people/sneaks.ts -> server/audit/store.ts"],
      ["through-the-public-surface", "server/learning/reads-people.ts -> server/people/store.ts"],
      ["through-the-public-surface", "server/app.ts -> server/people/service.ts"],
      ["through-the-public-surface", "bin/lms.ts -> server/people/names.ts"],
    ])("%s is reported", (rule, edge) => {
      expect(walls.violations).toContain(`${rule}: ${edge}`);
    });

    it("reports nothing that keeps within the walls: a type or the kernel from the player, an area's own store, an area's index, a kit", () => {
      const within = ["player/uses-types.ts", "player/uses-kernel.ts", "server/people/service.ts ->", "server/people/records.ts", "server/main.ts"];
      expect(walls.violations.filter((line) => within.some((file) => line.includes(file)))).toEqual([]);
    });

    it("finds a cycle between two areas, though no module imports itself back", () => {
      expect(walls.areaCycleEdges).toEqual(expect.arrayContaining(["server/alpha -> server/beta", "server/beta -> server/alpha"]));
      // A cycle closed by a type alone is a cycle too: the two areas cannot be understood apart.
      expect(walls.areaCycleEdges).toEqual(expect.arrayContaining(["server/gamma -> server/delta", "server/delta -> server/gamma"]));
      expect(walls.areaCycleEdges.filter((edge) => edge.includes("people") || edge.includes("learning"))).toEqual([]);
    });
  });
});
