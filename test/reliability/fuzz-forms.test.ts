import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner, TEST_PASSWORD } from "../support/factories.ts";
import { expectClearRefusal, expectPrototypeClean, fieldPairs, fuzzer, HUGE, ODD_TEXT, POLLUTERS, SEED, tableCounts, urlencoded, type Fuzzer } from "./fuzz-support.ts";

const CASES = 40;
const FIRE = "NHS|CSTF|Fire Safety - 2 Years|";
const COURSE = "297 Fire Safety - Part 1";
/** Ids in a path that name no row: not a number, not whole, not positive, past a PostgreSQL integer. */
const BAD_IDS = ["abc", "0", "-1", "1.5", "1e3", "99999999999", "2147483648", "%00"];

type Pairs = Array<[string, string]>;
type Agent = ReturnType<typeof request.agent>;
/** A field (or fields that go together, like a date's day, month and year): a good value and values that are wrong for sure. */
interface Field {
  good: (f: Fuzzer) => Pairs;
  bad: Pairs[];
}
const one = (name: string, good: (f: Fuzzer) => string, bad: string[]): Field => ({ good: (f) => [[name, good(f)]], bad: bad.map((value) => [[name, value]]) });
const dob = (bad: Array<[string, string, string]>): Field => ({
  good: () => [["day", "9"], ["month", "11"], ["year", "1991"]],
  bad: bad.map(([day, month, year]) => [["day", day], ["month", month], ["year", year]]),
});
const BAD_DATES: Array<[string, string, string]> = [["30", "2", "2026"], ["1", "1", "99999"], ["", "", ""], ["0", "0", "0000"], ["31", "4", "1990"], ["1", "13", "1990"], ["1", "1", "2030"], ["1", "1", "1899"], ["a", "b", "c"]];
const BAD_NAMES = ["", "   ", "Smith, Jr", "L".repeat(101), HUGE];
const BAD_EMAILS = ["", "not-an-email", "a@b", "a b@c.de", `${"e".repeat(250)}@example.org`];

/**
 * One random case for a form: every field good, odd (anything a script might send) or bad, sent
 * once, twice (an array) or not at all, with a polluting pair now and then; one field, chosen
 * first, is bad for sure, so that every case must be refused.
 */
function formCase(f: Fuzzer, fields: Record<string, Field>, label: string): { name: string; pairs: Pairs } {
  const names = Object.keys(fields);
  const mustBreak = f.pick(names.filter((name) => fields[name]!.bad.length));
  const pairs: Pairs = [];
  for (const name of names) {
    const field = fields[name]!;
    if (name === mustBreak) {
      pairs.push(...f.pick(field.bad));
      continue;
    }
    const chosen = f.chance(0.2) && field.bad.length ? f.pick(field.bad) : field.good(f);
    for (const [key, value] of chosen) pairs.push(...fieldPairs(f, key, f.chance(0.05) ? undefined : f.chance(0.25) ? f.pick(ODD_TEXT) : value));
  }
  if (f.chance(0.25)) pairs.push(f.pick(POLLUTERS));
  if (f.chance(0.03)) pairs.push(["padding", "p".repeat(100_000)]); // past the 100 kB form limit
  return { name: `${label}, breaking ${mustBreak} (seed ${SEED})`, pairs };
}

/** A request good in every field but the ones given: wrong in one way only, so that only that can refuse it. */
function goodBut(fields: Record<string, Field>, changes: Pairs): Pairs {
  const f = fuzzer(SEED);
  const changed = new Set(changes.map(([name]) => name));
  return [...Object.values(fields).flatMap((field) => field.good(f)).filter(([name]) => !changed.has(name)), ...changes];
}

/**
 * Bad input at the form doors (urlencoded): random and hostile values in every field of log in,
 * the Forgotten page and the links from its emails, Change password, Add a person, a person's
 * details and assignments, the catalog's forms, the learner's competence record form, and the
 * role change. Each is refused with a clear 4xx page, nothing of it is stored, Object.prototype
 * stays clean, and the same door still takes a good request after.
 */
describe("fuzzing the form doors", () => {
  let t: TestApp;
  const as: Record<"anyone" | "learner" | "author" | "admin", { agent: Agent; csrf: string }> = {} as never;
  let learner: { personId: number; username: string; accountId: number };
  let admin: { personId: number; username: string; accountId: number };
  let competencyId: number;
  let address = 0;

  beforeAll(async () => {
    // The lockout is not what is tested here: wrong current passwords must not lock the learner out halfway.
    // Hundreds of forms from one account: the upload and approval limits (test/security/quotas.test.ts) are lifted too.
    t = await createTestApp({ env: { LOCKOUT_THRESHOLD: "100", UPLOADS_PER_QUARTER_HOUR: "100000", AWAITING_APPROVAL_MAX: "10000" } });
    competencyId = Number((await t.db("competencies").insert({ name: FIRE }).returning("id"))[0].id);
    await t.db("courses").insert({ code: COURSE, title: COURSE, kind: "elearning", created_at: t.clock.now().toISOString() });
    // One after another: each is a transaction of its own on one SQLite connection.
    const people = { admin: await buildLearner(t.db, t.clock, { role: "admin", name: "Okafor, Grace" }), author: await buildLearner(t.db, t.clock, { role: "author", name: "Patel, Amir" }), learner: await buildLearner(t.db, t.clock, { name: "Learner, Lou" }) };
    const accountOf = async (who: { personId: number; username: string }) => ({ ...who, accountId: Number((await t.db("accounts").where({ person_id: who.personId }).first("id")).id) });
    learner = await accountOf(people.learner);
    admin = await accountOf(people.admin);
    for (const [role, who] of Object.entries(people) as Array<["admin" | "author" | "learner", { username: string; password: string }]>) {
      const agent = await logInAgent(t.app, who.username, who.password);
      as[role] = { agent, csrf: csrfFrom((await agent.get("/account/password")).text) };
    }
    const anyone = request.agent(t.app);
    as.anyone = { agent: anyone, csrf: csrfFrom((await anyone.get("/login")).text) };
  });
  afterAll(() => t.cleanup());

  /** Each request from an address of its own: the login and recovery throttles count per address, and are not what is tested. */
  const post = (who: keyof typeof as, url: string, pairs: Pairs) =>
    as[who].agent.post(url).type("form").set("Accept", "text/html").set("X-Forwarded-For", `10.0.${address >> 8}.${address++ & 255}`).send(urlencoded([["_csrf", as[who].csrf], ...pairs]));

  /** Everything stored, but what a refusal keeps on purpose: the audit of a failed log-in, and the throttle's count. */
  const stored = async (kept: string[] = []) => {
    const counts = await tableCounts(t.db);
    for (const table of ["request_throttle", ...kept]) delete counts[table];
    return { counts, accounts: await t.db("accounts").orderBy("id").select("id", "username", "password_hash", "role", "locked_until"), people: await t.db("people").orderBy("id"), catalog: await catalogRows() };
  };
  const catalogRows = async () => ({
    competencies: await t.db("competencies").orderBy("id"),
    certifications: await t.db("certifications").orderBy("id"),
    positions: await t.db("positions").orderBy("id"),
    assignments: await t.db("assignments").orderBy("id"),
    requirements: await t.db("competence_requirements").orderBy("id"),
  });

  /** Sends each case; every one must be refused clearly, and nothing of them stored. */
  async function refusesAll(who: keyof typeof as, cases: Array<{ name: string; url: string; pairs: Pairs }>, kept: string[] = []) {
    const before = await stored(kept);
    for (const { name, url, pairs } of cases) {
      const problem = expectClearRefusal(await post(who, url, pairs), name);
      if (process.env.FUZZ_SHOW) console.log(name, "->", problem.slice(0, 160));
    }
    expect(await stored(kept)).toEqual(before);
    expectPrototypeClean();
  }
  /** CASES random requests, and named ones each good but for the change it makes (what the random ones found, kept). */
  const randomCases = (seed: number, label: string, url: (f: Fuzzer) => string, fields: Record<string, Field>, named: Record<string, Pairs> = {}) => {
    const f = fuzzer(seed);
    const namedCases = Object.entries(named).map(([name, changes]) => ({ name: `${label}: ${name}`, url: url(fuzzer(0)), pairs: goodBut(fields, changes) }));
    return [...namedCases, ...Array.from({ length: CASES }, (_, n) => ({ ...formCase(f, fields, `${label} ${n}`), url: url(f) }))];
  };

  it("refuses bad log-ins, with nothing but the failed log-in audited, and still logs a learner in", async () => {
    const nobody = (f: Fuzzer) => f.pick(["nobody.here", "297NOBODY01", "", ...ODD_TEXT]);
    const f = fuzzer(SEED + 10);
    const cases = Array.from({ length: CASES }, (_, n) => ({
      name: `log in ${n} (seed ${SEED})`,
      url: "/login",
      pairs: [...fieldPairs(f, "username", f.chance(0.1) ? undefined : nobody(f)), ...fieldPairs(f, "password", f.chance(0.1) ? undefined : f.pick([TEST_PASSWORD, ...ODD_TEXT])), ...fieldPairs(f, "next", f.pick(["/", "//evil.example", "https://evil.example", "/\\evil", ...ODD_TEXT])), ...(f.chance(0.2) ? [f.pick(POLLUTERS)] : [])] as Pairs,
    }));
    cases.push(
      { name: "a username of 100 kB", url: "/login", pairs: [["username", "u".repeat(100_000)], ["password", "x"]] },
      { name: "a NUL after a real username", url: "/login", pairs: [["username", `${learner.username}\u0000`], ["password", TEST_PASSWORD]] },
    );
    const lastAudit = Number((await t.db("audit_events").max({ id: "id" }).first())?.id ?? 0);
    await refusesAll("anyone", cases, ["audit_events", "login_failures"]);
    // Failed log ins, and the waits of a source that kept failing (login-failures.ts).
    const kinds = new Set(await t.db("audit_events").where("id", ">", lastAudit).pluck("kind"));
    expect(kinds).toContain("login.failed");
    expect([...kinds].filter((kind) => !["login.failed", "login.source_delayed", "login.delayed"].includes(kind))).toEqual([]);
    expect((await as.anyone.agent.get("/").redirects(0)).headers.location).toMatch(/^\/login/); // still no one logged in

    await logInAgent(t.app, learner.username, TEST_PASSWORD);
  }, 120_000);

  it("answers bad Forgotten requests and links with a problem or the same neutral page, sending and storing nothing", async () => {
    const f = fuzzer(SEED + 11);
    const value = () => f.pick(["nobody.here", "someone@example.org", "9", "11", "1991", ...ODD_TEXT]);
    const forms: Record<string, string[]> = { "/forgotten/username": ["email", "day", "month", "year"], "/forgotten/password": ["username"], "/forgotten/unlock": ["username", "email"], "/account/reset": ["token", "password", "confirm"], "/account/unlock": ["token"] };
    const before = await stored();
    for (let n = 0; n < CASES * 2; n++) {
      const url = f.pick(Object.keys(forms));
      const pairs = forms[url]!.flatMap((name) => fieldPairs(f, name, f.chance(0.1) ? undefined : value()));
      if (f.chance(0.2)) pairs.push(f.pick(POLLUTERS));
      const response = await post("anyone", url, pairs);
      const name = `${url} ${n} (seed ${SEED})`;
      // A well-formed request gets the same words whether or not anyone matches (recovery-routes.ts): no refusal to check there.
      if (response.status === 200 && url.startsWith("/forgotten/")) expect(response.text, name).toContain("If the details you gave match an account");
      else expectClearRefusal(response, name);
    }
    await Promise.all(t.app.locals.recoveryJobs ?? []);
    expect(await stored()).toEqual(before);
    expectPrototypeClean();

    const good = await post("anyone", "/forgotten/password", [["username", learner.username]]);
    expect(good.status).toBe(200);
    await Promise.all(t.app.locals.recoveryJobs ?? []);
    expect(await t.db("account_tokens").count({ n: "*" }).first().then((row) => Number(row?.n))).toBe(1);
  }, 120_000);

  it("refuses bad password changes, keeping the password, and still changes it", async () => {
    const NEW = "heather otter lamplight";
    const cases = randomCases(SEED + 12, "change password", () => "/account/password", {
      current: one("current", () => TEST_PASSWORD, ["", "wrong horse battery", TEST_PASSWORD.toUpperCase(), `${TEST_PASSWORD}\u0000`, HUGE]),
      new: {
        good: () => [["password", NEW], ["confirm", NEW]],
        bad: [["short", "short"], [NEW, `${NEW}!`], ["password123", "password123"], ["p".repeat(129), "p".repeat(129)], [`my ${learner.username} pass`, `my ${learner.username} pass`], ["aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa"], ["", ""]].map(([password, confirm]) => [["password", password!], ["confirm", confirm!]] as Pairs),
      },
    }, { "a NUL in the new password": [["password", `${NEW}\u0000`], ["confirm", `${NEW}\u0000`]] });
    await refusesAll("learner", cases, ["audit_events"]);

    const good = await post("learner", "/account/password", [["current", TEST_PASSWORD], ["password", NEW], ["confirm", NEW]]);
    expect(good.status).toBe(303);
    await logInAgent(t.app, learner.username, NEW);
  }, 120_000);

  const person = (email: () => string): Record<string, Field> => ({
    lastName: one("lastName", () => "Ní Bhriain", BAD_NAMES),
    firstName: one("firstName", () => "Aoife", BAD_NAMES),
    email: one("email", email, BAD_EMAILS),
    dob: dob(BAD_DATES),
  });

  it("refuses bad people, details and assignments, changing no one, and still adds a person", async () => {
    let n = 0;
    const taken = await t.db("assignments").join("people", "people.id", "assignments.person_id").whereNot("people.id", learner.personId).first("number");
    const add = randomCases(SEED + 13, "add a person", () => "/admin/people", {
      ...person(() => `fuzz.${n++}@example.org`),
      employeeNumber: one("employeeNumber", () => "", ["abc", "1".repeat(21), "-1", "1.5", "1e5"]),
      username: one("username", () => "", ["ab", "has space", "x".repeat(51), "ünï", admin.username]),
      // Not a field that can be wrong: an unknown role is a learner, the least (people/routes.ts).
      role: one("role", (f) => f.pick(["learner", "author", "admin", "superuser", "", "__proto__"]), []),
      assignment: { good: () => [["number", ""], ["position", ""]], bad: [[["number", "abc"], ["position", "Healthcare Assistant"]], [["number", "30000099"], ["position", "Nope"]], [["number", ""], ["position", "Healthcare Assistant"]], [["number", "1".repeat(21)], ["position", "Healthcare Assistant"]], [["number", String(taken.number)], ["position", "Healthcare Assistant"]]] },
    }, {
      "a NUL in the first name": [["firstName", "Ao\u0000ife"]],
      "a last name of 101 characters": [["lastName", "L".repeat(101)]],
      "a last name of 5,000 characters": [["lastName", "L".repeat(5000)]],
      "an email address of 262 characters": [["email", `${"e".repeat(250)}@example.org`]],
      "letters in the employee number": [["employeeNumber", "E-1234"]],
      "an employee number of 21 digits": [["employeeNumber", "1".repeat(21)]],
      "a NUL in the position": [["number", "30000077"], ["position", "Healthcare Assistant\u0000"]],
    });
    const f = fuzzer(SEED + 14);
    const details = randomCases(SEED + 15, "details", () => `/admin/people/${f.chance(0.1) ? f.pick(BAD_IDS) : learner.personId}/details`, person(() => "lou.new@example.org"), {
      "a NUL in the last name": [["lastName", "Lear\u0000ner"]],
      "a last name of 101 characters": [["lastName", "L".repeat(101)]],
    });
    const assignments = randomCases(SEED + 16, "assignment", () => `/admin/people/${f.chance(0.1) ? f.pick(BAD_IDS) : learner.personId}/assignments`, {
      number: one("number", () => "30000123", ["", "abc", "-1", "1".repeat(21), String(taken.number), "1e5"]),
      position: one("position", () => "Healthcare Assistant", ["", "Nope", "healthcare assistant ", "p".repeat(201), HUGE]),
    }, { "a NUL in the position": [["position", "Healthcare\u0000Assistant"]] });
    const pastIntegers = ["details", "assignments"].map((page) => ({ name: `person 2147483648's ${page}`, url: `/admin/people/2147483648/${page}`, pairs: goodBut(person(() => "x@example.org"), [["number", "30000123"], ["position", "Healthcare Assistant"]]) }));
    await refusesAll("admin", [...add, ...details, ...assignments, ...pastIntegers]);

    // A name whose search key is far longer than the name (NFKD) fits as well as any other.
    const good = await post("admin", "/admin/people", [["lastName", "\uFDFA".repeat(30)], ["firstName", "Zoë"], ["email", "zoe@example.org"], ["day", "1"], ["month", "2"], ["year", "1980"]]);
    expect(good.status, good.text.slice(0, 300)).toBe(303);
    expect(await t.db("people").where({ first_name: "Zoë" }).first("last_name")).toEqual({ last_name: "\uFDFA".repeat(30) });
  }, 120_000);

  it("refuses bad catalog entries, saving none, and still adds a competency", async () => {
    const f = fuzzer(SEED + 17);
    // Edits go to another competency than Fire Safety, so that Fire Safety's name in other case is taken.
    const existing = Number((await t.db("competencies").insert({ name: "297|LOCAL|Manual Handling|" }).returning("id"))[0].id);
    const id = () => (f.chance(0.15) ? f.pick(BAD_IDS) : String(existing));
    const competencies = randomCases(SEED + 18, "competency", () => f.pick(["/catalog/competencies", `/catalog/competencies/${id()}`]), {
      name: one("name", () => "297|LOCAL|Sharps Safety|", ["", "   ", "n".repeat(301), FIRE.toLowerCase(), HUGE]),
      description: one("description", () => "", ["d".repeat(10_001)]),
    }, { "a NUL in the name": [["name", "297|LOCAL|Sharps\u0000|"]], "a NUL in the description": [["description", "Sharps\u0000"]] });
    const certifications = randomCases(SEED + 19, "certification", () => "/catalog/certifications", {
      name: one("name", () => "297 Core Skills - Fire Safety - 2 Years", ["", "n".repeat(301)]),
      competencyId: one("competencyId", () => String(competencyId), ["", "abc", "0", "-5", "99999", "99999999999", "2147483648", "99999999999999999999"]),
      competenceLevel: one("competenceLevel", () => "1 - Assessed", ["", "l".repeat(101)]),
      validDays: one("validDays", () => "730", ["", "0", "1.5", "abc", "36501", "-1", "1e3"]),
      completeWithinDays: one("completeWithinDays", () => "30", ["", "0", "99999999999"]),
      renewable: one("renewable", (f) => f.pick(["yes", "no", "maybe"]), []),
      components: {
        good: () => [["order", "1"], ["course", COURSE], ["requires", "completion"], ["satisfiedBy", ""]],
        bad: [
          [["course", ""]],
          [["course", "297 No Such Course"], ["requires", "completion"]],
          [["course", COURSE], ["requires", "bogus"]],
          [["course", COURSE], ["course", COURSE], ["requires", "completion"], ["requires", "pass"]],
          [["course", COURSE], ["requires", "pass"], ["satisfiedBy", COURSE]],
          [["course", COURSE], ["requires", "pass"], ["satisfiedBy", "297 Elsewhere"]],
        ],
      },
    }, { "a competency id past a PostgreSQL integer": [["competencyId", "2147483648"]], "a NUL in a course": [["course", `${COURSE}\u0000`]] });
    const positions = randomCases(SEED + 20, "position", () => "/catalog/positions", {
      name: one("name", () => "Phlebotomist", ["", "n".repeat(201), "Healthcare Assistant"]),
      requirement: {
        good: () => [["competencyId", String(competencyId)], [`need-${competencyId}`, "essential"], [`minLevel-${competencyId}`, "1 - Assessed"], [`due-${competencyId}`, "30"]],
        bad: [
          [["competencyId", "99999"], ["need-99999", "essential"]],
          [["competencyId", "abc"], ["need-abc", "essential"]],
          [["competencyId", "99999999999"], ["need-99999999999", "desirable"]],
          [["competencyId", String(competencyId)], ["competencyId", String(competencyId)], [`need-${competencyId}`, "essential"]],
          [["competencyId", String(competencyId)], [`need-${competencyId}`, "essential"], [`due-${competencyId}`, f.pick(["0", "abc", "36501", "1.5"])]],
          [["competencyId", String(competencyId)], [`need-${competencyId}`, "essential"], [`minLevel-${competencyId}`, "l".repeat(101)]],
        ],
      },
    }, {
      "a competency id that is not a number": [["competencyId", "abc"], ["need-abc", "essential"]],
      "a competency id past a PostgreSQL integer": [["competencyId", "2147483648"], ["need-2147483648", "essential"]],
    });
    const edits = ["competencies", "certifications", "positions"].map((plural) => ({ name: `editing ${plural} 2147483648`, url: `/catalog/${plural}/2147483648`, pairs: [["name", "Anything"]] as Pairs }));
    await refusesAll("author", [...competencies, ...certifications, ...positions, ...edits]);

    const good = await post("author", "/catalog/competencies", [["name", "297|LOCAL|Zoë's Sharps Safety|"], ["description", "Unicode: ✓"]]);
    expect(good.status).toBe(303);
    expect(await t.db("competencies").where({ name: "297|LOCAL|Zoë's Sharps Safety|" }).first("description")).toEqual({ description: "Unicode: ✓" });
  }, 120_000);

  it("refuses bad competence records typed by a learner, keeping none, and still keeps a good one", async () => {
    const cases = randomCases(SEED + 21, "record", () => "/compliance/records", {
      competencyId: one("competencyId", () => String(competencyId), ["", "abc", "0", "-1", "1.5", "99999", "99999999999", "2147483648"]),
      achievedOn: one("achievedOn", () => "2026-01-15", ["", "2026-02-30", "99999-01-01", "2027-01-01", "15/01/2026", "2026-1-15"]),
      expiresOn: one("expiresOn", (f) => f.pick(["", "2028-01-15"]), ["2026-02-30", "2020-01-01", "2026-01-15", "never"]),
      evidence: one("evidence", () => "Fire safety at Leeds, certificate 4411", ["", "   ", "e".repeat(2001)]),
    }, { "a competency id past a PostgreSQL integer": [["competencyId", "2147483648"]], "a NUL in the evidence": [["evidence", "At Le\u0000eds"]] });
    await refusesAll("learner", cases);

    const good = await post("learner", "/compliance/records", [["competencyId", String(competencyId)], ["achievedOn", "2026-01-15"], ["evidence", "Fire safety at Leeds"]]);
    expect(good.status).toBe(303);
    expect(await t.db("competence_records").where({ person_id: learner.personId }).pluck("status")).toEqual(["awaiting_approval"]);
  }, 120_000);

  it("refuses bad role changes, changing no role and ending no session, and still changes one", async () => {
    const f = fuzzer(SEED + 22);
    const cases = Array.from({ length: CASES }, (_, n) => {
      const own = f.chance(0.3);
      const target = f.chance(0.1) ? f.pick(BAD_IDS) : String(own ? admin.accountId : learner.accountId);
      // Never a role the account could take: an unknown one, or taking away one's own administrator role.
      const role = own ? f.pick(["learner", "author", "", "Admin"]) : f.pick(["superuser", "", "Admin", "ADMIN", "admin ", "__proto__", "constructor", "toString", ...ODD_TEXT]);
      const pairs: Pairs = f.chance(0.15) ? [["role", role], ["role", "admin"]] : f.chance(0.1) ? [] : [["role", role]];
      return { name: `role ${n} for ${target} (seed ${SEED})`, url: `/admin/accounts/${target}/role`, pairs: f.chance(0.2) ? [...pairs, f.pick(POLLUTERS)] : pairs };
    });
    cases.push({ name: "account 2147483648", url: "/admin/accounts/2147483648/role", pairs: [["role", "author"]] });
    await refusesAll("admin", cases);

    const good = await post("admin", `/admin/accounts/${learner.accountId}/role`, [["role", "author"]]);
    expect(good.status).toBe(303);
    expect(await t.db("accounts").where({ id: learner.accountId }).first("role")).toEqual({ role: "author" });
  }, 120_000);
});
