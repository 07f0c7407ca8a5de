import { createRequire } from "node:module";
import fs from "node:fs";
import type { Page } from "playwright-core";
import { expect } from "vitest";

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's serious and critical violations on the page as it stands, run where the page's CSP cannot stop it. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe.run();
    return result.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => `${violation.id} (${violation.nodes.length})`);
  });
}

/** Fails the test, naming the page, when axe-core finds a serious or critical violation on it. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await accessibilityProblems(page), page.url()).toEqual([]);
}
