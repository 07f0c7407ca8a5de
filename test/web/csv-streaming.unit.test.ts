import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { streamSpreadsheetCsv } from "../../server/web/csv.ts";

/**
 * A report's CSV is written as its pages are read (issue 21): the file of a 200,000-staff trust
 * is never held whole. Pages come from an async iterable; each must be asked for only once the
 * rows before it have gone out, and the file must still be exactly every row, once, in order.
 */
describe("streamSpreadsheetCsv", () => {
  it("writes each page's rows out before reading many more, and every row once, in order", async () => {
    const PAGES = 8;
    const ROWS = 1_000;
    let written = "";
    const writtenWhenAsked: number[] = [];
    const out = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk, _encoding, done) {
        written += chunk.toString();
        setImmediate(done); // a slow reader: back-pressure reaches the pages
      },
    });
    async function* pages() {
      yield [["Employee Number", "Name"]];
      for (let page = 0; page < PAGES; page++) {
        writtenWhenAsked.push(written.split("\r\n").length - 1);
        yield Array.from({ length: ROWS }, (_, row) => [String(page * ROWS + row), `=Name ${page}`]);
      }
    }
    await streamSpreadsheetCsv(out, (async function* () {
      for await (const page of pages()) yield* page;
    })());

    // Page k is asked for only once page k-3 has been written: what is in hand is a few pages and
    // the streams' buffers (16 kB each, some 2,000 of these short rows), never the whole file.
    for (let page = 3; page < PAGES; page++) expect(writtenWhenAsked[page], `page ${page}`).toBeGreaterThanOrEqual((page - 2) * ROWS);
    const rows = parse(written, { bom: true }) as string[][];
    expect(rows).toHaveLength(1 + PAGES * ROWS);
    expect(rows.slice(1).map((cells) => Number(cells[0]))).toEqual(Array.from({ length: PAGES * ROWS }, (_, index) => index));
    expect(rows[1]![1]).toBe("'=Name 0");
  });
});
