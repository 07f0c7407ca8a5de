import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, settableClock, type TestApp } from "../support/test-app.ts";
import { buildCertification, buildLearner } from "../support/factories.ts";
import { signedIn, type SignedInAgent } from "../support/role-agents.ts";
import { importCourses } from "../support/attempts.ts";
import { expectErrorPattern } from "../support/error-pattern.ts";

const COURSE_A = "297 NHS Conflict Resolution - Part 1";
const COURSE_B = "297 Fire Safety - eLearning";
const CERT_A = "297 Core Skills - NHS Conflict Resolution - 3 Years";
const CERT_B = "297 Core Skills - Fire Safety - 1 Year";

type Person = SignedInAgent & { personId: number; accountId: number; username: string; email: string };

/** Forums and Chats through the real app: who may read and post, escaping, the error pattern, staff answers, following and its email, moderation. */
describe("Forums and Chats", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-02T09:00:00.000Z");
  let certA: number;
  let certB: number;
  let courseA: number;
  let courseB: number;
  let jane: Person; // subscribed to certification A
  let omar: Person; // subscribed to certification A too
  let pat: Person; // subscribed to certification B only
  let lnd: Person; // L&D administrator
  let author: Person; // the author of course A

  const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/&#34;/g, '"').replace(/&amp;/g, "&").replace(/\s+/g, " ");
  async function person(name: string, role: "learner" | "author" | "admin" = "learner"): Promise<Person> {
    const built = await buildLearner(t.db, t.clock, { name, role });
    const account = await t.db("accounts").where({ person_id: built.personId }).first("id");
    const email = String((await t.db("people").where({ id: built.personId }).first("email")).email);
    return { ...(await signedIn(t.app, built)), personId: built.personId, accountId: Number(account.id), username: built.username, email };
  }
  async function subscribe(who: Person, certificationId: number) {
    await who.agent.post(`/learning/certifications/${certificationId}/subscribe`).type("form").send({ _csrf: who.csrf }).expect(303);
  }
  async function startTopic(who: Person, kind: string, id: number, title: string, body: string): Promise<number> {
    const response = await who.agent.post(`/learning/forums/${kind}/${id}/topics`).type("form").send({ _csrf: who.csrf, title, body }).expect(303);
    return Number(/\/learning\/forums\/topics\/(\d+)$/.exec(String(response.headers.location))![1]);
  }
  const replyAs = (who: Person, topicId: number, body: string) => who.agent.post(`/learning/forums/topics/${topicId}/replies`).type("form").send({ _csrf: who.csrf, body });
  const mailsTo = async (who: Person) => (await t.db("mail_outbox").where({ to_address: who.email }).orderBy("id")).map((row) => ({ subject: String(row.subject), text: String(row.text_body) }));
  const count = async (table: string) => Number((await t.db(table).count({ n: "*" }).first())!.n);
  const lastPost = async () => t.db("forum_posts").orderBy("id", "desc").first();

  beforeAll(async () => {
    t = await createTestApp({ clock });
    const courses = await importCourses(t, [COURSE_A, COURSE_B]);
    [courseA, courseB] = [courses[COURSE_A]!, courses[COURSE_B]!];
    certA = (await buildCertification(t.db, { name: CERT_A, competency: "NHS|CSTF|Conflict Resolution - 3 Years|", components: [{ courseCode: COURSE_A }] })).certificationId;
    certB = (await buildCertification(t.db, { name: CERT_B, competency: "NHS|CSTF|Fire Safety - 1 Year|", components: [{ courseCode: COURSE_B }] })).certificationId;
    [jane, omar, pat, lnd, author] = [await person("Smith, Jane"), await person("Okoro, Omar"), await person("Patel, Pat"), await person("Okafor, Grace", "admin"), await person("Reid, Alex", "author")];
    await t.db("course_versions").where({ course_id: courseA }).update({ imported_by: author.accountId });
    await subscribe(jane, certA);
    await subscribe(omar, certA);
    await subscribe(pat, certB);
  });
  afterAll(() => t.cleanup());

  it("is on the learning bar, and lists the discussions of what the learner is subscribed to; L&D sees the whole catalog's", async () => {
    const page = await jane.agent.get("/learning/forums").expect(200);
    expect(page.text).toMatch(/<a href="\/learning\/forums" class="app-tabs__current" aria-current="page">Forums and Chats<\/a>/);
    expect((await jane.agent.get("/learning/current").expect(200)).text).toContain('<a href="/learning/forums">Forums and Chats</a>');
    expect(text(page.text)).toContain(`Certifications ${CERT_A} 0 topics Courses ${COURSE_A} 0 topics`);
    // The help page tells how it works.
    expect(text((await jane.agent.get("/help").expect(200)).text)).toContain("Forums and Chats Each course and each learning certification has a discussion");
    // The certification page links to its discussion.
    expect((await jane.agent.get(`/learning/certifications/${certA}`).expect(200)).text).toContain(`<a href="/learning/forums/certification/${certA}">Forums and Chats: ask about this certification</a>`);
    expect(page.text).not.toContain(CERT_B);
    expect(page.text).not.toContain(COURSE_B);
    expect(page.text).not.toContain("Reported posts");
    const all = text((await lnd.agent.get("/learning/forums").expect(200)).text);
    for (const name of [CERT_A, CERT_B, COURSE_A, COURSE_B, "Reported posts (0)"]) expect(all).toContain(name);
    // An author sees the discussions of their course, and of the certifications that have it.
    const authors = text((await author.agent.get("/learning/forums").expect(200)).text);
    expect(authors).toContain(COURSE_A);
    expect(authors).toContain(CERT_A);
    expect(authors).not.toContain(COURSE_B);
    // Someone subscribed to nothing is told how to join one.
    const newcomer = await person("Brown, Ben");
    expect(text((await newcomer.agent.get("/learning/forums").expect(200)).text)).toContain("There is no discussion for you yet. Subscribe to a certification from Compliance and Competency");
    // An author with no course yet is spoken to as an author, not told to subscribe as a learner (review of issue 20).
    const newAuthor = await person("Khan, Sara", "author");
    const authorsEmpty = text((await newAuthor.agent.get("/learning/forums").expect(200)).text);
    expect(authorsEmpty).toContain("There is no discussion for you yet. Each course you upload has its discussion here, where you answer learners' questions as its author: Upload a SCORM package .");
    expect(authorsEmpty).not.toContain("Subscribe to a certification");
  });

  it("links the certification page to its discussion only for those who may read it; others are told to subscribe", async () => {
    const link = `<a href="/learning/forums/certification/${certA}">Forums and Chats: ask about this certification</a>`;
    const instead = "Subscribe to join this certification's discussion in Forums and Chats.";
    // Pat is not subscribed to certification A: no link into a refusal, the way in instead.
    const pats = (await pat.agent.get(`/learning/certifications/${certA}`).expect(200)).text;
    expect(pats).not.toContain(`href="/learning/forums/certification/${certA}"`);
    expect(pats).toContain(instead);
    await pat.agent.get(`/learning/forums/certification/${certA}`).expect(403);
    // Jane is subscribed: the link, and where it leads opens.
    const janes = (await jane.agent.get(`/learning/certifications/${certA}`).expect(200)).text;
    expect(janes).toContain(link);
    expect(janes).not.toContain(instead);
    await jane.agent.get(`/learning/forums/certification/${certA}`).expect(200);
    // Subscribed before and unsubscribed since: still one of its learners, so still linked.
    const former = await person("Former, Fay");
    await subscribe(former, certA);
    await former.agent.post(`/learning/certifications/${certA}/unsubscribe`).type("form").send({ _csrf: former.csrf }).expect(303);
    expect((await former.agent.get(`/learning/certifications/${certA}`).expect(200)).text).toContain(link);
    await former.agent.get(`/learning/forums/certification/${certA}`).expect(200);
    // L&D moderates every discussion; the author of one of its courses answers there.
    expect((await lnd.agent.get(`/learning/certifications/${certA}`).expect(200)).text).toContain(link);
    expect((await author.agent.get(`/learning/certifications/${certA}`).expect(200)).text).toContain(link);
    expect((await author.agent.get(`/learning/certifications/${certB}`).expect(200)).text).toContain("Subscribe to join this certification's discussion");
  });

  it("keeps a learner out of a discussion they are not doing, and anonymous people out of all", async () => {
    const topicId = await startTopic(jane, "certification", certA, "Where is Part 2?", "I cannot find it.");
    const postId = Number((await lastPost()).id);
    const refusals = [
      pat.agent.get(`/learning/forums/certification/${certA}`),
      pat.agent.get(`/learning/forums/course/${courseA}`),
      pat.agent.get(`/learning/forums/topics/${topicId}`),
      pat.agent.post(`/learning/forums/certification/${certA}/topics`).type("form").send({ _csrf: pat.csrf, title: "Hello", body: "Sneaking in" }),
      replyAs(pat, topicId, "Sneaking in"),
      pat.agent.post(`/learning/forums/topics/${topicId}/follow`).type("form").send({ _csrf: pat.csrf }),
      pat.agent.post(`/learning/forums/posts/${postId}/report`).type("form").send({ _csrf: pat.csrf }),
      author.agent.get(`/learning/forums/course/${courseB}`),
    ];
    for (const [index, response] of (await Promise.all(refusals)).entries()) {
      expect(response.status, `refusal ${index}`).toBe(403);
      expect(response.text).toContain("You can read the discussions of the certifications you have subscribed to");
    }
    expect(await t.db("forum_posts").where({ topic_id: topicId }).count({ n: "*" }).first().then((row) => Number(row!.n))).toBe(1);
    expect(await t.db("forum_follows").where({ account_id: pat.accountId }).first()).toBeUndefined();
    expect(await t.db("forum_reports").where({ reported_by: pat.accountId }).first()).toBeUndefined();
    // Booked on one of a course's classes (Requested Learning), without its certification: its discussion opens.
    const booked = await person("Quinn, Bea");
    await booked.agent.get(`/learning/forums/course/${courseA}`).expect(403);
    const [classRow] = await t.db("classes").insert({ course_id: courseA, kind: "classroom", title: "Workshop", status: "open" }).returning("id");
    await t.db("enrolments").insert({ person_id: booked.personId, class_id: Number(classRow.id), status: "Requested", enrolled_at: "2026-03-02T09:00:00.000Z" });
    await booked.agent.get(`/learning/forums/course/${courseA}`).expect(200);
    await booked.agent.get(`/learning/forums/certification/${certA}`).expect(403);
    expect(text((await booked.agent.get("/learning/forums")).text)).toContain(`Courses ${COURSE_A}`);
    // Pat's own discussion is open to Pat.
    await pat.agent.get(`/learning/forums/certification/${certB}`).expect(200);
    await pat.agent.get(`/learning/forums/course/${courseB}`).expect(200);

    const anonymous = request(t.app);
    for (const path of ["/learning/forums", `/learning/forums/certification/${certA}`, `/learning/forums/topics/${topicId}`, "/learning/forums/reported"]) {
      const response = await anonymous.get(path).expect(302);
      expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    // Not a discussion at all: not found.
    for (const path of [`/learning/forums/course/999999`, `/learning/forums/certification/2147483648`, `/learning/forums/people/${certA}`, "/learning/forums/topics/abc", "/learning/forums/topics/999999"]) {
      await lnd.agent.get(path).expect(404);
    }
    // A form without the session's anti-forgery token is refused and changes nothing.
    await jane.agent.post(`/learning/forums/topics/${topicId}/replies`).type("form").send({ body: "no token" }).expect(403);
    expect(await t.db("forum_posts").where({ body: "no token" }).first()).toBeUndefined();
  });

  it("keeps moderation to L&D: learners and authors cannot hide, lock, dismiss or see the reported posts", async () => {
    const topicId = await startTopic(jane, "certification", certA, "Moderation is L&D's", "A post.");
    const postId = Number((await lastPost()).id);
    for (const who of [jane, author]) {
      await who.agent.get("/learning/forums/reported").expect(403);
      for (const action of ["hide", "restore", "dismiss"]) await who.agent.post(`/learning/forums/posts/${postId}/${action}`).type("form").send({ _csrf: who.csrf }).expect(403);
      for (const action of ["lock", "unlock"]) await who.agent.post(`/learning/forums/topics/${topicId}/${action}`).type("form").send({ _csrf: who.csrf }).expect(403);
    }
    expect(await t.db("forum_posts").where({ id: postId }).first()).toMatchObject({ hidden_at: null });
    expect(await t.db("forum_topics").where({ id: topicId }).first()).toMatchObject({ locked_at: null });
    expect(await t.db("audit_events").where("kind", "like", "forum.%").whereIn("actor_account_id", [jane.accountId, author.accountId]).first()).toBeUndefined();
    // Nor is a Hide or Lock button drawn for them.
    const page = (await jane.agent.get(`/learning/forums/topics/${topicId}`).expect(200)).text;
    expect(page).not.toContain("Lock topic");
    expect(page).not.toContain(`/posts/${postId}/hide`);
  });

  it("shows what was written as plain text: escaped, with its line breaks", async () => {
    const title = `<script>alert("t")</script> & friends`;
    const body = `<img src=x onerror=alert(1)> <b>bold</b>\r\nsecond line\n\n  third & last  `;
    const topicId = await startTopic(jane, "course", courseA, title, body);
    const stored = await t.db("forum_posts").where({ topic_id: topicId }).first();
    expect(stored.body).toBe(`<img src=x onerror=alert(1)> <b>bold</b>\nsecond line\n\n  third & last`);
    expect(await t.db("forum_topics").where({ id: topicId }).first()).toMatchObject({ title, discussion_kind: "course", discussion_id: courseA });
    const page = (await omar.agent.get(`/learning/forums/topics/${topicId}`).expect(200)).text;
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain("<img src=x");
    expect(page).not.toContain("<b>bold");
    expect(page).toContain(`<h1>&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; &amp; friends</h1>`);
    expect(page).toContain(`<p class="app-forum-post__body">&lt;img src=x onerror=alert(1)&gt; &lt;b&gt;bold&lt;/b&gt;\nsecond line\n\n  third &amp; last</p>`);
    expect((await omar.agent.get(`/learning/forums/course/${courseA}`).expect(200)).text).toContain("&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; &amp; friends</a>");
  });

  it("shows every problem with a new topic or a reply at once, beside its field, and stores nothing", async () => {
    const [topics, posts] = [await count("forum_topics"), await count("forum_posts")];
    const empty = await jane.agent.post(`/learning/forums/certification/${certA}/topics`).type("form").send({ _csrf: jane.csrf, title: "  ", body: "\n " }).expect(400);
    expectErrorPattern(empty.text, [{ field: "title", message: "Enter a title for your topic" }, { field: "body", message: "Enter your message" }]);
    const long = await jane.agent.post(`/learning/forums/certification/${certA}/topics`).type("form").send({ _csrf: jane.csrf, title: "t".repeat(121), body: "b".repeat(5001) }).expect(400);
    expectErrorPattern(long.text, [{ field: "title", message: "The title must be 120 characters or fewer (it has 121)" }, { field: "body", message: "Your message must be 5000 characters or fewer (it has 5001)" }]);
    expect(long.text).toContain(`value="${"t".repeat(121)}"`);
    // One over is refused; exactly the limit is taken (counted in characters, not bytes).
    await startTopic(jane, "certification", certA, "é".repeat(120), "😀".repeat(5000));
    const topicId = await startTopic(jane, "certification", certA, "A reply's problems", "First");
    const emptyReply = await replyAs(jane, topicId, "   ").expect(400);
    expectErrorPattern(emptyReply.text, [{ field: "body", message: "Enter your message" }]);
    expect(await count("forum_topics")).toBe(topics + 2);
    expect(await count("forum_posts")).toBe(posts + 2);
  });

  it("marks L&D's and the course author's answers as staff, and a learner's not", async () => {
    const topicId = await startTopic(jane, "course", courseA, "Does Part 1 count for the ward?", "Asking for my team.");
    await replyAs(omar, topicId, "Same question").expect(303);
    expect(text((await jane.agent.get(`/learning/forums/course/${courseA}`)).text)).toContain("Does Part 1 count for the ward? Not answered yet");
    await t.db("forum_posts").where({ topic_id: topicId, body: "Same question" }).delete();
    await replyAs(lnd, topicId, "Yes: it is a component of the 3-year certification.").expect(303);
    await replyAs(author, topicId, "And Part 2 opens next month.").expect(303);
    await replyAs(omar, topicId, "Thanks!").expect(303);
    const rows = await t.db("forum_posts").where({ topic_id: topicId }).orderBy("id").select("staff_role");
    expect(rows.map((row) => row.staff_role)).toEqual([null, "admin", "author", null]);
    const page = text((await jane.agent.get(`/learning/forums/topics/${topicId}`).expect(200)).text);
    expect(page).toMatch(/Grace Okafor L&D \S+ \d\d:\d\d Yes: it is a component/);
    expect(page).toMatch(/Alex Reid Course author \S+ \d\d:\d\d And Part 2/);
    expect(page).toMatch(/Omar Okoro \S+ \d\d:\d\d Thanks!/);
    expect(text((await jane.agent.get(`/learning/forums/course/${courseA}`)).text)).toContain("Does Part 1 count for the ward? Answered Started by Jane Smith");
    // A question L&D asked themselves is not an answer.
    const own = await startTopic(lnd, "course", courseA, "Tell us what to improve", "L&D asks.");
    expect(text((await jane.agent.get(`/learning/forums/course/${courseA}`)).text)).toContain(`Tell us what to improve Not answered yet`);
    expect(await t.db("forum_posts").where({ topic_id: own }).first("staff_role")).toEqual({ staff_role: "admin" });
    // An author answers as one only where it is their course: elsewhere they are a learner like any other.
    await subscribe(author, certB);
    const elsewhere = await startTopic(author, "course", courseB, "A question of my own", "As a learner.");
    expect(await t.db("forum_posts").where({ topic_id: elsewhere }).first("staff_role")).toEqual({ staff_role: null });
  });

  it("emails the followers of a topic when someone replies, follows whoever posts, and stops after Unfollow", async () => {
    clock.set("2026-03-03T10:00:00.000Z");
    const topicId = await startTopic(jane, "certification", certA, "Is the eAssessment timed?", "I have a short break.");
    expect(await t.db("forum_follows").where({ topic_id: topicId }).pluck("account_id")).toEqual([jane.accountId]);
    const before = (await mailsTo(jane)).length;
    const lndBefore = (await mailsTo(lnd)).length;
    await replyAs(lnd, topicId, "No: take it at your own pace.").expect(303).expect("Location", `/learning/forums/topics/${topicId}#latest`);
    const mails = (await mailsTo(jane)).slice(before);
    expect(mails).toEqual([
      {
        subject: `297 Forums and Chats: a reply in "Is the eAssessment timed?"`,
        text: [
          "Dear Jane,",
          "",
          `Grace Okafor (L&D) replied in "Is the eAssessment timed?", in the discussion of ${CERT_A}.`,
          "",
          `Read it: ${t.config.publicUrl}/learning/forums/topics/${topicId}`,
          "",
          "You get this because you follow the topic. To stop, choose Unfollow on the topic's page.",
        ].join("\n"),
      },
    ]);
    // The one replying is not written to about their own reply, and now follows.
    expect((await mailsTo(lnd)).length).toBe(lndBefore);
    expect((await jane.agent.get(`/learning/forums/topics/${topicId}`).expect(200)).text).toContain("You follow this topic: replies are emailed to you.");
    await replyAs(jane, topicId, "Thank you").expect(303);
    expect((await mailsTo(lnd)).slice(lndBefore).map((mail) => mail.subject)).toEqual([`297 Forums and Chats: a reply in "Is the eAssessment timed?"`]);
    expect((await mailsTo(jane)).length).toBe(before + 1);

    // Unfollow: no more email; Follow again: email again.
    await jane.agent.post(`/learning/forums/topics/${topicId}/unfollow`).type("form").send({ _csrf: jane.csrf }).expect(303).expect("Location", `/learning/forums/topics/${topicId}?done=unfollowed`);
    expect((await jane.agent.get(`/learning/forums/topics/${topicId}?done=unfollowed`)).text).toContain("You no longer follow this topic.");
    await replyAs(lnd, topicId, "You're welcome.").expect(303);
    expect((await mailsTo(jane)).length).toBe(before + 1);
    await jane.agent.post(`/learning/forums/topics/${topicId}/follow`).type("form").send({ _csrf: jane.csrf }).expect(303);
    await replyAs(omar, topicId, "Same question here.").expect(303);
    expect((await mailsTo(jane)).length).toBe(before + 2);
    expect((await mailsTo(jane)).at(-1)!.text).toContain("Omar Okoro replied in");

    // A follower who may no longer read the discussion is not written to (their subscription gone).
    await t.db("subscriptions").where({ person_id: omar.personId }).delete();
    const omarBefore = (await mailsTo(omar)).length;
    await replyAs(lnd, topicId, "Closing the loop.").expect(303);
    expect((await mailsTo(omar)).length).toBe(omarBefore);
    await omar.agent.get(`/learning/forums/topics/${topicId}`).expect(403);
    await subscribe(omar, certA);
  });

  it("lets anyone report a post; L&D sees the reported posts, hides one (audited, shown as hidden) or dismisses the reports", async () => {
    const topicId = await startTopic(jane, "certification", certA, "Reports", "Something unkind.");
    const postId = Number((await lastPost()).id);
    await omar.agent.post(`/learning/forums/posts/${postId}/report`).type("form").send({ _csrf: omar.csrf }).expect(303).expect("Location", `/learning/forums/topics/${topicId}?done=reported`);
    await omar.agent.post(`/learning/forums/posts/${postId}/report`).type("form").send({ _csrf: omar.csrf }).expect(303); // twice counts once
    await lnd.agent.post(`/learning/forums/posts/${postId}/report`).type("form").send({ _csrf: lnd.csrf }).expect(303);
    expect((await omar.agent.get(`/learning/forums/topics/${topicId}?done=reported`)).text).toContain("Thank you: the post is reported to L&amp;D");
    expect(text((await lnd.agent.get("/learning/forums").expect(200)).text)).toContain("Reported posts (1)");
    // Administration's tabs reach the reported posts too, where L&D do the rest of their daily work.
    expect((await lnd.agent.get("/admin/audit").expect(200)).text).toContain('<a href="/learning/forums/reported"');
    const list = text((await lnd.agent.get("/learning/forums/reported").expect(200)).text);
    expect(list).toMatch(/Jane Smith in Reports \S+ \d\d:\d\d Something unkind\. Reported by 2 people, first on/);

    await lnd.agent.post(`/learning/forums/posts/${postId}/hide`).type("form").send({ _csrf: lnd.csrf, from: "reported" }).expect(303).expect("Location", "/learning/forums/reported?done=1");
    expect(text((await lnd.agent.get("/learning/forums/reported")).text)).toContain("No post is waiting for L&D to look at.");
    const learnerView = (await omar.agent.get(`/learning/forums/topics/${topicId}`).expect(200)).text;
    expect(learnerView).toContain("This post was hidden by L&amp;D.");
    expect(learnerView).not.toContain("Something unkind.");
    const lndView = text((await lnd.agent.get(`/learning/forums/topics/${topicId}`).expect(200)).text);
    expect(lndView).toMatch(/Hidden Something unkind\. .*Show again/);
    const hidden = await t.db("audit_events").where({ kind: "forum.post.hidden" }).orderBy("id", "desc").first();
    expect(hidden).toMatchObject({ actor_account_id: lnd.accountId, person_id: jane.personId });
    expect(hidden.ip).toBeTruthy();
    expect(JSON.parse(hidden.detail)).toEqual({ postId, topicId, topic: "Reports", reportsClosed: 2 });
    expect(await t.db("audit_events").where({ kind: "forum.post.reported", actor_account_id: omar.accountId }).first()).toMatchObject({ person_id: jane.personId });
    // L&D's audit trail says it in words.
    expect(text((await lnd.agent.get("/admin/audit").expect(200)).text)).toContain(`Jane Smith's post in "Reports" (Forums and Chats) was hidden By ${lnd.username} From `);
    // Show again: the post is back for everyone.
    await lnd.agent.post(`/learning/forums/posts/${postId}/restore`).type("form").send({ _csrf: lnd.csrf }).expect(303);
    expect((await omar.agent.get(`/learning/forums/topics/${topicId}`)).text).toContain("Something unkind.");
    expect(await t.db("audit_events").where({ kind: "forum.post.restored" }).first()).toMatchObject({ actor_account_id: lnd.accountId });

    // Dismissing leaves the post shown and clears it from the list.
    await jane.agent.post(`/learning/forums/posts/${postId}/report`).type("form").send({ _csrf: jane.csrf }).expect(303);
    expect(text((await lnd.agent.get("/learning/forums/reported")).text)).toContain("Reported by 1 person");
    await lnd.agent.post(`/learning/forums/posts/${postId}/dismiss`).type("form").send({ _csrf: lnd.csrf, from: "reported" }).expect(303);
    expect(text((await lnd.agent.get("/learning/forums/reported")).text)).toContain("No post is waiting");
    expect(await t.db("audit_events").where({ kind: "forum.reports.dismissed" }).first()).toMatchObject({ actor_account_id: lnd.accountId, person_id: jane.personId });
    expect(await t.db("forum_posts").where({ id: postId }).first()).toMatchObject({ hidden_at: null });
  });

  it("lets L&D lock a topic: no one may reply until it is unlocked, and both are audited", async () => {
    const topicId = await startTopic(jane, "certification", certA, "Locked soon", "Open for now.");
    await lnd.agent.post(`/learning/forums/topics/${topicId}/lock`).type("form").send({ _csrf: lnd.csrf }).expect(303);
    const page = (await jane.agent.get(`/learning/forums/topics/${topicId}`).expect(200)).text;
    expect(page).toContain("This topic is locked by L&amp;D: no more replies can be added.");
    expect(page).not.toContain(`action="/learning/forums/topics/${topicId}/replies"`);
    expect(text((await jane.agent.get(`/learning/forums/certification/${certA}`)).text)).toContain("Locked soon Not answered yet Locked");
    const refused = await replyAs(jane, topicId, "Can I still?").expect(409);
    expect(refused.text).toContain("This topic is locked: no more replies can be added");
    await replyAs(lnd, topicId, "Not even L&D").expect(409);
    expect(await t.db("forum_posts").where({ topic_id: topicId }).count({ n: "*" }).first().then((row) => Number(row!.n))).toBe(1);
    await lnd.agent.post(`/learning/forums/topics/${topicId}/lock`).type("form").send({ _csrf: lnd.csrf }).expect(303); // again: nothing more recorded
    expect(await t.db("audit_events").where({ kind: "forum.topic.locked" }).count({ n: "*" }).first().then((row) => Number(row!.n))).toBe(1);
    expect(await t.db("audit_events").where({ kind: "forum.topic.locked" }).first()).toMatchObject({ actor_account_id: lnd.accountId });

    await lnd.agent.post(`/learning/forums/topics/${topicId}/unlock`).type("form").send({ _csrf: lnd.csrf }).expect(303);
    await replyAs(jane, topicId, "Thanks for reopening").expect(303);
    expect(await t.db("audit_events").where({ kind: "forum.topic.unlocked" }).first()).toMatchObject({ actor_account_id: lnd.accountId });
  });
});
