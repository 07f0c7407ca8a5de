import type { Db } from "../db/connect.ts";
import type { DiscussionKind, StaffRole } from "./forum-rules.ts";

export interface Topic {
  id: number;
  kind: DiscussionKind;
  discussionId: number;
  title: string;
  startedBy: string;
  startedAt: string;
  lastPostAt: string;
  locked: boolean;
  replies: number;
  answered: boolean;
}

export interface Post {
  id: number;
  topicId: number;
  accountId: number;
  personId: number;
  author: string;
  body: string;
  postedAt: string;
  staffRole: StaffRole | null;
  hidden: boolean;
}

export interface Follower {
  accountId: number;
  personId: number;
  role: string;
  email: string;
  firstName: string;
  vpd: string;
}

export interface ReportedPost extends Post {
  topicTitle: string;
  reports: number;
  firstReportedAt: string;
}

const nameOf = (row: Record<string, unknown>) => `${String(row.first_name)} ${String(row.last_name)}`;

function toPost(row: Record<string, unknown>): Post {
  return {
    id: Number(row.id),
    topicId: Number(row.topic_id),
    accountId: Number(row.account_id),
    personId: Number(row.author_person_id),
    author: nameOf(row),
    body: String(row.body),
    postedAt: String(row.posted_at),
    staffRole: (row.staff_role as StaffRole | null) ?? null,
    hidden: row.hidden_at !== null && row.hidden_at !== undefined,
  };
}

/** The forum tables: topics, posts, follows and reports; and, to write to followers, their addresses. */
export function createForumStore(db: Db) {
  const posts = () =>
    db("forum_posts")
      .join("accounts", "accounts.id", "forum_posts.account_id")
      .join("people", "people.id", "accounts.person_id")
      .select("forum_posts.*", "accounts.person_id as author_person_id", "people.first_name", "people.last_name");
  const topics = () =>
    db("forum_topics")
      .join("accounts", "accounts.id", "forum_topics.started_by")
      .join("people", "people.id", "accounts.person_id")
      .select("forum_topics.*", "people.first_name", "people.last_name")
      .select(db("forum_posts").whereRaw("forum_posts.topic_id = forum_topics.id").whereNull("hidden_at").count("*").as("shown"))
      // Answered: L&D or the course's author replied (their own question, asked in the first post, is not an answer).
      .select(
        db("forum_posts as answer")
          .whereRaw("answer.topic_id = forum_topics.id")
          .whereNotNull("answer.staff_role")
          .whereNull("answer.hidden_at")
          .whereRaw("answer.id > (select min(first.id) from forum_posts as first where first.topic_id = forum_topics.id)")
          .count("*")
          .as("answers"),
      );
  const toTopic = (row: Record<string, unknown>): Topic => ({
    id: Number(row.id),
    kind: row.discussion_kind as DiscussionKind,
    discussionId: Number(row.discussion_id),
    title: String(row.title),
    startedBy: nameOf(row),
    startedAt: String(row.started_at),
    lastPostAt: String(row.last_post_at),
    locked: row.locked_at !== null,
    replies: Math.max(0, Number(row.shown) - 1),
    answered: Number(row.answers) > 0,
  });

  return {
    async topicsOf(kind: DiscussionKind, discussionId: number): Promise<Topic[]> {
      const rows = await topics().where({ discussion_kind: kind, discussion_id: discussionId }).orderBy([{ column: "last_post_at", order: "desc" }, { column: "forum_topics.id", order: "desc" }]);
      return rows.map(toTopic);
    },

    async topicById(id: number): Promise<Topic | undefined> {
      const row = await topics().where("forum_topics.id", id).first();
      return row ? toTopic(row) : undefined;
    },

    async postsOf(topicId: number): Promise<Post[]> {
      return (await posts().where("forum_posts.topic_id", topicId).orderBy("forum_posts.id")).map(toPost);
    },

    async postById(id: number): Promise<Post | undefined> {
      const row = await posts().where("forum_posts.id", id).first();
      return row ? toPost(row) : undefined;
    },

    async addTopic(topic: { kind: DiscussionKind; discussionId: number; title: string; accountId: number; at: string }): Promise<number> {
      const [row] = await db("forum_topics")
        .insert({ discussion_kind: topic.kind, discussion_id: topic.discussionId, title: topic.title, started_by: topic.accountId, started_at: topic.at, last_post_at: topic.at })
        .returning("id");
      return Number(row.id);
    },

    async addPost(post: { topicId: number; accountId: number; body: string; staffRole: StaffRole | null; at: string }): Promise<number> {
      const [row] = await db("forum_posts").insert({ topic_id: post.topicId, account_id: post.accountId, body: post.body, staff_role: post.staffRole, posted_at: post.at }).returning("id");
      await db("forum_topics").where({ id: post.topicId }).update({ last_post_at: post.at });
      return Number(row.id);
    },

    /** Locks or unlocks; false when it already was so (a second click changes nothing and records nothing). */
    async setLocked(topicId: number, locked: boolean, accountId: number, at: string): Promise<boolean> {
      const query = db("forum_topics").where({ id: topicId });
      return (locked ? await query.whereNull("locked_at").update({ locked_at: at, locked_by: accountId }) : await query.whereNotNull("locked_at").update({ locked_at: null, locked_by: null })) > 0;
    },

    async setHidden(postId: number, hidden: boolean, accountId: number, at: string): Promise<boolean> {
      const query = db("forum_posts").where({ id: postId });
      return (hidden ? await query.whereNull("hidden_at").update({ hidden_at: at, hidden_by: accountId }) : await query.whereNotNull("hidden_at").update({ hidden_at: null, hidden_by: null })) > 0;
    },

    /** A person's name as posts show it: first and last. */
    async nameOf(accountId: number): Promise<string> {
      const row = await db("accounts").join("people", "people.id", "accounts.person_id").where("accounts.id", accountId).first("people.first_name", "people.last_name");
      return row ? nameOf(row) : "";
    },

    async follow(topicId: number, accountId: number, at: string): Promise<void> {
      await db("forum_follows").insert({ topic_id: topicId, account_id: accountId, followed_at: at }).onConflict(["topic_id", "account_id"]).ignore();
    },

    async unfollow(topicId: number, accountId: number): Promise<void> {
      await db("forum_follows").where({ topic_id: topicId, account_id: accountId }).delete();
    },

    async follows(topicId: number, accountId: number): Promise<boolean> {
      return (await db("forum_follows").where({ topic_id: topicId, account_id: accountId }).first("topic_id")) !== undefined;
    },

    async followers(topicId: number): Promise<Follower[]> {
      const rows = await db("forum_follows")
        .join("accounts", "accounts.id", "forum_follows.account_id")
        .join("people", "people.id", "accounts.person_id")
        .join("organisations", "organisations.id", "people.organisation_id")
        .where("forum_follows.topic_id", topicId)
        .orderBy("accounts.id")
        .select("accounts.id as account_id", "accounts.person_id", "accounts.role", "people.email", "people.first_name", "organisations.vpd");
      return rows.map((row) => ({ accountId: Number(row.account_id), personId: Number(row.person_id), role: String(row.role), email: String(row.email), firstName: String(row.first_name), vpd: String(row.vpd) }));
    },

    /** A person reports a post once; false when they had already. */
    async report(postId: number, accountId: number, at: string): Promise<boolean> {
      const rows = await db("forum_reports").insert({ post_id: postId, reported_by: accountId, reported_at: at }).onConflict(["post_id", "reported_by"]).ignore().returning("id");
      return rows.length > 0;
    },

    async closeReports(postId: number, accountId: number, at: string): Promise<number> {
      return db("forum_reports").where({ post_id: postId }).whereNull("closed_at").update({ closed_at: at, closed_by: accountId });
    },

    /** L&D's list: posts with open reports, the longest waiting first. */
    async reportedPosts(): Promise<ReportedPost[]> {
      const open = db("forum_reports").whereNull("closed_at").groupBy("post_id").select("post_id").count({ reports: "*" }).min({ first: "reported_at" }).as("open");
      const rows = await posts()
        .join(open, "open.post_id", "forum_posts.id")
        .join("forum_topics", "forum_topics.id", "forum_posts.topic_id")
        .select("forum_topics.title as topic_title", "open.reports", "open.first")
        .orderBy([{ column: "open.first" }, { column: "forum_posts.id" }]);
      return rows.map((row) => ({ ...toPost(row), topicTitle: String(row.topic_title), reports: Number(row.reports), firstReportedAt: String(row.first) }));
    },

    async openReportCount(): Promise<number> {
      const row = await db("forum_reports").whereNull("closed_at").countDistinct({ n: "post_id" }).first();
      return Number(row?.n ?? 0);
    },
  };
}

export type ForumStore = ReturnType<typeof createForumStore>;
