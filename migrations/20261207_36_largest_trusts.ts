import type { Knex } from "knex";

// Indexes for the largest trusts (issue 21: 200,000 staff, 2.2 million requirements).
//
// People in the order every report lists them: last name, first name, then employee number
// (unique, so the order is total). The reports' CSVs read the whole trust a range of people at a
// time (server/compliance/requirement-people-reads.ts), each range starting after the last
// person of the one before: with this index a range is found by a seek, not by sorting every
// person again for each of the hundred ranges of a 200,000-staff trust.
//
// The summary per competency's scan, covered: it read requirement_holdings through the
// (competency_id, position_id) index and fetched each row for its dates, 3.8 s at 50,000 staff on
// SQLite (bench:trusts), against 0.5 s from this index alone, as the summary per position reads
// migration 18's (position_id, essential, held_until, latest_achieved_on).
//
// Enrolments by subscription: the certification page (and Current Learning, which reads every
// certification's page at once) finds a subscription's enrolments, and without this scanned them
// all: 28 ms of Current Learning's 31 ms at 200,000 staff, where everyone has a mandatory enrolment.
// Subscriptions by certification: a course's people (its report page and CSV) are the subscribers
// of the certifications it belongs to, found without reading every subscription of the trust.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("people", (table) => {
    table.index(["last_name", "first_name", "employee_number"], "people_name_index");
  });
  await knex.schema.alterTable("requirement_holdings", (table) => {
    table.index(["competency_id", "essential", "held_until", "latest_achieved_on"], "requirement_holdings_by_competency");
  });
  await knex.schema.alterTable("enrolments", (table) => {
    table.index(["subscription_id"], "enrolments_subscription_index");
  });
  await knex.schema.alterTable("subscriptions", (table) => {
    table.index(["certification_id"], "subscriptions_certification_index");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("subscriptions", (table) => {
    table.dropIndex(["certification_id"], "subscriptions_certification_index");
  });
  await knex.schema.alterTable("enrolments", (table) => {
    table.dropIndex(["subscription_id"], "enrolments_subscription_index");
  });
  await knex.schema.alterTable("requirement_holdings", (table) => {
    table.dropIndex(["competency_id", "essential", "held_until", "latest_achieved_on"], "requirement_holdings_by_competency");
  });
  await knex.schema.alterTable("people", (table) => {
    table.dropIndex(["last_name", "first_name", "employee_number"], "people_name_index");
  });
}
