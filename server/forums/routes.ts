import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { requireLogin, requireRole } from "../web/auth.ts";
import { generateCsrfToken } from "../web/session.ts";
import { guideDate, guideDateTime } from "../format.ts";
import { isRowId } from "../db/connect.ts";
import { notFound } from "../errors.ts";
import { FormRefusal } from "../problems.ts";
import { discussionsFor, type Discussion } from "./discussion-reads.ts";
import { BODY_MAX, DISCUSSION_KINDS, STAFF_LABELS, TITLE_MAX, type DiscussionKind } from "./forum-rules.ts";
import { follow, lockTopic, moderatePost, readableDiscussion, readableTopic, reply, reportPost, startTopic, type ForumActor } from "./forums.ts";
import { createForumStore } from "./store.ts";

/**
 * Forums and Chats, the guide's third learning tab: the discussions a person may read, a
 * discussion's topics with Start a topic, a topic's thread with Reply, Follow and Report; and L&D's
 * moderation (hide a post, lock a topic, the reported posts). Who may read what is forums.ts's.
 */
export function forumRoutes({ db, clock, config }: AppDeps): Router {
  const router = Router();
  const store = createForumStore(db);
  const actor = (req: Request, res: Response): ForumActor => {
    const user = res.locals.user as ForumActor;
    return { accountId: user.accountId, personId: user.personId, role: user.role, ip: req.ip ?? null };
  };
  const render = (req: Request, res: Response, template: string, locals: Record<string, unknown>) => {
    res.locals.learningBar = { q: "", exact: false, tab: "forums" };
    res.render(template, { user: res.locals.user, csrfToken: generateCsrfToken(req), guideDate, guideDateTime, staffLabels: STAFF_LABELS, titleMax: TITLE_MAX, bodyMax: BODY_MAX, problems: [], ...locals });
  };
  const rowId = (text: unknown, what: string): number => {
    const id = Number(text);
    if (typeof text !== "string" || !/^\d+$/.test(text) || !isRowId(id)) throw notFound(what);
    return id;
  };
  const kindOf = (text: unknown): DiscussionKind => {
    if (!DISCUSSION_KINDS.includes(text as DiscussionKind)) throw notFound("That discussion");
    return text as DiscussionKind;
  };
  const discussionUrl = (discussion: Pick<Discussion, "kind" | "id">) => `/learning/forums/${discussion.kind}/${discussion.id}`;
  const topicUrl = (topicId: number) => `/learning/forums/topics/${topicId}`;

  router.get("/learning/forums", requireLogin, async (req, res) => {
    const viewer = actor(req, res);
    const reported = viewer.role === "admin" ? await store.openReportCount() : 0;
    render(req, res, "forums/index", { discussions: await discussionsFor(db, viewer), reported });
  });

  router.get("/learning/forums/reported", requireRole("admin"), async (req, res) => {
    render(req, res, "forums/reported", { posts: await store.reportedPosts(), done: req.query.done === "1" });
  });

  const showDiscussion = async (req: Request, res: Response, discussion: Discussion, locals: Record<string, unknown> = {}) =>
    render(req, res, "forums/discussion", { discussion, topics: await store.topicsOf(discussion.kind, discussion.id), form: { title: "", body: "" }, ...locals });

  const showTopic = async (req: Request, res: Response, topicId: number, locals: Record<string, unknown> = {}) => {
    const viewer = actor(req, res);
    const { topic, discussion } = await readableTopic(db, viewer, topicId);
    render(req, res, "forums/topic", { topic, discussion, posts: await store.postsOf(topic.id), following: await store.follows(topic.id, viewer.accountId), form: { body: "" }, notice: undefined, discussionUrl: discussionUrl(discussion), ...locals });
  };

  router.get("/learning/forums/topics/:topicId", requireLogin, async (req, res) => {
    const notices: Record<string, string> = { reported: "Thank you: the post is reported to L&D, who will look at it.", followed: "You follow this topic: you will get an email when someone replies.", unfollowed: "You no longer follow this topic." };
    await showTopic(req, res, rowId(req.params.topicId, "That topic"), { notice: notices[String(req.query.done)] });
  });

  router.post("/learning/forums/topics/:topicId/replies", requireLogin, async (req, res) => {
    const topicId = rowId(req.params.topicId, "That topic");
    const { topic, discussion } = await readableTopic(db, actor(req, res), topicId);
    try {
      await reply(db, clock, config.publicUrl, actor(req, res), topic, discussion, { body: req.body?.body });
    } catch (error) {
      if (!(error instanceof FormRefusal)) throw error;
      res.status(400);
      return showTopic(req, res, topicId, { problems: error.problems, form: { body: String(req.body?.body ?? "") } });
    }
    res.redirect(303, `${topicUrl(topicId)}#latest`);
  });

  for (const [path, following] of [["follow", true], ["unfollow", false]] as const) {
    router.post(`/learning/forums/topics/:topicId/${path}`, requireLogin, async (req, res) => {
      const topicId = rowId(req.params.topicId, "That topic");
      await readableTopic(db, actor(req, res), topicId);
      await follow(db, clock, actor(req, res), topicId, following);
      res.redirect(303, `${topicUrl(topicId)}?done=${following ? "followed" : "unfollowed"}`);
    });
  }

  for (const [path, locked] of [["lock", true], ["unlock", false]] as const) {
    router.post(`/learning/forums/topics/:topicId/${path}`, requireRole("admin"), async (req, res) => {
      const topicId = rowId(req.params.topicId, "That topic");
      await lockTopic(db, clock, actor(req, res), topicId, locked);
      res.redirect(303, topicUrl(topicId));
    });
  }

  router.post("/learning/forums/posts/:postId/report", requireLogin, async (req, res) => {
    const topicId = await reportPost(db, clock, actor(req, res), rowId(req.params.postId, "That post"));
    res.redirect(303, `${topicUrl(topicId)}?done=reported`);
  });

  for (const action of ["hide", "restore", "dismiss"] as const) {
    router.post(`/learning/forums/posts/:postId/${action}`, requireRole("admin"), async (req, res) => {
      const topicId = await moderatePost(db, clock, actor(req, res), rowId(req.params.postId, "That post"), action);
      res.redirect(303, req.body?.from === "reported" ? "/learning/forums/reported?done=1" : topicUrl(topicId));
    });
  }

  router.get("/learning/forums/:kind/:id", requireLogin, async (req, res) => {
    const discussion = await readableDiscussion(db, actor(req, res), kindOf(req.params.kind), rowId(req.params.id, "That discussion"));
    await showDiscussion(req, res, discussion);
  });

  router.post("/learning/forums/:kind/:id/topics", requireLogin, async (req, res) => {
    const discussion = await readableDiscussion(db, actor(req, res), kindOf(req.params.kind), rowId(req.params.id, "That discussion"));
    try {
      const topicId = await startTopic(db, clock, actor(req, res), discussion, { title: req.body?.title, body: req.body?.body });
      res.redirect(303, topicUrl(topicId));
    } catch (error) {
      if (!(error instanceof FormRefusal)) throw error;
      res.status(400);
      await showDiscussion(req, res, discussion, { problems: error.problems, form: { title: String(req.body?.title ?? ""), body: String(req.body?.body ?? "") } });
    }
  });

  return router;
}
