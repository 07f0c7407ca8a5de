import type { Db } from "../db/connect.ts";
import type { Clock } from "../clock.ts";
import { AppError, notFound } from "../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { queueMail } from "../mail/index.ts";
import type { Role } from "../web/roles.ts";
import { accessOf, discussionOf, type Discussion, type Viewer } from "./discussion-reads.ts";
import { mayRead, postProblems, staffRoleOf, STAFF_LABELS, tidyText, topicProblems, type DiscussionKind } from "./forum-rules.ts";
import { createForumStore, type Topic } from "./store.ts";

/** Who acts, from a page: the audit keeps their account and address. */
export interface ForumActor extends Viewer {
  ip: string | null;
}

export const NOT_YOURS = "You can read the discussions of the certifications you have subscribed to and the courses in them or booked. Subscribe from Compliance and Competency to join this one.";

/** The discussion, if it exists and the person may read it: 404 for none, 403 for someone else's. */
export async function readableDiscussion(db: Db, viewer: Viewer, kind: DiscussionKind, id: number): Promise<Discussion> {
  const discussion = await discussionOf(db, kind, id);
  if (!discussion) throw notFound("That discussion");
  if (!mayRead(await accessOf(db, viewer, discussion))) throw new AppError("forums.not_yours", NOT_YOURS, 403);
  return discussion;
}

/** Whether the person may read this discussion (pages elsewhere link to it only then). */
export async function mayReadDiscussion(db: Db, viewer: Viewer, kind: DiscussionKind, id: number): Promise<boolean> {
  return mayRead(await accessOf(db, viewer, { kind, id }));
}

/** A topic and its discussion, if the person may read it. */
export async function readableTopic(db: Db, viewer: Viewer, topicId: number): Promise<{ topic: Topic; discussion: Discussion }> {
  const topic = await createForumStore(db).topicById(topicId);
  if (!topic) throw notFound("That topic");
  return { topic, discussion: await readableDiscussion(db, viewer, topic.kind, topic.discussionId) };
}

/** Starts a topic with its first post; the starter follows it. Every problem with the form is told at once. */
export async function startTopic(db: Db, clock: Clock, actor: ForumActor, discussion: Discussion, form: { title: unknown; body: unknown }): Promise<number> {
  const title = tidyText(form.title);
  const body = tidyText(form.body);
  topicProblems(title, body).refuseIfAny("forums.topic_refused");
  const staffRole = staffRoleOf(await accessOf(db, actor, discussion));
  const at = clock.now().toISOString();
  return db.transaction(async (trx) => {
    const store = createForumStore(trx);
    const topicId = await store.addTopic({ kind: discussion.kind, discussionId: discussion.id, title, accountId: actor.accountId, at });
    await store.addPost({ topicId, accountId: actor.accountId, body, staffRole, at });
    await store.follow(topicId, actor.accountId, at);
    return topicId;
  });
}

/**
 * Replies in a topic that is not locked; the one replying follows it, and every other follower who
 * may still read the discussion is written to, in the same transaction as the reply.
 */
export async function reply(db: Db, clock: Clock, publicUrl: string, actor: ForumActor, topic: Topic, discussion: Discussion, form: { body: unknown }): Promise<number> {
  const body = tidyText(form.body);
  postProblems(body).refuseIfAny("forums.reply_refused");
  const staffRole = staffRoleOf(await accessOf(db, actor, discussion));
  const at = clock.now().toISOString();
  return db.transaction(async (trx) => {
    const store = createForumStore(trx);
    // Read again under the transaction: a lock that came in meanwhile wins.
    if ((await store.topicById(topic.id))?.locked) throw new AppError("forums.locked", "This topic is locked: no more replies can be added", 409);
    const postId = await store.addPost({ topicId: topic.id, accountId: actor.accountId, body, staffRole, at });
    await store.follow(topic.id, actor.accountId, at);
    const authorName = await store.nameOf(actor.accountId);
    const who = staffRole ? `${authorName} (${STAFF_LABELS[staffRole]})` : authorName;
    for (const follower of await store.followers(topic.id)) {
      if (follower.accountId === actor.accountId) continue;
      if (!mayRead(await accessOf(trx, { accountId: follower.accountId, personId: follower.personId, role: follower.role as Role }, discussion))) continue;
      await queueMail(
        trx,
        {
          to: follower.email,
          subject: `${follower.vpd} Forums and Chats: a reply in "${topic.title}"`,
          text: [
            `Dear ${follower.firstName},`,
            "",
            `${who} replied in "${topic.title}", in the discussion of ${discussion.name}.`,
            "",
            `Read it: ${publicUrl}/learning/forums/topics/${topic.id}`,
            "",
            "You get this because you follow the topic. To stop, choose Unfollow on the topic's page.",
          ].join("\n"),
        },
        at,
      );
    }
    return postId;
  });
}

export async function follow(db: Db, clock: Clock, viewer: Viewer, topicId: number, following: boolean): Promise<void> {
  const store = createForumStore(db);
  if (following) await store.follow(topicId, viewer.accountId, clock.now().toISOString());
  else await store.unfollow(topicId, viewer.accountId);
}

/** Any reader may report a post to L&D, once. */
export async function reportPost(db: Db, clock: Clock, actor: ForumActor, postId: number): Promise<number> {
  const post = await createForumStore(db).postById(postId);
  if (!post) throw notFound("That post");
  const { topic } = await readableTopic(db, actor, post.topicId);
  const at = clock.now().toISOString();
  await db.transaction(async (trx) => {
    if (await createForumStore(trx).report(postId, actor.accountId, at)) {
      await recordAudit(trx, { kind: "forum.post.reported", at, actorAccountId: actor.accountId, ip: actor.ip, personId: post.personId, detail: { postId, topicId: post.topicId, topic: topic.title } });
    }
  });
  return post.topicId;
}

/** L&D's moderation: hide or show a post again, dismiss its reports, lock or unlock a topic; each recorded in the audit with who and from where. */
export async function moderatePost(db: Db, clock: Clock, actor: ForumActor, postId: number, action: "hide" | "restore" | "dismiss"): Promise<number> {
  const post = await createForumStore(db).postById(postId);
  if (!post) throw notFound("That post");
  const topic = (await createForumStore(db).topicById(post.topicId))!;
  const at = clock.now().toISOString();
  await db.transaction(async (trx) => {
    const store = createForumStore(trx);
    const changed = action === "dismiss" ? (await store.closeReports(postId, actor.accountId, at)) > 0 : await store.setHidden(postId, action === "hide", actor.accountId, at);
    // Hiding answers the reports too: nothing is left for L&D to look at.
    const closed = action === "hide" ? await store.closeReports(postId, actor.accountId, at) : 0;
    if (!changed) return;
    const kind = { hide: "forum.post.hidden", restore: "forum.post.restored", dismiss: "forum.reports.dismissed" }[action];
    await recordAudit(trx, { kind, at, actorAccountId: actor.accountId, ip: actor.ip, personId: post.personId, detail: { postId, topicId: post.topicId, topic: topic.title, ...(closed ? { reportsClosed: closed } : {}) } });
  });
  return post.topicId;
}

export async function lockTopic(db: Db, clock: Clock, actor: ForumActor, topicId: number, locked: boolean): Promise<void> {
  const topic = await createForumStore(db).topicById(topicId);
  if (!topic) throw notFound("That topic");
  const at = clock.now().toISOString();
  await db.transaction(async (trx) => {
    if (await createForumStore(trx).setLocked(topicId, locked, actor.accountId, at)) {
      await recordAudit(trx, { kind: locked ? "forum.topic.locked" : "forum.topic.unlocked", at, actorAccountId: actor.accountId, ip: actor.ip, detail: { topicId, topic: topic.title } });
    }
  });
}
