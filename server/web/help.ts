import { Router } from "express";
import { generateCsrfToken } from "./session.ts";

/** A piece of a Need Help? line: text, or a contact made a link (mailto: or tel:). */
export type HelpPart = { text: string } | { text: string; href: string };

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
// A UK number as people write one: 0191 445 2690, 01914452690, +44 191 445 2690.
const PHONE = /(?:\+44\s?|0)\d{2,4}(?:\s?\d{3,4}){1,2}/;

/**
 * Splits a configured line into text and links, so that an email address opens the mail program
 * and a phone number can be tapped on a phone. The parts are rendered escaped: configuration is
 * text, never HTML.
 */
export function linkContacts(line: string): HelpPart[] {
  const parts: HelpPart[] = [];
  let rest = line;
  while (rest) {
    const email = EMAIL.exec(rest);
    const phone = PHONE.exec(rest);
    const first = [email, phone].filter((match): match is RegExpExecArray => match !== null).sort((a, b) => a.index - b.index)[0];
    if (!first) {
      parts.push({ text: rest });
      break;
    }
    if (first.index > 0) parts.push({ text: rest.slice(0, first.index) });
    const found = first[0];
    parts.push({ text: found, href: first === email ? `mailto:${found}` : `tel:${found.replace(/\s/g, "")}` });
    rest = rest.slice(first.index + found.length);
  }
  return parts;
}

/** The LMS's own Help page: how the learning journey goes, for anyone, logged in or not. */
export function helpRoutes(): Router {
  const router = Router();
  router.get("/help", (req, res) => {
    res.render("help", { user: res.locals.user, csrfToken: generateCsrfToken(req) });
  });
  return router;
}
