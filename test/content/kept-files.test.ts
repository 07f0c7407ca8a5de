import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createKeptFiles } from "../../server/content/kept-files.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lms-kept-files-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fileOf(name: string, bytes: number): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.alloc(bytes, name.charCodeAt(0)));
  return file;
}
const sentAs = (length: number) => ({ length, contentType: "text/css; charset=utf-8", etag: `W/"${length.toString(16)}-1"`, lastModified: "Sun, 01 Mar 2026 09:00:00 GMT" });

describe("a course version's small files kept in memory", () => {
  it("gives back a kept file with the headers it was sent with", async () => {
    const kept = createKeptFiles();
    const file = fileOf("a.css", 100);
    expect(await kept.get(file)).toBeUndefined();
    await kept.keep(file, sentAs(100));
    const found = await kept.get(file);
    expect(found?.body).toEqual(fs.readFileSync(file));
    expect(found).toMatchObject({ contentType: "text/css; charset=utf-8", etag: 'W/"64-1"', lastModified: "Sun, 01 Mar 2026 09:00:00 GMT" });
  });

  it("keeps no file larger than maxFileBytes, nor one whose length is not the one sent", async () => {
    const kept = createKeptFiles({ maxFileBytes: 1000 });
    const large = fileOf("b.mp4", 1001);
    await kept.keep(large, sentAs(1001));
    expect(await kept.get(large)).toBeUndefined();
    const changed = fileOf("c.js", 50);
    await kept.keep(changed, sentAs(49));
    expect(await kept.get(changed)).toBeUndefined();
    expect(kept.size()).toEqual({ files: 0, bytes: 0 });
  });

  it("lets a file go once it is removed from disk or changed there, and once maxAgeMs has passed", async () => {
    let clock = 0;
    const kept = createKeptFiles({ maxAgeMs: 1000, now: () => clock });
    const removed = fileOf("d.html", 10);
    const changed = fileOf("e.html", 10);
    const aging = fileOf("f.html", 10);
    for (const file of [removed, changed, aging]) await kept.keep(file, sentAs(10));
    fs.rmSync(removed);
    fs.writeFileSync(changed, "eleven byte");
    expect(await kept.get(removed)).toBeUndefined();
    expect(await kept.get(changed)).toBeUndefined();
    expect(await kept.get(aging)).toBeDefined();
    clock = 1000;
    expect(await kept.get(aging)).toBeUndefined();
    expect(kept.size().files).toBe(0);
  });

  it("keeps at most maxBytes in all, the least recently sent going first", async () => {
    const kept = createKeptFiles({ maxBytes: 250 });
    const [g, h, i] = [fileOf("g.js", 100), fileOf("h.js", 100), fileOf("i.js", 100)];
    await kept.keep(g, sentAs(100));
    await kept.keep(h, sentAs(100));
    expect(await kept.get(g)).toBeDefined(); // g is now the more recently sent
    await kept.keep(i, sentAs(100));
    expect(kept.size()).toEqual({ files: 2, bytes: 200 });
    expect(await kept.get(h)).toBeUndefined();
    expect(await kept.get(g)).toBeDefined();
    expect(await kept.get(i)).toBeDefined();
  });
});
