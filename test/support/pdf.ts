import { createRequire } from "node:module";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { Response } from "superagent";

// pdfjs draws the 14 standard fonts (our Helvetica, which the PDF does not embed) from these files;
// given them, it reads the text without warning.
const STANDARD_FONTS = `${path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts")}/`;

/** A PDF's pages read back as text, the way a reader's copy and paste would give it: one string per page. */
export async function pdfPages(data: Buffer | Uint8Array): Promise<string[]> {
  const document = await getDocument({ data: new Uint8Array(data), standardFontDataUrl: STANDARD_FONTS, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const content = await (await document.getPage(n)).getTextContent();
      pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" ").replace(/\s+/g, " ").trim());
    }
    return pages;
  } finally {
    await document.destroy();
  }
}

/** Superagent's parser for a binary body: the bytes as a Buffer in response.body. */
export function binaryBody(response: Response, done: (error: Error | null, body: unknown) => void): void {
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  stream.on("end", () => done(null, Buffer.concat(chunks)));
}
