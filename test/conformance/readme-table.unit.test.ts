// README.md's "SCORM conformance" table must say what test/conformance/ holds: each family in
// order with its number of cases, all passing (CI runs every case and requires each to pass).
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { FAMILIES } from "./families.ts";

function conformanceTable(readme: string): string[][] {
  const section = readme.split(/^## /m).find((part) => part.startsWith("SCORM conformance"));
  if (!section) throw new Error('README.md has no "## SCORM conformance" section');
  const rows = section.split("\n").filter((line) => line.startsWith("|"));
  return rows.slice(2).map((row) => row.split("|").slice(1, -1).map((cell) => cell.trim()));
}

describe("README.md's SCORM conformance table", () => {
  it("lists every family with its number of cases, all of them passing", () => {
    const table = conformanceTable(fs.readFileSync(new URL("../../README.md", import.meta.url), "utf8"));
    expect(table).toEqual(FAMILIES.map((family) => [`${family.name} (\`${family.id}\`)`, String(family.cases.length), String(family.cases.length)]));
  });

  it("numbers every case once", () => {
    const ids = FAMILIES.flatMap((family) => family.cases.map((conformanceCase) => conformanceCase.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
