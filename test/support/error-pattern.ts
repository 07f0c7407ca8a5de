import { expect } from "vitest";

/** The escaping EJS gives text, so that a message can be looked for in the page's HTML. */
const escaped = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&#34;").replace(/'/g, "&#39;");

/**
 * Asserts the NHS design system's error pattern on a page that came back with problems
 * (server/problems.ts): the summary lists exactly these problems, in this order, each a link to
 * its field; each field exists, shows its message beside it and points to it with
 * aria-describedby; and the form leaves checking to the server (novalidate), so that the browser's
 * own tooltip never stands in for the list. `message` may be a part of the message.
 */
export function expectErrorPattern(html: string, problems: Array<{ field: string; message: string }>): void {
  const summary = /<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0];
  expect(summary, "the page has an error summary").toBeDefined();
  const links = [...summary!.matchAll(/<li><a href="#([^"]+)">([\s\S]*?)<\/a><\/li>/g)].map(([, field, message]) => ({ field: field!, message: message! }));
  expect(links.map((link) => link.field), "the summary links every problem to its field, in order").toEqual(problems.map((problem) => problem.field));
  problems.forEach((problem, index) => {
    expect(links[index]!.message).toContain(escaped(problem.message));
    const input = new RegExp(`<(input|select|textarea)[^>]*\\sid="${problem.field}"[^>]*>`).exec(html)?.[0];
    expect(input, `a field with id="${problem.field}"`).toBeDefined();
    expect(input, `${problem.field} is described by its message`).toMatch(new RegExp(`aria-describedby="[^"]*\\b${problem.field}-error\\b`));
    const beside = new RegExp(`<span class="nhsuk-error-message" id="${problem.field}-error">([\\s\\S]*?)</span>\\s*</?`).exec(html)?.[0];
    expect(beside, `${problem.field}'s message beside it`).toBeDefined();
    expect(beside).toContain(escaped(problem.message));
  });
  expect(html, "the form leaves checking to the server").toMatch(/<form[^>]*\snovalidate/);
}
