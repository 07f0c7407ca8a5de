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

  beforeAll(async () => {
    t = await createTestApp();
    fs.mkdirSync(t.config.dataDir, { recursive: true });
    const learner = await buildLearner(t.db, t.clock);
    const versionId = await importCourseVersion(t, VALID_PACKAGES["scorm12-single"]!.files, "297 Fuzz Test");
    attemptId = await buildAttempt({ db: t.db, personId: learner.personId, courseVersionId: versionId });
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
  function cases(): Array<{ name: string; body: unknown }> {
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
    return [...named, ...generated];
  }

  it("refuses each with a clear 4xx, stores nothing, and still takes a good commit", async () => {
    const before = await stored();
    for (const { name, body } of cases()) {
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

    const good = await agent.post(url()).set("X-CSRF-Token", csrf).send({ commitSequence: 1, cmi: { core: { lesson_status: "incomplete", lesson_location: "page-2" }, suspend_data: "ok" } });
    expect(good.status).toBe(200);
    expect(Number((await stored()).sco.commit_sequence)).toBe(1);
  }, 120_000);
});
