import type { Page } from "playwright-core";

/**
 * Resizes the page and lets it settle before anything is measured. The browser fires `resize` a
 * frame after the viewport changes, and the NHS header only then folds its links under More, so a
 * measurement taken at once can see a header still laid out for the old width (a reminders test
 * failed so, one run in three). Two animation frames: the resize event's, then its layout's.
 */
export async function resizeTo(page: Page, width: number, height = 800): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.evaluate(() => new Promise<void>((settled) => requestAnimationFrame(() => requestAnimationFrame(() => settled()))));
}
