// Learner A with learner B's ids, on every route a learner may use that takes one: B's attempts,
// subscriptions, enrolments, classroom requests, evidence files and certificates, each made through
// the real routes as B made them. A is refused as the app refuses (a page's "not found", so that ids
// tell a guesser nothing; the runtime's SCORM-form 403), sees nothing of B's, and changes nothing
// of B's. The routes come from the route table (test/support/route-table.ts), which is checked
// against the routes the app mounts: a new learner route with an id fails here until FIXTURES says
// how to build B's object for it.
//
// Author-only and L&D-only routes are not probed: their ids name nothing anyone owns. Authors share
// the course list (server/packages/routes.ts lists and opens every course, whoever imported it) and
// the catalog; L&D see and act on everyone. What an author does own is a preview attempt ("Preview
// attempts too belong to the author who made them, and to nobody else", runtime/attempt-context.ts),
// reached through the learner's attempt routes: probed below with author A against author B's.
import type { Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { binaryBody } from "../support/pdf.ts";
import { ACCESS } from "../support/route-table.ts";
import { signedIn, type SignedInAgent } from "../support/role-agents.ts";
import { answerText, everythingOf, shownOf } from "./support/what-they-hold.ts";
import { theirLearning, type Theirs } from "./support/their-learning.ts";

/** Who asks: A, logged in. */
type Asking = SignedInAgent & { personId: number };

interface Case {
  params: Record<string, string | number>;
  form?: Record<string, string>;
  json?: object;
}

/** B's own object behind the id: A is refused, with the app's words for it. */
interface Refused {
  theirs: "attempt" | "subscription" | "enrolment" | "evidence file" | "certificate";
  refusedWith: 403 | 404;
  says: string;
  cases: (b: Theirs) => Case[];
}

/**
 * A catalogue object (a course, certification, component, competency), nobody's own: any learner may
 * use it, and refusing A would be wrong. A is answered about A's own learning, never B's: B's
 * subscription, booking or attempt on the same object neither shows nor decides the answer.
 */
interface Shared {
  shared: "course" | "certification" | "component" | "competency" | "discussion";
  answeredWith: number;
  cases: (b: Theirs) => Case[];
  /** What of B's this page would show, beyond Theirs.hidden, were it B's view. */
  alsoHidden?: RegExp[];
  then?: (response: Response, text: string, a: { personId: number }, t: TestApp) => Promise<void>;
}

const certificationCases = (b: Theirs): Case[] => b.certifications.map((certificationId) => ({ params: { certificationId } }));
const attemptCases = (b: Theirs): Case[] => b.attempts.map(({ id, scoId, cmi }) => ({ params: { attemptId: id, scoId }, json: { commitSequence: 2, cmi } }));
const backToCertification = (response: Response) => expect(response.headers.location).toMatch(/^\/learning\/certifications\/\d+$/);

const discussionCases = (b: Theirs): Case[] => [...b.certifications.map((id) => ({ params: { kind: "certification", id } })), ...b.courses.map((id) => ({ params: { kind: "course", id } }))];
const topicCases = (b: Theirs): Case[] => b.topics.map((topicId) => ({ params: { topicId } }));
/** Refused with the words that say whose discussions one may read, and nothing of A's kept. */
const notYours = async (_response: Response, text: string, a: { personId: number }, t: TestApp) => {
  expect(text).toContain("You can read the discussions of the certifications you have subscribed to");
  const account = Number((await t.db("accounts").where({ person_id: a.personId }).first("id")).id);
  expect(await t.db("forum_posts").where({ account_id: account }).first()).toBeUndefined();
  expect(await t.db("forum_follows").where({ account_id: account }).first()).toBeUndefined();
  expect(await t.db("forum_reports").where({ reported_by: account }).first()).toBeUndefined();
};

/** How to build B's object for each route a learner may use with an id: every such route needs one. */
const FIXTURES: Record<string, Refused | Shared> = {
  "GET /runtime/attempts/:attemptId/scos/:scoId/state": { theirs: "attempt", refusedWith: 403, says: "This attempt belongs to someone else", cases: attemptCases },
  "POST /runtime/attempts/:attemptId/scos/:scoId/commit": { theirs: "attempt", refusedWith: 403, says: "This attempt belongs to someone else", cases: attemptCases },
  "POST /runtime/attempts/:attemptId/sequencing-state": {
    theirs: "attempt",
    refusedWith: 403,
    says: "This attempt belongs to someone else",
    cases: (b) => b.attempts.map(({ id }) => ({ params: { attemptId: id }, json: { sequencingState: JSON.stringify({ version: "1.0", sequencing: { suspendedActivity: "B", activityStates: {} } }) } })),
  },
  "POST /learning/courses/:courseId/play": {
    shared: "course",
    answeredWith: 303,
    cases: (b) => b.courses.map((courseId) => ({ params: { courseId } })),
    // Play resumes the learner's own attempt: B's, suspended on this course, is not A's to resume.
    then: async (response, _text, a, t) => {
      const attemptId = Number(/^\/player\/attempts\/(\d+)$/.exec(String(response.headers.location))?.[1]);
      expect((await t.db("attempts").where({ id: attemptId }).first("person_id"))?.person_id).toBe(a.personId);
    },
  },
  "GET /learning/attempts/:attemptId": { theirs: "attempt", refusedWith: 404, says: "That attempt was not found", cases: attemptCases },
  "GET /learning/certifications/:certificationId": { shared: "certification", answeredWith: 200, cases: certificationCases },
  "GET /learning/certifications/:certificationId/subscribe": { shared: "certification", answeredWith: 200, cases: certificationCases },
  "POST /learning/certifications/:certificationId/subscribe": {
    shared: "certification",
    answeredWith: 303,
    cases: certificationCases,
    // B holds a subscription to each (one in progress, one completed): A is subscribed all the same, A's own.
    then: async (response, _text, a, t) => {
      backToCertification(response);
      const certificationId = Number(String(response.headers.location).split("/").at(-1));
      expect(await t.db("subscriptions").where({ person_id: a.personId, certification_id: certificationId }).pluck("status")).toEqual(["Subscribed"]);
    },
  },
  // A holds no subscription, so there is nothing to ask about: B's does not count as A's.
  "GET /learning/certifications/:certificationId/unsubscribe": { shared: "certification", answeredWith: 303, cases: certificationCases, then: async (response) => backToCertification(response) },
  "POST /learning/certifications/:certificationId/unsubscribe": {
    shared: "certification",
    answeredWith: 409,
    cases: certificationCases,
    then: async (_response, text) => expect(text).toContain("You are not subscribed to this certification."),
  },
  // B has a classroom request on one component and an e-learning place on the other: A still chooses.
  "GET /learning/certifications/:certificationId/components/:componentId/enrol": { shared: "component", answeredWith: 200, cases: (b) => b.components.map(({ certificationId, componentId }) => ({ params: { certificationId, componentId } })) },
  "POST /learning/certifications/:certificationId/components/:componentId/enrol": {
    shared: "component",
    answeredWith: 409,
    cases: (b) => b.components.map(({ certificationId, componentId, form }) => ({ params: { certificationId, componentId }, ...(form ? { form } : {}) })),
    // Applying needs the applicant's own subscription; B's is not A's.
    then: async (_response, text) => expect(text).toContain("Subscribe to the certification before enrolling in its components."),
  },
  "GET /learning/certifications/:certificationId/components/:componentId/play": { shared: "component", answeredWith: 200, cases: (b) => b.components.map(({ certificationId, componentId }) => ({ params: { certificationId, componentId } })) },
  "GET /compliance/evidence-files/:fileId": { theirs: "evidence file", refusedWith: 404, says: "That evidence file was not found", cases: (b) => b.evidenceFiles.map((fileId) => ({ params: { fileId } })) },
  "GET /compliance/competencies/:competencyId/learning": {
    shared: "competency",
    answeredWith: 200,
    cases: (b) => b.competencies.map((competencyId) => ({ params: { competencyId } })),
    // B's progress toward each certification that gives it ("1 of 1 components completed").
    alsoHidden: [/components completed/],
  },
  "GET /player/attempts/:attemptId": { theirs: "attempt", refusedWith: 404, says: "That attempt was not found", cases: attemptCases },
  "POST /learning/enrolments/:enrolmentId/cancel": { theirs: "enrolment", refusedWith: 404, says: "That enrolment was not found", cases: (b) => b.enrolments.map((enrolmentId) => ({ params: { enrolmentId } })) },
  "GET /learning/subscriptions/:subscriptionId/certificate": { theirs: "subscription", refusedWith: 404, says: "That certification was not found", cases: (b) => b.subscriptions.map((subscriptionId) => ({ params: { subscriptionId } })) },
  "GET /learning/attempts/:attemptId/certificate": { theirs: "attempt", refusedWith: 404, says: "That course attempt was not found", cases: attemptCases },
  // A certificate's code is public by design (whoever B hands it to sees B's name); its row id is not a code.
  "GET /verify/:code": { theirs: "certificate", refusedWith: 404, says: "Not a certificate issued here", cases: (b) => b.certificates.map((code) => ({ params: { code } })) },
  // Forums and Chats: a discussion is read by those doing its learning (and L&D, who moderate all):
  // A, subscribed to nothing, is refused B's certification's and courses' discussions, B's topic and post.
  "GET /learning/forums/:kind/:id": { shared: "discussion", answeredWith: 403, cases: discussionCases, then: notYours },
  "POST /learning/forums/:kind/:id/topics": { shared: "discussion", answeredWith: 403, cases: (b) => discussionCases(b).map((c) => ({ ...c, form: { title: "A's question", body: "Hello" } })), then: notYours },
  "GET /learning/forums/topics/:topicId": { shared: "discussion", answeredWith: 403, cases: topicCases, then: notYours },
  "POST /learning/forums/topics/:topicId/replies": { shared: "discussion", answeredWith: 403, cases: (b) => topicCases(b).map((c) => ({ ...c, form: { body: "A's reply" } })), then: notYours },
  "POST /learning/forums/topics/:topicId/follow": { shared: "discussion", answeredWith: 403, cases: topicCases, then: notYours },
  "POST /learning/forums/topics/:topicId/unfollow": { shared: "discussion", answeredWith: 403, cases: topicCases, then: notYours },
  "POST /learning/forums/posts/:postId/report": { shared: "discussion", answeredWith: 403, cases: (b) => b.posts.map((postId) => ({ params: { postId } })), then: notYours },
};

/** Every route a learner may use whose address holds an id. */
const LEARNER_ID_ROUTES = Object.entries(ACCESS)
  .filter(([route, needed]) => (needed === "anyone" || needed === "learner") && /:[A-Za-z]+/.test(route))
  .map(([route]) => route);

/** The learner id-routes whose id names B's own object, of the kinds `which` picks. */
const refusedRoutes = (which: (fixture: Refused) => boolean) =>
  LEARNER_ID_ROUTES.filter((route) => {
    const fixture = FIXTURES[route];
    return fixture !== undefined && "theirs" in fixture && which(fixture);
  });

const fill = (route: string, params: Case["params"]) =>
  route.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`${route}: its fixture gives no ${name}`);
    return encodeURIComponent(String(params[name]));
  });

describe("learners' ids in other learners' hands", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  let b: Theirs;
  let authorB: Theirs;

  /** Each learner logs in (the login limit, 30 an address in 15 minutes, counts every one of this file's). */
  const newLearner = async (role: "learner" | "author" | "admin" = "learner"): Promise<Asking> => {
    const person = await buildLearner(t.db, t.clock, { role });
    return { personId: person.personId, ...(await signedIn(t.app, person)) };
  };

  beforeAll(async () => {
    t = await createTestApp({ clock });
    ({ b, authorB } = await theirLearning(t, clock, newLearner));
  }, 60_000);
  afterAll(() => t.cleanup());

  /** A's request of each case, then: the answer, nothing of B's in it, nothing of B's changed. */
  async function probe(route: string, fixture: Refused | Shared, a: Asking, them: Theirs) {
    const [method, routePath] = route.split(" ") as [string, string];
    const cases = fixture.cases(them);
    expect(cases.length, `${route}: B holds nothing for it`).toBeGreaterThan(0);
    for (const c of cases) {
      const url = fill(routePath, c.params);
      const before = await everythingOf(t, them.person);
      const sent =
        method === "GET" ? a.agent.get(url).set("X-CSRF-Token", a.csrf)
        : url.startsWith("/runtime/") ? a.agent.post(url).set("X-CSRF-Token", a.csrf).send(c.json ?? {})
        : a.agent.post(url).type("form").send({ _csrf: a.csrf, ...c.form });
      const response = await sent.buffer(true).parse(binaryBody);
      const text = await answerText(response.body as Buffer);
      if ("theirs" in fixture) {
        expect(response.status, `${method} ${url}: ${text.slice(0, 300)}`).toBe(fixture.refusedWith);
        expect(text, `${method} ${url}`).toContain(fixture.says);
        expect(shownOf(text, [...them.hidden, ...them.coursesNamed]), `${method} ${url} shows B's`).toEqual([]);
      } else {
        expect(response.status, `${method} ${url}: ${text.slice(0, 300)}`).toBe(fixture.answeredWith);
        // The course's and certification's names are everyone's here; B's name, words and objects are not.
        const theirLinks = [...them.attempts.map(({ id }) => new RegExp(`attempts/${id}(?!\\d)`)), ...[...them.subscriptions, ...them.enrolments].map((id) => new RegExp(`(subscriptions|enrolments)/${id}(?!\\d)`))];
        expect(shownOf(text, [...them.hidden, ...theirLinks, ...(fixture.alsoHidden ?? [])]), `${method} ${url} shows B's`).toEqual([]);
        await fixture.then?.(response, text, a, t);
      }
      expect(await everythingOf(t, them.person), `${method} ${url} changed B's`).toEqual(before);
    }
  }

  it("has a fixture for every route a learner may use with an id, and none for a route that is not one", () => {
    const missing = LEARNER_ID_ROUTES.filter((route) => !(route in FIXTURES));
    expect(missing, `A learner may use these routes with an id, and FIXTURES (test/security/other-learners-ids.test.ts) does not say how to build another learner's object for them: add one each.`).toEqual([]);
    expect(Object.keys(FIXTURES).filter((route) => !LEARNER_ID_ROUTES.includes(route))).toEqual([]);
  });

  describe("learner A against learner B's ids", () => {
    let a: Asking;
    beforeAll(async () => {
      a = await newLearner();
    });

    it.each(LEARNER_ID_ROUTES)("%s", async (route) => {
      const fixture = FIXTURES[route];
      if (!fixture) throw new Error(`${route}: no fixture in FIXTURES says how to build learner B's object for it`);
      // A catalogue route answers about A's own learning: a learner holding nothing each time, so
      // that the answer is known (Subscribe elsewhere in this file would otherwise change it).
      await probe(route, fixture, "shared" in fixture ? await newLearner() : a, b);
    });
  });

  // L&D act on a learner's objects from the person's page (/admin/...); the learner's own pages
  // compare the owner with whoever asks, whatever their role.
  describe("an L&D administrator against learner B's ids, on the learner's own pages", () => {
    let a: Asking;
    beforeAll(async () => {
      a = await newLearner("admin");
    });

    it.each(refusedRoutes(() => true))("%s", async (route) => {
      await probe(route, FIXTURES[route]!, a, b);
    });
  });

  describe("author A against author B's preview attempt", () => {
    let a: Asking;
    beforeAll(async () => {
      a = await newLearner("author");
    });

    it.each(refusedRoutes((fixture) => fixture.theirs === "attempt"))("%s", async (route) => {
      await probe(route, FIXTURES[route]!, a, authorB);
    });
  });
});
