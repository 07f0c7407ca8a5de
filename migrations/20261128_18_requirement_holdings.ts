import type { Knex } from "knex";

// Each assignment's standing on each requirement of its position: the best approved record the
// person holds of the competency (its expiry, '9999-12-31' for one that never expires, null when
// none is held) and when the latest of them was achieved. The organisation-wide summary
// (server/compliance/organisation-summary.ts then, organisation-summary-reads.ts now) scans this
// one table instead of joining half a million requirements to their records, which SQLite cannot
// do inside its 500 ms goal.
//
// The database keeps it true itself, by triggers on the three tables it is made from, so that no
// writer of records, assignments or requirements (crediting, approval, catalog import, CSV
// upload, a test inserting rows) can forget it. test/compliance/requirement-holdings.test.ts
// checks it against a from-scratch computation after every kind of change.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("requirement_holdings", (table) => {
    table.integer("assignment_id").notNullable().references("assignments.id").onDelete("CASCADE");
    table.integer("competency_id").notNullable();
    table.integer("position_id").notNullable();
    table.boolean("essential").notNullable();
    table.string("held_until", 10);
    table.string("latest_achieved_on", 10);
    table.primary(["assignment_id", "competency_id"]);
    // Covering the summary's scan: per position, essential only, with both dates in the index.
    table.index(["position_id", "essential", "held_until", "latest_achieved_on"]);
    // Finding the few rows whose latest record came after a date the summary looks back to.
    table.index(["latest_achieved_on"]);
    table.index(["competency_id", "position_id"]);
  });
  // The triggers look up one person's records of one competency on every change. Covering that
  // lookup also stops SQLite, which has no statistics, reading a competency's every record through
  // the (competency_id, status) index instead.
  await knex.schema.alterTable("competence_records", (table) => {
    table.dropIndex(["person_id", "competency_id"]);
    table.index(["person_id", "competency_id", "status", "expires_on", "achieved_on"], "competence_records_held_index");
  });
  if (onPostgres(knex)) await createPostgresTriggers(knex);
  else await createSqliteTriggers(knex);
  await knex.raw(`INSERT INTO requirement_holdings (assignment_id, competency_id, position_id, essential, held_until, latest_achieved_on)
    SELECT a.id, q.competency_id, q.position_id, q.essential, ${heldUntil("a.person_id", "q.competency_id")}, ${latestAchieved("a.person_id", "q.competency_id")}
    FROM assignments a JOIN competence_requirements q ON q.position_id = a.position_id`);
}

export async function down(knex: Knex): Promise<void> {
  if (onPostgres(knex)) {
    await knex.raw("DROP TRIGGER requirement_holdings_records ON competence_records");
    await knex.raw("DROP TRIGGER requirement_holdings_assignments ON assignments");
    await knex.raw("DROP TRIGGER requirement_holdings_requirements ON competence_requirements");
    await knex.raw("DROP TRIGGER requirement_holdings_requirements_changed ON competence_requirements");
    for (const name of ["on_record", "on_assignment", "on_requirement", "refresh"]) await knex.raw(`DROP FUNCTION requirement_holdings_${name}`);
  } else {
    for (const name of SQLITE_TRIGGERS) await knex.raw(`DROP TRIGGER requirement_holdings_${name}`);
  }
  await knex.schema.dropTable("requirement_holdings");
  await knex.schema.alterTable("competence_records", (table) => {
    table.dropIndex([], "competence_records_held_index");
    table.index(["person_id", "competency_id"]);
  });
}

/** The best approved record's expiry; null when none is held. The compliance page's rule 5 reads the same record. */
function heldUntil(person: string, competency: string): string {
  return `(SELECT max(coalesce(r.expires_on, '9999-12-31')) FROM competence_records r WHERE r.person_id = ${person} AND r.competency_id = ${competency} AND r.status = 'approved')`;
}

/** Lets the summary look back to a date before the latest record was achieved (the records decide then). */
function latestAchieved(person: string, competency: string): string {
  return `(SELECT max(r.achieved_on) FROM competence_records r WHERE r.person_id = ${person} AND r.competency_id = ${competency} AND r.status = 'approved')`;
}

function refreshPerson(person: string, competency: string): string {
  return `UPDATE requirement_holdings SET held_until = ${heldUntil(person, competency)}, latest_achieved_on = ${latestAchieved(person, competency)}
    WHERE competency_id = ${competency} AND assignment_id IN (SELECT id FROM assignments WHERE person_id = ${person});`;
}

function addForAssignment(assignment: string): string {
  return `INSERT INTO requirement_holdings (assignment_id, competency_id, position_id, essential, held_until, latest_achieved_on)
    SELECT ${assignment}.id, q.competency_id, q.position_id, q.essential, ${heldUntil(`${assignment}.person_id`, "q.competency_id")}, ${latestAchieved(`${assignment}.person_id`, "q.competency_id")}
    FROM competence_requirements q WHERE q.position_id = ${assignment}.position_id;`;
}

function addForRequirement(requirement: string): string {
  return `INSERT INTO requirement_holdings (assignment_id, competency_id, position_id, essential, held_until, latest_achieved_on)
    SELECT a.id, ${requirement}.competency_id, ${requirement}.position_id, ${requirement}.essential, ${heldUntil("a.person_id", `${requirement}.competency_id`)}, ${latestAchieved("a.person_id", `${requirement}.competency_id`)}
    FROM assignments a WHERE a.position_id = ${requirement}.position_id;`;
}

function removeForRequirement(requirement: string): string {
  return `DELETE FROM requirement_holdings WHERE position_id = ${requirement}.position_id AND competency_id = ${requirement}.competency_id;`;
}

const REQUIREMENT_CHANGED = "OLD.position_id <> NEW.position_id OR OLD.competency_id <> NEW.competency_id OR OLD.essential <> NEW.essential";

const SQLITE_TRIGGERS = ["record_added", "record_changed", "record_removed", "assignment_added", "assignment_moved", "requirement_added", "requirement_changed", "requirement_removed"];

// SQLite has one writer at a time, so each trigger simply works the rows out again.
async function createSqliteTriggers(knex: Knex): Promise<void> {
  const bodies: Record<string, string> = {
    record_added: `AFTER INSERT ON competence_records BEGIN ${refreshPerson("NEW.person_id", "NEW.competency_id")} END`,
    record_changed: `AFTER UPDATE ON competence_records BEGIN ${refreshPerson("OLD.person_id", "OLD.competency_id")} ${refreshPerson("NEW.person_id", "NEW.competency_id")} END`,
    record_removed: `AFTER DELETE ON competence_records BEGIN ${refreshPerson("OLD.person_id", "OLD.competency_id")} END`,
    assignment_added: `AFTER INSERT ON assignments BEGIN ${addForAssignment("NEW")} END`,
    assignment_moved: `AFTER UPDATE OF person_id, position_id ON assignments BEGIN DELETE FROM requirement_holdings WHERE assignment_id = OLD.id; ${addForAssignment("NEW")} END`,
    requirement_added: `AFTER INSERT ON competence_requirements BEGIN ${addForRequirement("NEW")} END`,
    requirement_changed: `AFTER UPDATE ON competence_requirements WHEN ${REQUIREMENT_CHANGED} BEGIN ${removeForRequirement("OLD")} ${addForRequirement("NEW")} END`,
    requirement_removed: `AFTER DELETE ON competence_requirements BEGIN ${removeForRequirement("OLD")} END`,
  };
  for (const name of SQLITE_TRIGGERS) await knex.raw(`CREATE TRIGGER requirement_holdings_${name} ${bodies[name]}`);
}

// PostgreSQL runs writers side by side, and a trigger's queries see only what was committed when
// they began. Two changes meeting on the same rows (a record credited while the person is given a
// new assignment; a requirement added while someone joins the position) would each miss the
// other's row. So each first locks what the other changes: the person's row for records and
// assignments, the position's row for requirements and assignments. Under READ COMMITTED the
// statement after a lock sees whatever the transaction it waited for committed.
async function createPostgresTriggers(knex: Knex): Promise<void> {
  await knex.raw(`CREATE FUNCTION requirement_holdings_refresh(person integer, competency integer) RETURNS void AS $$
    BEGIN
      PERFORM 1 FROM people WHERE id = person FOR NO KEY UPDATE;
      ${refreshPerson("person", "competency")}
    END $$ LANGUAGE plpgsql`);
  await knex.raw(`CREATE FUNCTION requirement_holdings_on_record() RETURNS trigger AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN PERFORM requirement_holdings_refresh(OLD.person_id, OLD.competency_id); END IF;
      IF TG_OP <> 'DELETE' THEN PERFORM requirement_holdings_refresh(NEW.person_id, NEW.competency_id); END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`);
  await knex.raw(`CREATE FUNCTION requirement_holdings_on_assignment() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        PERFORM 1 FROM positions WHERE id IN (OLD.position_id, NEW.position_id) ORDER BY id FOR SHARE;
        DELETE FROM requirement_holdings WHERE assignment_id = OLD.id;
      ELSE
        PERFORM 1 FROM positions WHERE id = NEW.position_id FOR SHARE;
      END IF;
      PERFORM 1 FROM people WHERE id = NEW.person_id FOR NO KEY UPDATE;
      ${addForAssignment("NEW")}
      RETURN NULL;
    END $$ LANGUAGE plpgsql`);
  await knex.raw(`CREATE FUNCTION requirement_holdings_on_requirement() RETURNS trigger AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        PERFORM 1 FROM positions WHERE id = OLD.position_id FOR NO KEY UPDATE;
        ${removeForRequirement("OLD")}
      END IF;
      IF TG_OP <> 'DELETE' THEN
        PERFORM 1 FROM positions WHERE id = NEW.position_id FOR NO KEY UPDATE;
        PERFORM 1 FROM people WHERE id IN (SELECT person_id FROM assignments WHERE position_id = NEW.position_id) ORDER BY id FOR NO KEY UPDATE;
        ${addForRequirement("NEW")}
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`);
  await knex.raw("CREATE TRIGGER requirement_holdings_records AFTER INSERT OR UPDATE OR DELETE ON competence_records FOR EACH ROW EXECUTE FUNCTION requirement_holdings_on_record()");
  await knex.raw("CREATE TRIGGER requirement_holdings_assignments AFTER INSERT OR UPDATE OF person_id, position_id ON assignments FOR EACH ROW EXECUTE FUNCTION requirement_holdings_on_assignment()");
  await knex.raw("CREATE TRIGGER requirement_holdings_requirements AFTER INSERT OR DELETE ON competence_requirements FOR EACH ROW EXECUTE FUNCTION requirement_holdings_on_requirement()");
  await knex.raw(`CREATE TRIGGER requirement_holdings_requirements_changed AFTER UPDATE ON competence_requirements FOR EACH ROW WHEN (${REQUIREMENT_CHANGED}) EXECUTE FUNCTION requirement_holdings_on_requirement()`);
}

// As server/db/connect.ts's isPostgres, which this file cannot import: connect.ts imports the migrations.
function onPostgres(knex: Knex): boolean {
  return knex.client.config.client === "pg";
}
