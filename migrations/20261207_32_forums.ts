import type { Knex } from "knex";

// Forums and Chats (issue 20), on the guide's learning bar: a discussion per course and per
// certification, named by kind and id rather than by a foreign key to either table, so that one
// set of tables serves both. A post's staff role (L&D or the course's author) is kept as it was
// when written: the thread marks who answered for the trust even if their role changes later.
// Hiding a post and locking a topic keep who and when on the row; reports, one per person per post,
// stay until L&D hides the post or dismisses them.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("forum_topics", (table) => {
    table.increments("id");
    table.string("discussion_kind", 20).notNullable();
    table.integer("discussion_id").notNullable();
    table.string("title", 200).notNullable();
    table.integer("started_by").notNullable().references("accounts.id");
    table.string("started_at", 30).notNullable();
    table.string("last_post_at", 30).notNullable();
    table.string("locked_at", 30);
    table.integer("locked_by").references("accounts.id");
    table.index(["discussion_kind", "discussion_id", "last_post_at"]);
  });
  await knex.schema.createTable("forum_posts", (table) => {
    table.increments("id");
    table.integer("topic_id").notNullable().references("forum_topics.id").onDelete("CASCADE");
    table.integer("account_id").notNullable().references("accounts.id");
    table.text("body").notNullable();
    table.string("posted_at", 30).notNullable();
    table.string("staff_role", 20);
    table.string("hidden_at", 30);
    table.integer("hidden_by").references("accounts.id");
    table.index(["topic_id", "id"]);
  });
  await knex.schema.createTable("forum_follows", (table) => {
    table.integer("topic_id").notNullable().references("forum_topics.id").onDelete("CASCADE");
    table.integer("account_id").notNullable().references("accounts.id").onDelete("CASCADE");
    table.string("followed_at", 30).notNullable();
    table.primary(["topic_id", "account_id"]);
  });
  await knex.schema.createTable("forum_reports", (table) => {
    table.increments("id");
    table.integer("post_id").notNullable().references("forum_posts.id").onDelete("CASCADE");
    table.integer("reported_by").notNullable().references("accounts.id").onDelete("CASCADE");
    table.string("reported_at", 30).notNullable();
    table.string("closed_at", 30);
    table.integer("closed_by").references("accounts.id");
    table.unique(["post_id", "reported_by"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("forum_reports");
  await knex.schema.dropTable("forum_follows");
  await knex.schema.dropTable("forum_posts");
  await knex.schema.dropTable("forum_topics");
}
