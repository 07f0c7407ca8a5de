import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, settableClock, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { agentsByRole, signedIn, type SignedInAgent } from "../support/role-agents.ts";
import { auditWords } from "../../server/audit/index.ts";

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
    expect(emma).toEqual({ kind: "account.created", sentence: `Emma Conroy&#39;s learner account was created by ${adminUsername} from 127.0.0.1`, by: adminUsername, from: "127.0.0.1" });
    const account = await t.db("audit_events").where({ kind: "account.created" }).orderBy("id", "desc").first("actor_account_id", "ip");
    expect(account).toEqual({ actor_account_id: expect.any(Number), ip: "127.0.0.1" });
    const imported = rows((await admin.agent.get("/admin/audit?kind=catalog.imported").expect(200)).text);
    expect(imported[0]).toEqual(expect.objectContaining({ by: adminUsername, from: "127.0.0.1" }));
    // The same file with a new email changes Emma: the change names the uploader too.
    const employeeNumber = String((await t.db("people").where({ email: "emma.conroy@example.org" }).first("employee_number")).employee_number);
    await admin.agent.post("/admin/people/upload").field("_csrf", admin.csrf).field("mode", "import")
      .attach("file", Buffer.from(`${HEADER}\n${employeeNumber},Conroy,Emma,emma.c@example.org,1988-04-12,,,24552166,Healthcare Assistant`), { filename: "people.csv", contentType: "text/csv" }).expect(200);
    const updated = rows((await admin.agent.get("/admin/audit?kind=person.updated").expect(200)).text)[0];
    expect(updated).toEqual({ kind: "person.updated", sentence: `Emma Conroy&#39;s details were changed by a people upload (Email: emma.conroy@example.org -&gt; emma.c@example.org) by ${adminUsername} from 127.0.0.1`, by: adminUsername, from: "127.0.0.1" });
  });

  it("shows every row as a sentence with who and from where, never raw JSON", async () => {
    const page = (await admin.agent.get("/admin/audit").expect(200)).text;
    expect(page).not.toContain("<code>");
    expect(page).not.toMatch(/\{&#34;/);
    const all = rows(page);
    expect(all.length).toBeGreaterThan(3);
    for (const row of all) {
      expect(row.sentence, row.kind).toMatch(/^[A-Z]/);
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
    expect(auditWords({ kind: "login", detail: "{}", actor: "297ECONROY01", ip: "10.0.0.1", first_name: "Emma", last_name: "Conroy" }).sentence).toBe("Emma Conroy logged in from 10.0.0.1");
    expect(auditWords({ kind: "account.role_changed", detail: { from: "learner", to: "admin" }, actor: "297ADMIN01", ip: "10.0.0.1", first_name: "Emma", last_name: "Conroy" }).sentence).toBe("Emma Conroy's role was changed from learner to L&D administrator by 297ADMIN01 from 10.0.0.1");
    expect(auditWords({ kind: "catalog.position_deleted", detail: { name: "Porter" }, actor: "297ADMIN01", ip: "10.0.0.1" }).sentence).toBe("The position Porter was deleted in the catalog by 297ADMIN01 from 10.0.0.1");
    expect(auditWords({ kind: "something.new", detail: "not json", actor: null, ip: null }).sentence).toBe("Something new");
  });

  it("is for L&D administrators only", async () => {
    const agents = await agentsByRole(t);
    for (const who of ["learner", "author"] as const) await agents[who].agent.get("/admin/audit").expect(403);
    await agents.anonymous.agent.get("/admin/audit").expect(302);
  });
});
