import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildAttempt, importCourseVersion } from "../support/attempts.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";
import { random } from "../support/random.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const CASES = 300;

/**
 * Bad input at the commit door: random and hostile bodies are each refused with a clear 4xx
 * answer (never a 500), nothing of them is stored, Object.prototype stays clean, and the server
 * goes on taking good commits.
 */
describe("fuzzing POST /runtime/attempts/:attemptId/scos/:scoId/commit", () => {
  let t: TestApp;
  let agent: Awaited<ReturnType<typeof logInAgent>>;
  let csrf: string;
  let attemptId: number;
  let versionId: number;
  let personId: number;

  beforeAll(async () => {
    t = await createTestApp();
    fs.mkdirSync(t.config.dataDir, { recursive: true });
    const learner = await buildLearner(t.db, t.clock);
    versionId = await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, "297 Fuzz Test");
    personId = learner.personId;
    attemptId = await buildAttempt({ db: t.db, personId, courseVersionId: versionId });
    agent = await logInAgent(t.app, learner.username, learner.password);
    csrf = csrfFrom((await agent.get("/")).text);
  });
  afterAll(() => t.cleanup());

  const url = () => `/runtime/attempts/${attemptId}/scos/I1/commit`;
  const stored = async () => ({
    sco: await t.db("attempt_scos").where({ attempt_id: attemptId }).first("commit_sequence", "cmi"),
    log: Number((await t.db("commit_log").where({ attempt_id: attemptId }).count({ n: "*" }).first())?.n),
    attempt: await t.db("attempts").where({ id: attemptId }).first("performance_status", "score_scaled"),
  });

  /**
   * Hostile shapes named, then random ones. Two odd-looking shapes are not here because they are
   * accepted on purpose: a commitSequence of digits in a string (beacon bodies), and read-only
   * elements such as cmi.core.student_id, which scorm-again sends back in every commit and the
   * runtime ignores (test/runtime/commits.test.ts).
   */
  function cases(): Array<{ name: string; body: unknown; unspoiled?: Record<string, unknown> }> {
    const next = random(SEED);
    const pick = <T,>(items: T[]): T => items[Math.floor(next() * items.length)]!;
    const deep = (depth: number): unknown => (depth === 0 ? "leaf" : { a: deep(depth - 1) });
    const junk = (depth: number): unknown => {
      const kind = pick(["number", "string", "bool", "null", "array", "object", "huge"]);
      if (kind === "number") return pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1]);
      if (kind === "string") return pick(["", "x", "completed", "\u0000", "💥".repeat(50), "<script>alert(1)</script>", "' or 1=1 --"]);
      if (kind === "bool") return next() < 0.5;
      if (kind === "null") return null;
      if (kind === "huge") return "y".repeat(Math.floor(next() * 70_000));
      if (depth > 4) return {};
      if (kind === "array") return Array.from({ length: Math.floor(next() * 4) }, () => junk(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [pick(["core", "cmi", "commitSequence", "suspend_data", "__proto__", "constructor", "prototype", "lesson_status", "x"]), junk(depth + 1)]));
    };
    const named = [
      { name: "no sequence", body: { cmi: { core: { lesson_status: "completed" } } } },
      { name: "negative sequence", body: { commitSequence: -1, cmi: { core: { lesson_status: "completed" } } } },
      { name: "fractional sequence", body: { commitSequence: 1.5, cmi: { core: { lesson_status: "completed" } } } },
      { name: "huge sequence", body: { commitSequence: 1e308, cmi: { core: { lesson_status: "completed" } } } },
      { name: "cmi as a list", body: { commitSequence: 1, cmi: [] } },
      { name: "unknown element", body: { commitSequence: 1, cmi: { core: { lesson_status: "completed", favourite_colour: "blue" } } } },
      { name: "bad vocabulary", body: { commitSequence: 1, cmi: { core: { lesson_status: "done" } } } },
      { name: "score as text", body: { commitSequence: 1, cmi: { core: { lesson_status: "passed", score: { raw: "lots" } } } } },
      { name: "deep nesting", body: { commitSequence: 1, cmi: deep(500) } },
      { name: "proto pollution", body: JSON.parse('{"commitSequence":1,"cmi":{"__proto__":{"polluted":"yes"},"core":{"lesson_status":"passed"}}}') },
      { name: "constructor pollution", body: JSON.parse('{"commitSequence":1,"cmi":{"constructor":{"prototype":{"polluted":"yes"}},"core":{"lesson_status":"passed"}}}') },
      { name: "oversized suspend data", body: { commitSequence: 1, cmi: { core: { lesson_status: "passed" }, suspend_data: "z".repeat(1_100_000) } } },
    ];
    const generated = Array.from({ length: CASES }, (_, n) => ({ name: `random ${n} (seed ${SEED})`, body: junk(0) }));
    return [...named, ...generated, ...mutated(next, pick)];
  }

  /**
   * Random junk is mostly turned away by the body's shape check. These get past it: a commit a
   * course could really send (a good sequence, real elements, random good values), with exactly one
   * element made certainly wrong for SCORM 1.2, so the CMI validator itself is what must refuse.
   */
  function mutated(next: () => number, pick: <T>(items: T[]) => T): Array<{ name: string; body: unknown; unspoiled: Record<string, unknown> }> {
    const letters = () => Array.from({ length: 1 + Math.floor(next() * 12) }, () => pick([..."abcdefghijklmnopqrstuvwxyz-_ "])).join("");
    const wrongs: Array<[string, (cmi: Record<string, any>) => void]> = [
      ["status not in the vocabulary", (cmi) => (cmi.core.lesson_status = `x${letters()}`)],
      ["score that is no number", (cmi) => (cmi.core.score = { raw: `${letters()}!` })],
      ["score past 100", (cmi) => (cmi.core.score = { raw: String(100.5 + next() * 1e6) })],
      ["session time in no timespan form", (cmi) => (cmi.core.session_time = `${letters()}:99`)],
      // Issue 17: 400 digits of hours were Infinity, stored, and broke the SCO's next commits.
      ["session time of more than four digits of hours", (cmi) => (cmi.core.session_time = `${"9".repeat(5 + Math.floor(next() * 400))}:00:00`)],
      ["exit not in the vocabulary", (cmi) => (cmi.core.exit = `x${letters()}`)],
      ["an element SCORM 1.2 lacks", (cmi) => (cmi.core[`x${letters().replace(/\W/g, "")}`] = "1")],
      ["lesson location past 255 characters", (cmi) => (cmi.core.lesson_location = "l".repeat(256 + Math.floor(next() * 1000)))],
      ["suspend data past 64,000 characters", (cmi) => (cmi.suspend_data = "s".repeat(64_001 + Math.floor(next() * 1000)))],
      ["an object where text goes", (cmi) => (cmi.core.lesson_location = { page: letters() })],
      ["a list where text goes", (cmi) => (cmi.suspend_data = [letters()])],
      ["an interaction result not in the vocabulary", (cmi) => (cmi.interactions = [{ id: "q1", type: "choice", result: `x${letters()}` }])],
      ["an interaction type not in the vocabulary", (cmi) => (cmi.interactions = [{ id: "q1", type: `x${letters()}`, result: "correct" }])],
      ["an objective status not in the vocabulary", (cmi) => (cmi.objectives = [{ id: "o1", status: `x${letters()}` }])],
      ["preference audio out of range", (cmi) => (cmi.student_preference = { audio: String(101 + Math.floor(next() * 1000)) })],
    ];
    return Array.from({ length: 120 }, (_, n) => {
      const cmi: Record<string, any> = {
        core: { lesson_status: pick(["incomplete", "completed", "passed", "failed", "browsed"]), lesson_location: `page-${Math.floor(next() * 40)}`, session_time: "0000:01:30.00", exit: pick(["suspend", "logout", ""]) },
        suspend_data: letters().repeat(1 + Math.floor(next() * 200)),
      };
      if (cmi.core.exit === "") delete cmi.core.exit;
      const unspoiled = structuredClone(cmi);
      const [what, spoil] = pick(wrongs);
      spoil(cmi);
      return { name: `valid commit but ${what} ${n} (seed ${SEED})`, body: { commitSequence: 1 + Math.floor(next() * 1000), cmi }, unspoiled };
    });
  }

  it("refuses each with a clear 4xx, stores nothing, and still takes a good commit", async () => {
    const before = await stored();
    const all = cases();
    for (const { name, body } of all) {
      const response = await agent.post(url()).set("X-CSRF-Token", csrf).set("Content-Type", "application/json").send(JSON.stringify(body));
      expect(response.status, `${name}: ${response.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(response.status, name).toBeLessThan(500);
      expect(response.headers["content-type"], name).toMatch(/^application\/json/);
      expect(JSON.stringify(response.body).length, name).toBeGreaterThan(2); // says what was wrong
    }
    for (const text of ["{", "not json", '{"commitSequence":1,"cmi":{"core":'] ) {
      const response = await agent.post(url()).set("X-CSRF-Token", csrf).set("Content-Type", "application/json").send(text);
      expect(response.status, text).toBe(400);
    }
    expect(await stored()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // Each of those commits as it was before its one element was spoiled is taken: so each refusal
    // above was for that element.
    let sequence = 0;
    for (const { name, unspoiled } of all) {
      if (!unspoiled) continue;
      const response = await agent.post(url()).set("X-CSRF-Token", csrf).send({ commitSequence: ++sequence, cmi: unspoiled });
      expect(response.status, `${name}, unspoiled: ${response.text.slice(0, 200)}`).toBe(200);
    }
    expect(sequence).toBe(120);
    expect(Number((await stored()).sco.commit_sequence)).toBe(120);
  }, 120_000);

  // Not bad input: a course may keep anything in its own strings, NUL and unpaired surrogates
  // included (scorm-again passes them on). Refusing them would lose the learner's progress, so they
  // are stored exactly and given back; PostgreSQL holds them because the CMI is stored as JSON text,
  // where they are escapes.
  it("stores any character a course writes in its own strings, and gives it back exactly", async () => {
    const own = await buildAttempt({ db: t.db, personId, courseVersionId: versionId });
    const odd = "a\u0000b \ud800 \udfff 💥 \u2028";
    const response = await agent.post(`/runtime/attempts/${own}/scos/I1/commit`).set("X-CSRF-Token", csrf).set("Content-Type", "application/json")
      .send(JSON.stringify({ commitSequence: 1, cmi: { core: { lesson_status: "incomplete", lesson_location: odd }, suspend_data: odd, comments: odd } }));
    expect(response.status, response.text).toBe(200);
    const state = await agent.get(`/runtime/attempts/${own}/scos/I1/state`).set("X-CSRF-Token", csrf).expect(200);
    const cmi = JSON.parse(state.text).cmi;
    expect([cmi.core.lesson_location, cmi.suspend_data, cmi.comments]).toEqual([odd, odd, odd]);
  });
});
