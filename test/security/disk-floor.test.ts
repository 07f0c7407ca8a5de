// Issue 18's outside review: the free-space floor (DISK_FREE_FLOOR_MB) counted only an upload's
// Content-Length. A 1.4 MB zip that unpacked to 185 MB was taken (201) on a 300 MB disk with a
// 200 MB floor, leaving 119 MB; a chunked upload, declaring no length, and several uploads at once
// were not counted at all. Here DATA_DIR is a real file system of 160 MB (a tmpfs; root only,
// skipped otherwise) with a floor of 16 MB, and each way past the floor is refused with 507 before
// a byte of it is written, then taken once there is room.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { claimDiskSpace, diskLow } from "../../server/disk-space.ts";
import { importPackage } from "../../server/packages/import-package.ts";
import { createLocalStorage } from "../../server/packages/storage.ts";
import { createTestApp, csrfFrom, logInAgent, type TestApp } from "../support/test-app.ts";
import { buildLearner } from "../support/factories.ts";
import { buildZip } from "../support/build-zip.ts";
import { packageRowCounts } from "../support/package-state.ts";
import { canMountTmpfs, mountTmpfs, type Tmpfs } from "../support/tmpfs.ts";
import { rawPost } from "../support/raw-post.ts";
import { VALID_PACKAGES } from "../support/valid-packages.ts";

const MB = 1024 * 1024;
const FLOOR_MB = 16;

/**
 * A package of `unpackedMb` MB in a zip of about a sixtieth of that: each file a megabyte, 16 KB of
 * it random and the rest zeros, within every ratio limit (PACKAGE_MAX_RATIO is 200:1).
 */
function bigUnpackingPackage(unpackedMb: number): Promise<string> {
  const files: Record<string, Buffer | string> = { ...VALID_PACKAGES["scorm12-single"]!.files };
  for (let n = 0; n < unpackedMb; n++) files[`media/part-${n}.bin`] = Buffer.concat([crypto.randomBytes(16 * 1024), Buffer.alloc(MB - 16 * 1024)]);
  return buildZip(files);
}

describe.skipIf(!canMountTmpfs())(`the free-space floor on package imports (a tmpfs of 160 MB, DISK_FREE_FLOOR_MB=${FLOOR_MB}; needs root allowed to mount)`, () => {
  let disk: Tmpfs;
  let t: TestApp;
  let zip: string;
  const packages = () => path.join(disk.dir, "packages");
  const filesUnder = (folder: string) => (fs.existsSync(folder) ? (fs.readdirSync(folder, { recursive: true }) as string[]).filter((name) => fs.statSync(path.join(folder, name)).isFile()) : []);
  // What an upload or import leaves behind when it is refused: the upload, a temporary folder.
  const leftovers = () => [...filesUnder(path.join(packages(), ".uploads")), ...filesUnder(path.join(packages(), ".tmp")), ...(fs.existsSync(path.join(packages(), ".tmp")) ? fs.readdirSync(path.join(packages(), ".tmp")) : [])];
  const versions = async () => Number((await t.db("course_versions").count({ n: "*" }).first())?.n);

  async function author() {
    const person = await buildLearner(t.db, t.clock, { role: "author" });
    const agent = await logInAgent(t.app, person.username, person.password);
    const token = csrfFrom((await agent.get("/author/courses/upload").expect(200)).text);
    // The same package each time: told that the course already has it, the author imports it anyway.
    return { agent, token, upload: () => agent.post("/author/courses/upload").set("Accept", "application/json").set("X-CSRF-Token", token).field("newVersionAnyway", "yes").attach("package", zip) };
  }

  beforeAll(async () => {
    disk = mountTmpfs(160);
    t = await createTestApp({ env: { DATA_DIR: disk.dir, DISK_FREE_FLOOR_MB: String(FLOOR_MB) } });
    zip = await bigUnpackingPackage(24);
  }, 60_000);
  afterEach(() => disk.empty());
  afterAll(async () => {
    await t?.cleanup();
    disk?.unmount();
    if (zip) fs.rmSync(path.dirname(zip), { recursive: true, force: true });
  });

  it("refuses a small zip that unpacks past the floor before unpacking a byte (507, no row, no folder), and imports it once there is room", async () => {
    expect(fs.statSync(zip).size).toBeLessThan(MB); // the upload itself is far inside the floor
    const { upload } = await author();
    disk.leaveRoom(36 * MB); // room for the upload, and for 24 MB unpacked, but not above 16 MB after
    const before = await packageRowCounts(t.db);
    const refused = await upload();
    expect(refused.status).toBe(507);
    expect(refused.body.report.errors[0]).toMatchObject({ code: "storage.disk_low" });
    expect(refused.body.report.errors[0].message).toMatch(/^The server is short of disk space: this package unpacks to 24 MB, which would leave the server's disk with less than the 16 MB it keeps free \(DISK_FREE_FLOOR_MB\), so nothing was saved/);
    expect(await packageRowCounts(t.db)).toEqual(before);
    expect(filesUnder(packages()).filter((name) => name !== ".lms-package-storage")).toEqual([]); // nor the upload, nor a temporary folder
    expect(leftovers()).toEqual([]);

    disk.empty();
    const imported = await upload();
    expect(imported.status).toBe(201);
    expect(disk.free()).toBeGreaterThanOrEqual(FLOOR_MB * MB);
  }, 60_000);

  it("counts an import in flight: of two that each fit alone, not both", async () => {
    const [first, second] = [await author(), await author()];
    const before = await versions();
    disk.leaveRoom(56 * MB); // 24 MB each: one leaves 32 MB, both would leave 8
    const answers = await Promise.all([first.upload(), second.upload()]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 507]);
    // Refused at its import, or, when the other's import already held its claim, at its upload.
    const refused = answers.find((answer) => answer.status === 507)!.body;
    expect(refused.report?.errors[0].code ?? refused.error.code).toBe("storage.disk_low");
    expect(await versions()).toBe(before + 1);
    expect(disk.free()).toBeGreaterThanOrEqual(FLOOR_MB * MB);
  }, 60_000);

  it("takes a chunked upload, declaring no length, as the most an upload may be: refused before a byte is read", async () => {
    const { agent, token } = await author();
    const before = await versions();
    expect(disk.free()).toBeGreaterThan(64 * MB); // room for this package many times over, not for 1 GiB
    // What the upload form sends, chunked: with PACKAGE_MAX_BYTES at 1 GiB it might be 1 GiB.
    const answer = await rawPost(t.app, agent, "/author/courses/upload", { "X-CSRF-Token": token, "Content-Type": "multipart/form-data; boundary=b", "Transfer-Encoding": "chunked" }, (req) => {
      req.write(`--b\r\nContent-Disposition: form-data; name="package"; filename="package.zip"\r\nContent-Type: application/zip\r\n\r\n`);
      req.end(Buffer.concat([fs.readFileSync(zip), Buffer.from("\r\n--b--\r\n")]));
    });
    expect(answer.status).toBe(507);
    expect(JSON.parse(answer.body).error).toMatchObject({ code: "storage.disk_low" });
    expect(await versions()).toBe(before);
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it("refuses the same way on the import service the CLI calls, and a claim held counts against the next one", async () => {
    const storage = createLocalStorage(packages());
    disk.leaveRoom(36 * MB);
    const error = await importPackage({ db: t.db, clock: t.clock, storage }, zip, { diskFreeFloorBytes: FLOOR_MB * MB }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "storage.disk_low", status: 507 });
    expect(leftovers()).toEqual([]);
    disk.empty();
    // Two claims of 50 MB with about 90 MB free: the first is held, so the second would pass the floor.
    disk.leaveRoom(90 * MB);
    const held = await claimDiskSpace(disk.dir, { bytes: 50 * MB }, FLOOR_MB * MB, () => diskLow());
    await expect(claimDiskSpace(disk.dir, { bytes: 50 * MB }, FLOOR_MB * MB, () => diskLow())).rejects.toMatchObject({ code: "storage.disk_low" });
    held.release();
    (await claimDiskSpace(disk.dir, { bytes: 50 * MB }, FLOOR_MB * MB, () => diskLow())).release();
  }, 60_000);
});
