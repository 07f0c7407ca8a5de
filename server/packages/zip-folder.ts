import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { ZipArchive } from "archiver";

/**
 * Zips a folder's contents at the zip's root (so imsmanifest.xml lands at the top, as SCORM
 * requires), plus extra folders under a prefix: the demo courses each get `packages/_shared/`
 * as `shared/`. Dotfiles and dot-folders are skipped (editor and OS litter); symbolic links are
 * skipped too, since the importer refuses them. Entries are added in sorted order with a fixed
 * date, so the same sources make the same zip.
 */
export async function zipFolder(folder: string, outFile: string, extra: Array<{ from: string; to: string }> = []): Promise<void> {
  const sources = [{ from: folder, to: "" }, ...extra];
  const entries: Array<{ file: string; name: string }> = [];
  for (const source of sources) {
    const prefix = source.to.replace(/^\/+|\/+$/g, "");
    for (const relative of await listFiles(source.from)) {
      entries.push({ file: path.join(source.from, relative), name: prefix ? `${prefix}/${relative}` : relative });
    }
  }

  await fsp.mkdir(path.dirname(path.resolve(outFile)), { recursive: true });
  const archive = new ZipArchive({ zlib: { level: 9 } });
  const written = pipeline(archive, fs.createWriteStream(outFile));
  for (const entry of entries) archive.file(entry.file, { name: entry.name, date: FIXED_DATE });
  await archive.finalize();
  await written;
}

const FIXED_DATE = new Date("2026-01-01T00:00:00Z");

/** Regular files under a folder, as sorted forward-slash relative paths, without dot-names. */
async function listFiles(folder: string, relative = ""): Promise<string[]> {
  const dirents = await fsp.readdir(path.join(folder, relative), { withFileTypes: true });
  const files: string[] = [];
  for (const dirent of dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (dirent.name.startsWith(".")) continue;
    const child = relative ? `${relative}/${dirent.name}` : dirent.name;
    if (dirent.isDirectory()) files.push(...(await listFiles(folder, child)));
    else if (dirent.isFile()) files.push(child);
  }
  return files;
}
