import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildZip } from "../support/build-zip.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";
import { expectClearRefusal, expectPrototypeClean, filesUnder, fuzzer, ODD_TEXT, POLLUTERS, SEED, tableCounts, type Fuzzer } from "./fuzz-support.ts";

const CASES = 40;
const FIRE = "NHS|CSTF|Fire Safety - 2 Years|";
const DOB = "1990-02-03";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n", "latin1");
const EXE = Buffer.concat([Buffer.from("MZ\x90\0\x03\0\0\0", "latin1"), Buffer.alloc(200, 0x41)]);

type Agent = ReturnType<typeof request.agent>;
interface Upload {
  name: string;
  fields?: Array<[string, string]>;
  files?: Array<{ field: string; content: Buffer; filename: string }>;
  /** Part of the path, where the door has one (the person's id). */
  at?: string;
}

const bytes = (f: Fuzzer, length: number) => Buffer.from(Array.from({ length }, () => f.int(256)));
/** A real zip's bytes, its temporary folder removed. */
async function zipOf(entries: Record<string, string | Buffer>): Promise<Buffer> {
  const file = await buildZip(entries);
  try {
    return fs.readFileSync(file);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
// A NUL or 16 kB in a file name breaks the part's header (busboy refuses it): named cases, not random ones.
const HOSTILE_NAMES = ["package.zip", `${"n".repeat(5000)}.zip`, "../../../etc/passwd", "Zoë's course ✓.zip", "con.zip", ".zip", "x.zip.exe", "\u202egpj.zip"];

/**
 * Bad input at the upload doors: random and hostile files (random bytes named .zip, truncated
 * real zips, empty files, no file, two files, huge and strange names, CSV that is not UTF-8 or
 * not CSV, records files that are not JSON or not this person's) and hostile fields beside them.
 * Each is refused with a clear 4xx page, nothing of it is stored (no row, no file under DATA_DIR,
 * no course or version), Object.prototype stays clean, and a good upload still works after.
 */
describe("fuzzing the upload doors", () => {
  let t: TestApp;
  const agents: Record<"author" | "admin" | "learner", { agent: Agent; csrf: string }> = {} as never;
  let targetId: number;
  let competencyId: number;
  let goodZip: Buffer;

  beforeAll(async () => {
    // Hundreds of uploads from one account in a minute: the upload limit (test/security/quotas.test.ts) is lifted.
    t = await createTestApp({ env: { UPLOADS_PER_QUARTER_HOUR: "100000" } });
    fs.mkdirSync(t.config.dataDir, { recursive: true });
    competencyId = Number((await t.db("competencies").insert({ name: FIRE }).returning("id"))[0].id);
    await t.db("certifications").insert({ name: "297 Core Skills - Fire Safety - 2 Years", competency_id: competencyId, competence_level: "1 - Assessed", valid_days: 730, complete_within_days: 30, renewable: true });
    // One after another: each is a transaction of its own on one SQLite connection.
    const people = { author: await buildLearner(t.db, t.clock, { role: "author", name: "Patel, Amir" }), admin: await buildLearner(t.db, t.clock, { role: "admin", name: "Okafor, Grace" }), learner: await buildLearner(t.db, t.clock, { name: "Learner, Lou" }) };
    targetId = (await buildLearner(t.db, t.clock, { name: "Target, Tess", dob: DOB })).personId;
    for (const [role, person] of Object.entries(people) as Array<[keyof typeof agents, { username: string; password: string }]>) {
      const agent = await logInAgent(t.app, person.username, person.password);
      agents[role] = { agent, csrf: csrfFrom((await agent.get("/compliance?tab=awaiting")).text) };
    }
    goodZip = await zipOf(VALID_PACKAGES["scorm12-single"]!.files);
  });
  afterAll(() => t.cleanup());

  const send = (who: keyof typeof agents, url: string, upload: Upload) => {
    const { agent, csrf } = agents[who];
    const req = agent.post(url).set("Accept", "text/html").field("_csrf", csrf);
    for (const [name, value] of upload.fields ?? []) req.field(name, value);
    for (const file of upload.files ?? []) req.attach(file.field, file.content, { filename: file.filename, contentType: "application/octet-stream" });
    return req;
  };
  // The upload limit's own count (request_throttle) is bookkeeping of the refusal, not something stored from the upload.
  const stored = async () => ({ tables: { ...(await tableCounts(t.db)), request_throttle: 0 }, files: filesUnder(t.config.dataDir) });

  /** Sends every case to the door and checks each is refused with nothing stored. */
  async function refusesAll(who: keyof typeof agents, url: (upload: Upload) => string, uploads: Upload[]) {
    const before = await stored();
    for (const upload of uploads) {
      const problem = expectClearRefusal(await send(who, url(upload), upload), upload.name);
      if (process.env.FUZZ_SHOW) console.log(upload.name, "->", problem.slice(0, 160));
    }
    expect(await stored()).toEqual(before);
    expectPrototypeClean();
  }

  it("refuses bad course packages and keeps nothing of them, then imports a good one", async () => {
    const f = fuzzer(SEED);
    const pkg = (name: string, content: Buffer, filename = "package.zip", fields: Array<[string, string]> = []): Upload => ({ name, fields, files: [{ field: "package", content, filename }] });
    const brokenEnd = Buffer.from(goodZip);
    brokenEnd.writeUInt32LE(0, goodZip.lastIndexOf(Buffer.from("PK\x05\x06", "latin1")));
    const junkManifests = ["", "<manifest", "<?xml version=\"1.0\"?><manifest identifier=\"x\"/>", "<a>".repeat(20_000), '<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><manifest>&c;</manifest>'];
    const uploads: Upload[] = [
      // A multipart form without a file part: a form with no body at all is not multipart, so its _csrf in the URL does not count (web/session.ts).
      { name: "no file", fields: [["code", ""]] },
      { name: "no file, polluting fields", fields: [["code", "297 X"], ...POLLUTERS] },
      pkg("empty file", Buffer.alloc(0)),
      pkg("end of central directory broken", brokenEnd),
      pkg("no manifest", await zipOf({ "index.html": "<p>Hi</p>" })),
      pkg("an AICC package", await zipOf({ "course.crs": "[Course]", "course.au": "x", "course.des": "x", "course.cst": "x" })),
      pkg("an xAPI (Tin Can) package", await zipOf({ "tincan.xml": "<tincan/>", "index.html": "<p>Hi</p>" })),
      pkg("a cmi5 package", await zipOf({ "cmi5.xml": "<courseStructure/>", "index.html": "<p>Hi</p>" })),
      pkg("a manifest with no organization and no SCO", await zipOf({ "imsmanifest.xml": '<manifest identifier="m" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"><organizations/><resources><resource identifier="r" adlcp:scormtype="asset" href="index.html"/></resources></manifest>', "index.html": "<p>Hi</p>" })),
      pkg("a good package under a NUL in the code", goodZip, "package.zip", [["code", "297\u0000X"]]),
      pkg("a good package under a 5,000-character code", goodZip, "package.zip", [["code", "c".repeat(5000)]]),
      { name: "two files", files: [{ field: "package", content: goodZip, filename: "a.zip" }, { field: "package", content: goodZip, filename: "b.zip" }] },
      { name: "the wrong field", files: [{ field: "file", content: goodZip, filename: "package.zip" }] },
      pkg("a file name of 20 kB", bytes(f, 100), `${"n".repeat(20_000)}.zip`),
      pkg("a NUL in the file name", goodZip, "a\u0000b.zip"),
    ];
    for (let n = 0; n < CASES; n++) {
      const kind = f.pick(["bytes", "truncated", "manifest"] as const);
      const fields = f.chance(0.3) ? [["code", f.pick(ODD_TEXT)] as [string, string], ...(f.chance(0.3) ? POLLUTERS : [])] : [];
      const name = `random ${n}, ${kind} (seed ${SEED})`;
      if (kind === "bytes") uploads.push(pkg(name, Buffer.concat([f.chance(0.5) ? Buffer.from("PK\x03\x04", "latin1") : Buffer.alloc(0), bytes(f, f.int(4096))]), f.pick(HOSTILE_NAMES), fields));
      if (kind === "truncated") uploads.push(pkg(name, goodZip.subarray(0, f.int(goodZip.length - 1)), f.pick(HOSTILE_NAMES), fields));
      if (kind === "manifest") {
        const manifest = f.chance(0.3) ? bytes(f, f.int(2000)) : f.pick(junkManifests);
        uploads.push(pkg(name, await zipOf({ "imsmanifest.xml": manifest, "index.html": "<p>Hi</p>" }), "package.zip", fields));
      }
    }
    await refusesAll("author", () => "/author/courses/upload", uploads);

    const good = await send("author", "/author/courses/upload", pkg("good", goodZip));
    expect(good.status, good.text.slice(0, 300)).toBe(201);
    expect(await t.db("courses").pluck("code")).toHaveLength(1);
  }, 120_000);

  it("refuses bad people CSV files and adds no one, then takes a good one", async () => {
    const f = fuzzer(SEED + 1);
    const COLUMNS = ["Employee Number", "Last Name", "First Name", "Email", "Date of Birth", "Username", "Role", "Assignment Number", "Position"];
    const BAD_DATES = ["2026-02-30", "99999-01-01", "31/02/1988", "yesterday", "", "2030-01-01", "1899-12-31"];
    const csv = (name: string, content: Buffer | string, filename = "people.csv", mode = "import"): Upload => ({ name, fields: [["mode", mode]], files: [{ field: "file", content: Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8"), filename }] });
    const cell = (value: string) => (f.chance(0.3) ? `"${value.replace(/"/g, '""')}"` : f.chance(0.02) ? `"${value}` : value);
    const uploads: Upload[] = [
      { name: "no file", fields: [["mode", "import"]] },
      { name: "no file, polluting fields", fields: [["mode", "import"], ...POLLUTERS] },
      csv("empty file", ""),
      csv("a BOM only", "\uFEFF"),
      csv("the header only", `${COLUMNS.join(",")}\n`),
      csv("Windows-1252, not UTF-8", Buffer.from(`Last Name,First Name,Email,Date of Birth\nBrontë,Zoë,zoe@example.org,1988-04-12\n`, "latin1")),
      csv("NUL bytes", `Last Name,First Name,Email,Date of Birth\nNu\u0000ll,Nick,nick@example.org,1988-04-12\n`),
      csv("a line of 1.5 MB", `Last Name,First Name,Email,Date of Birth\n${"w".repeat(1_500_000)},Nick,nick@example.org,1988-04-12\n`),
      csv("too large", `Last Name,First Name,Email,Date of Birth\n${"Smith,Jo,jo@example.org,1988-04-12\n".repeat(70_000)}`),
      csv("unbalanced quotes", `Last Name,First Name,Email,Date of Birth\n"Smith,Jo,jo@example.org,1988-04-12\n`),
      csv("names past their columns", `Last Name,First Name,Email,Date of Birth\n${"L".repeat(101)},Jo,jo@example.org,1988-04-12\n`),
      { name: "two files", fields: [["mode", "import"]], files: [{ field: "file", content: Buffer.from("a"), filename: "a.csv" }, { field: "file", content: Buffer.from("b"), filename: "b.csv" }] },
      { name: "the wrong field", files: [{ field: "csv", content: Buffer.from("Last Name\n"), filename: "people.csv" }] },
    ];
    for (let n = 0; n < CASES; n++) {
      const header = COLUMNS.filter(() => f.chance(0.7));
      // Each file is bad for sure: an unknown column, a required one missing, or a date of birth that is none.
      if (f.chance(0.4)) header.splice(f.int(header.length + 1), 0, f.pick(["Nickname", "__proto__", "constructor", "", "Email", "Birthday"]));
      const rows = Array.from({ length: 1 + f.int(4) }, () =>
        header.map((column) => (column === "Date of Birth" ? f.pick(BAD_DATES) : f.chance(0.5) ? f.pick(ODD_TEXT.filter((text) => !text.includes("\u0000"))) : f.pick(["Smith", "Jo", "jo@example.org", "Learner", "30000001", "Healthcare Assistant"]))),
      );
      const text = [header.map(cell).join(","), ...rows.map((row) => row.map(cell).join(f.pick([",", ",", ";", "\t"])))].join(f.pick(["\n", "\r\n", "\r"]));
      uploads.push(csv(`random ${n} (seed ${SEED})`, f.chance(0.2) ? Buffer.from(text, "latin1") : text, f.pick(["people.csv", "x".repeat(300), "people.csv.exe"]), f.pick(["import", "check", "", "IMPORT"])));
    }
    await refusesAll("admin", () => "/admin/people/upload", uploads);

    const good = await send("admin", "/admin/people/upload", csv("good", `Last Name,First Name,Email,Date of Birth\nGood,Gwen,gwen.good@example.org,1988-04-12\n`));
    expect(good.status, good.text.slice(0, 300)).toBe(200);
    expect(await t.db("people").where({ last_name: "Good", first_name: "Gwen" }).first("id")).toBeTruthy();
  }, 120_000);

  it("refuses bad competence records files and imports nothing, then imports a good one", async () => {
    const f = fuzzer(SEED + 2);
    const goodFile = () => ({
      format: "lms-competence-records", version: 1, exportedAt: "2026-02-01T09:00:00.000Z",
      organisation: { vpd: "456", name: "Leeds Teaching Hospitals NHS Trust" },
      person: { lastName: "Target", firstName: "Tess", employeeNumber: "20000999", dateOfBirth: DOB },
      records: [{ competency: FIRE, level: "1 - Assessed", achievedOn: "2025-06-01", expiresOn: "2027-06-01", source: "certification" }],
    });
    type RecordsFile = ReturnType<typeof goodFile> & Record<string, unknown>;
    const odd = () => f.pick<unknown>([...ODD_TEXT, 0, -1, 1.5, null, true, [], {}, "z".repeat(5000)]);
    // Each makes the file wrong for sure; the odd ones beside them may or may not.
    const breaks: Array<(file: RecordsFile) => void> = [
      (file) => (file.format = f.pick(["", "lms-catalog", "LMS-COMPETENCE-RECORDS"])),
      (file) => (file.version = f.pick([2, 0, "1", null, 1.5]) as number),
      (file) => (file.person.dateOfBirth = f.pick(["1990-02-04", "2026-02-30", "99999-01-01", "", "03/02/1990"])),
      (file) => (file.records[0]!.achievedOn = f.pick(["2026-02-30", "2030-01-01", "99999-01-01", "", "2025-6-1"])),
      (file) => (file.records[0]!.expiresOn = f.pick(["2025-01-01", "2026-02-30", "never"])),
      (file) => (file.records[0]!.source = f.pick(["elsewhere", "", "__proto__"])),
      (file) => (file.records[0]!.competency = f.pick(["NHS|CSTF|Unknown|", "", "\u0000", "x".repeat(201)])),
      (file) => (file.records[0]!.level = f.pick(["=cmd|' /C calc'!A0", "", "\u0001", "l".repeat(101)])),
      (file) => ((file as Record<string, unknown>).records = f.pick<unknown>(["all", {}, null, Array.from({ length: 1001 }, () => goodFile().records[0])])),
      (file) => ((file as Record<string, unknown>).person = f.pick<unknown>([null, "Tess", []])),
      (file) => (file.organisation.vpd = f.pick(["45", "4567", "abc", ""])),
    ];
    const oddities: Array<(file: RecordsFile) => void> = [
      (file) => (file.organisation.name = odd() as string),
      (file) => (file.person.lastName = odd() as string),
      (file) => (file.exportedAt = odd() as string),
      (file) => (file.records[0]!.level = odd() as string),
      (file) => (file.records.push({ ...file.records[0]!, achievedOn: "2025-07-01" })),
      (file) => (file.extra = odd()),
    ];
    const importing = (name: string, text: string | Buffer, at = String(targetId), filename = "records.json"): Upload => ({ name, at, files: [{ field: "file", content: Buffer.isBuffer(text) ? text : Buffer.from(text, "utf8"), filename }] });
    const json = (file: unknown) => JSON.stringify(file);
    const uploads: Upload[] = [
      { name: "no file", at: String(targetId), fields: [["x", ""]] },
      importing("empty file", ""),
      importing("not JSON", "format,version\nlms-competence-records,1\n"),
      importing("a JSON list", "[]"),
      importing("JSON null", "null"),
      importing("nested 100,000 deep", `${"[".repeat(100_000)}${"]".repeat(100_000)}`),
      importing("a NUL escaped in a name", json({ ...goodFile(), organisation: { vpd: "456", name: "Le\u0000eds" } })),
      importing("a NUL in the JSON text", json(goodFile()).replace("Leeds", "Le\u0000eds")),
      // Keys the schema does not know are dropped, so a file is refused for its date of birth, after its polluting keys were read.
      importing("polluting keys", json({ ...goodFile(), person: { ...goodFile().person, dateOfBirth: "1990-02-04" } }).replace("{", '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},')),
      importing("someone else's (another date of birth)", json({ ...goodFile(), person: { ...goodFile().person, dateOfBirth: "1990-02-04" } })),
      importing("over 1 MB", json({ ...goodFile(), padding: "p".repeat(1_100_000) })),
      importing("not UTF-8", Buffer.from(json({ ...goodFile(), organisation: { vpd: "456", name: "Hôpital" } }), "latin1")),
      { name: "two files", at: String(targetId), files: [{ field: "file", content: Buffer.from(json(goodFile())), filename: "a.json" }, { field: "file", content: Buffer.from(json(goodFile())), filename: "b.json" }] },
      ...["abc", "0", "-1", "1.5", "99999999999", "2147483648", "1e3"].map((at) => importing(`a good file for person "${at}"`, json(goodFile()), at)),
    ];
    for (let n = 0; n < CASES; n++) {
      const file = goodFile() as RecordsFile;
      for (let k = f.int(3); k > 0; k--) f.pick(oddities)(file);
      f.pick(breaks)(file);
      let text = json(file);
      if (f.chance(0.15)) text = text.slice(0, f.int(text.length - 1));
      if (f.chance(0.1)) text = `\uFEFF${text}`;
      uploads.push(importing(`random ${n} (seed ${SEED})`, text, String(targetId), f.pick(["records.json", "records.csv", "r".repeat(1000)])));
    }
    // The Accept header asks for a page: the error page names the problems.
    await refusesAll("admin", (upload) => `/admin/people/${upload.at}/records/import`, uploads);

    const good = await send("admin", `/admin/people/${targetId}/records/import`, importing("good", json(goodFile())));
    expect(good.status, good.text.slice(0, 300)).toBe(200);
    expect(await t.db("competence_records").where({ person_id: targetId, status: "awaiting_approval", source: "transfer" }).pluck("achieved_on")).toEqual(["2025-06-01"]);
  }, 120_000);

  it("refuses bad competence records with evidence from a learner and keeps neither record nor file, then keeps a good one", async () => {
    const f = fuzzer(SEED + 3);
    const GOOD = { competencyId: () => String(competencyId), achievedOn: () => "2026-01-15", expiresOn: () => f.pick(["", "2028-01-15"]), evidence: () => "Fire safety at Leeds, certificate 4411" };
    const BAD: Record<keyof typeof GOOD, string[]> = {
      competencyId: ["", "abc", "0", "-1", "1.5", "99999", "99999999999", "2147483648", "1e1"],
      achievedOn: ["", "2026-02-30", "99999-01-01", "2027-01-01", "15/01/2026", "2026-1-15"],
      expiresOn: ["2026-02-30", "2020-01-01", "2026-01-15", "never"],
      evidence: ["", "   ", "e".repeat(2001)],
    };
    const GOOD_FILES = [undefined, { content: PDF, filename: "certificate.pdf" }];
    const BAD_FILES = [
      { content: Buffer.alloc(0), filename: "empty.pdf" },
      { content: EXE, filename: "certificate.pdf" },
      { content: PDF, filename: "certificate.exe" },
      { content: Buffer.from("<!doctype html><script>alert(1)</script>"), filename: "certificate.pdf" },
      { content: PDF, filename: `${"n".repeat(5000)}` },
      { content: PDF, filename: "../../certificate" },
    ];
    const record = (name: string, fields: Array<[string, string]>, files: Upload["files"] = []): Upload => ({ name, fields, files });
    const uploads: Upload[] = [
      record("nothing at all", [["x", ""]]),
      record("polluting fields", [...POLLUTERS, ["competencyId", "x"]]),
      record("a file over 5 MB", [["competencyId", String(competencyId)], ["achievedOn", "2026-01-15"], ["evidence", "x"]], [{ field: "file", content: Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]), filename: "big.pdf" }]),
      record("two files", [["competencyId", String(competencyId)], ["achievedOn", "2026-01-15"], ["evidence", "x"]], [{ field: "file", content: PDF, filename: "a.pdf" }, { field: "file", content: PDF, filename: "b.pdf" }]),
      record("a field of 20 kB", [["competencyId", String(competencyId)], ["achievedOn", "2026-01-15"], ["evidence", "e".repeat(20_000)]]),
      record("a NUL in the file name", [["competencyId", String(competencyId)], ["achievedOn", "2026-01-15"], ["evidence", "x"]], [{ field: "file", content: PDF, filename: "a\u0000b.pdf" }]),
      record("a file name of 20 kB", [["competencyId", String(competencyId)], ["achievedOn", "2026-01-15"], ["evidence", "x"]], [{ field: "file", content: PDF, filename: `${"n".repeat(20_000)}.pdf` }]),
      record("a NUL in the evidence", [["competencyId", String(competencyId)], ["achievedOn", "2026-01-15"], ["evidence", "At Le\u0000eds"]], [{ field: "file", content: PDF, filename: "ok.pdf" }]),
    ];
    for (let n = 0; n < CASES; n++) {
      const names = Object.keys(GOOD) as Array<keyof typeof GOOD>;
      // Good, bad or odd field by field, and a file good or bad; at least one of them bad for sure.
      const mustBreak = f.pick([...names, "file"] as const);
      const fields: Array<[string, string]> = [];
      for (const name of names) {
        const value = name === mustBreak || f.chance(0.2) ? f.pick(BAD[name]) : f.chance(0.3) ? f.pick(ODD_TEXT) : GOOD[name]();
        // Now and then sent twice: an array, which the form reads as nothing.
        if (name === mustBreak || f.chance(0.9)) fields.push([name, value]);
        else fields.push([name, GOOD[name]()], [name, value]);
      }
      if (f.chance(0.2)) fields.push(f.pick(POLLUTERS));
      const file = mustBreak === "file" || f.chance(0.2) ? f.pick(BAD_FILES) : f.pick(GOOD_FILES);
      uploads.push(record(`random ${n}, breaking ${mustBreak} (seed ${SEED})`, fields, file ? [{ field: "file", ...file }] : []));
    }
    await refusesAll("learner", () => "/compliance/records", uploads);

    const good = await send("learner", "/compliance/records", record("good", [["competencyId", String(competencyId)], ["achievedOn", "2026-01-15"], ["evidence", "Fire safety at Leeds"]], [{ field: "file", content: PDF, filename: "certificate.pdf" }]));
    expect(good.status, good.text.slice(0, 300)).toBe(303);
    expect(Number((await t.db("evidence_files").count({ n: "*" }).first())?.n)).toBe(1);
  }, 120_000);
});
