import { isPostgres, type Db } from "../../server/db/connect.ts";

/**
 * A real database trigger that refuses inserts into `table` whose `column` equals `value`, with
 * the message "refused by test trigger": the way tests make a transaction fail half-way, on
 * SQLite and PostgreSQL alike, without mocking the database. An upsert is refused too (its insert
 * fires the trigger before the conflict turns it into an update). A number is compared as a
 * number: SQLite's trigger never finds 7 equal to '7'.
 */
export async function refuseInserts(db: Db, table: string, column: string, value: string | number): Promise<void> {
  const name = `refuse_${table}`;
  const literal = typeof value === "number" ? String(value) : `'${value}'`;
  if (isPostgres(db)) {
    await db.raw(`CREATE FUNCTION ${name}() RETURNS trigger AS $$ BEGIN
      IF NEW.${column} = ${literal} THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await db.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  } else {
    await db.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} WHEN NEW.${column} = ${literal}
      BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END`);
  }
}

export async function stopRefusing(db: Db, table: string): Promise<void> {
  const name = `refuse_${table}`;
  if (isPostgres(db)) {
    await db.raw(`DROP TRIGGER ${name} ON ${table}`);
    await db.raw(`DROP FUNCTION ${name}()`);
  } else {
    await db.raw(`DROP TRIGGER ${name}`);
  }
}
