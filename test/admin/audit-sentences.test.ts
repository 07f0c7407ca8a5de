import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { agentsByRole, signedIn, type SignedInAgent } from "../support/role-agents.ts";
import { auditWords } from "../../server/audit/index.ts";
import { seedDemo } from "../../server/demo/index.ts";

const HEADER = "Employee Number,Last Name,First Name,Email,Date of Birth,Username,Role,Assignment Number,Position";

/** The audit trail in sentences, with who and from where on every row; a people upload's new accounts name their uploader. */
describe("the audit trail in L&D's words", () => {
  let t: TestApp;
  const clock = settableClock("2026-03-01T09:00:00.000Z");
  let admin: SignedInAgent;
  let adminUsername: string;
  beforeAll(async () => {
    t = await createTestApp({ clock });
    const person = await buildLearner(t.db, t.clock, { role: "admin", name: "Okafor, Grace" });
    adminUsername = person.username;
    admin = await signedIn(t.app, person);
  });
  afterAll(() => t.cleanup());

  const rows = (html: string) =>
    [...html.matchAll(/<tr class="nhsuk-table__row" role="row" data-kind="([^"]+)">([\s\S]*?)<\/tr>/g)].map(([, kind, cells]) => {
      const cell = (field: string) => new RegExp(`data-field="${field}"><span[^>]*>[^<]*</span><span>([^<]*)</span>`).exec(cells!)?.[1] ?? "";
      return { kind: kind!, sentence: cell("sentence"), by: cell("by"), from: cell("from") };
    });

  it("records the uploader and their address on each account a people CSV creates, and says so in a sentence", async () => {
    await admin.agent.post("/admin/people/upload").field("_csrf", admin.csrf).field("mode", "import")
      .attach("file", Buffer.from(`${HEADER}\n,Conroy,Emma,emma.conroy@example.org,1988-04-12,,,24552166,Healthcare Assistant`), { filename: "people.csv", contentType: "text/csv" }).expect(200);
    const created = rows((await admin.agent.get("/admin/audit?kind=account.created").expect(200)).text);
    const emma = created.find((row) => row.sentence.startsWith("Emma Conroy"));
    expect(emma).toEqual({ kind: "account.created", sentence: "Emma Conroy&#39;s learner account was created", by: adminUsername, from: "127.0.0.1" });
    const account = await t.db("audit_events").where({ kind: "account.created" }).orderBy("id", "desc").first("actor_account_id", "ip");
    expect(account).toEqual({ actor_account_id: expect.any(Number), ip: "127.0.0.1" });
    // The upload is a people upload, not a catalog import, named by its file and what it did.
    expect(rows((await admin.agent.get("/admin/audit?kind=catalog.imported").expect(200)).text)).toEqual([]);
    const uploaded = rows((await admin.agent.get("/admin/audit?kind=people.uploaded").expect(200)).text);
    expect(uploaded).toEqual([{ kind: "people.uploaded", sentence: "A people file (people.csv) was uploaded: 1 person added, 0 changed", by: adminUsername, from: "127.0.0.1" }]);
    // The same file with a new email changes Emma: the change names the uploader too.
    const employeeNumber = String((await t.db("people").where({ email: "emma.conroy@example.org" }).first("employee_number")).employee_number);
    await admin.agent.post("/admin/people/upload").field("_csrf", admin.csrf).field("mode", "import")
      .attach("file", Buffer.from(`${HEADER}\n${employeeNumber},Conroy,Emma,emma.c@example.org,1988-04-12,,,24552166,Healthcare Assistant`), { filename: "staff.csv", contentType: "text/csv" }).expect(200);
    const updated = rows((await admin.agent.get("/admin/audit?kind=person.updated").expect(200)).text)[0];
    expect(updated).toEqual({ kind: "person.updated", sentence: "Emma Conroy&#39;s details were changed by an import (Email: emma.conroy@example.org -&gt; emma.c@example.org)", by: adminUsername, from: "127.0.0.1" });
    expect(rows((await admin.agent.get("/admin/audit?kind=people.uploaded").expect(200)).text)[0]!.sentence).toBe("A people file (staff.csv) was uploaded: 0 people added, 1 changed");
  });

  it("shows every row as a sentence with who and from where, never raw JSON", async () => {
    const page = (await admin.agent.get("/admin/audit").expect(200)).text;
    expect(page).not.toContain("<code>");
    expect(page).not.toMatch(/\{&#34;/);
    const all = rows(page);
    expect(all.length).toBeGreaterThan(3);
    for (const row of all) {
      expect(row.sentence, row.kind).toMatch(/^[A-Z]/);
      // Who and from where are the columns' to say, not the sentence's again.
      if (!row.sentence.startsWith("Log ins from this address")) expect(row.sentence, row.kind).not.toMatch(/ from [\d.:a-f]+$/);
      if (row.by !== "" && !row.by.startsWith("The ")) expect(row.sentence, row.kind).not.toContain(` by ${row.by}`);
      expect(row.by, row.kind).not.toBe("");
      expect(row.from, row.kind).not.toBe("");
    }
    // The filter names each kind in words.
    expect(page).toContain('<option value="account.created" >Account created</option>');
    expect(page).toContain('class="nhsuk-table-responsive"');
  });

  it("words what the LMS did by itself, and what someone did themselves", () => {
    expect(auditWords({ kind: "subscription.expired", detail: "{}", actor: null, ip: null, first_name: "Emma", last_name: "Conroy" })).toEqual({
      sentence: "Emma Conroy's subscription expired: not completed in time",
      by: "The LMS (the daily expiry)",
      from: "No address: not from a browser",
    });
    expect(auditWords({ kind: "login", detail: "{}", actor: "297ECONROY01", ip: "10.0.0.1", first_name: "Emma", last_name: "Conroy" })).toEqual({ sentence: "Emma Conroy logged in", by: "297ECONROY01", from: "10.0.0.1" });
    expect(auditWords({ kind: "account.role_changed", detail: { from: "learner", to: "admin" }, actor: "297ADMIN01", ip: "10.0.0.1", first_name: "Emma", last_name: "Conroy" })).toEqual({ sentence: "Emma Conroy's role was changed from learner to L&D administrator", by: "297ADMIN01", from: "10.0.0.1" });
    expect(auditWords({ kind: "catalog.position_deleted", detail: { name: "Porter" }, actor: "297ADMIN01", ip: "10.0.0.1" }).sentence).toBe("The position Porter was deleted in the catalog");
    // A people upload recorded before it had its own kind reads as one still.
    expect(auditWords({ kind: "catalog.imported", detail: { competencies: 0, certifications: 0, positions: 0, people: 2 }, actor: "297ADMIN01", ip: "10.0.0.1" }).sentence).toBe("A people file was uploaded: 2 people");
    expect(auditWords({ kind: "catalog.imported", detail: { competencies: 14, certifications: 3, positions: 1, people: 1 }, actor: null, ip: null }).sentence).toBe("A catalog file was imported: 14 competencies, 3 learning certifications, 1 position, 1 person");
    // Whatever part of the LMS wrote it, the demo trust's setup signs its rows alike.
    for (const kind of ["account.created", "catalog.imported", "class.created", "person.updated", "subscription.expired"]) {
      expect(auditWords({ kind, detail: { cause: "demo trust" }, actor: null, ip: null }).by, kind).toBe("The LMS (setting up the demo trust)");
    }
    expect(auditWords({ kind: "something.new", detail: "not json", actor: null, ip: null }).sentence).toBe("Something new");
  });

  it("is for L&D administrators only", async () => {
    const agents = await agentsByRole(t);
    for (const who of ["learner", "author"] as const) await agents[who].agent.get("/admin/audit").expect(403);
    await agents.anonymous.agent.get("/admin/audit").expect(302);
  });
});

/** The demo trust's setup writes through several parts of the LMS (people, catalog, classes): its rows are signed alike. */
describe("the demo trust's setup in the audit trail", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ clock: settableClock("2026-03-01T09:00:00.000Z") });
    await seedDemo({ db: t.db, clock: t.clock, config: t.config });
  }, 120_000); // the demo trust imports its 25 courses: 11 s alone, over a minute on a loaded machine
  afterAll(() => t.cleanup());

  it("signs every row it wrote with no one acting the same way", async () => {
    const events = await t.db("audit_events").leftJoin("people", "people.id", "audit_events.person_id").whereNull("audit_events.actor_account_id")
      .select("audit_events.kind", "audit_events.detail", "audit_events.ip", "people.first_name", "people.last_name");
    const kinds = new Set(events.map((event) => String(event.kind)));
    expect([...kinds]).toEqual(expect.arrayContaining(["account.created", "catalog.imported", "class.created"]));
    const signed = new Set(events.map((event) => auditWords({ ...event, actor: null }).by));
    expect([...signed]).toEqual(["The LMS (setting up the demo trust)"]);
  });
});
