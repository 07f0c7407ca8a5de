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

/** The WCAG 2.2 A and AA rules, as axe-core tags them: the standard issue 20 holds every page to. */
export const WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * Every axe-core violation of WCAG 2.2 AA on the page as it stands, whatever its impact: each as
 * its rule, impact, how many elements, and the first element, so a failure says where to look.
 * axe-core marks WCAG 2.5.3's label-content-name-mismatch experimental and leaves it out of a run by
 * tags; it is enabled here because a link named other than its visible text fails speech users.
 */
export async function wcag22Problems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async (tags) => {
    type Violation = { id: string; impact: string; help: string; nodes: Array<{ target: string[]; failureSummary?: string }> };
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, rules: { "label-content-name-mismatch": { enabled: true } }, resultTypes: ["violations"] });
    return result.violations.map((violation) => `${violation.id} (${violation.impact}, ${violation.nodes.length}): ${violation.help}; first at ${violation.nodes[0]?.target.join(" ")}`);
  }, WCAG_22_AA);
}
