import { stringify } from "csv-stringify/sync";
import { stringify as stringifier } from "csv-stringify";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * A table as CSV that opens correctly in a spreadsheet:
 * - quoted where needed (commas, quotes, any line break: csv-stringify alone leaves a lone CR
 *   bare, which a reader takes for the end of the row), with CRLF line ends;
 * - a byte-order mark first, without which Excel reads UTF-8 as Windows-1252 and "Zoë" as "ZoÃ«";
 * - a text cell that a spreadsheet would run as a formula (starting with = + - @, or a tab or
 *   carriage return before one) kept as text with a leading apostrophe: names and competencies
 *   come from people, and a cell must never become a command.
 */
export function spreadsheetCsv(table: Array<Array<string | number>>, options: { download: boolean } = { download: true }): string {
  const safe = table.map(safeCells);
  const text = stringify(safe, { record_delimiter: options.download ? "windows" : "unix", quoted_match: /[\r\n]/ });
  // A terminal's output is piped to other tools: no byte-order mark there.
  return options.download ? `\uFEFF${text}` : text;
}

/**
 * The same file as spreadsheetCsv's download, written to `out` a row at a time through
 * csv-stringify's stream (respecting back-pressure), so that a list of any length is never held
 * as one string. Rows may come as they are read (an async iterable): the next page of a report is
 * read only when the last one has been written.
 */
export async function streamSpreadsheetCsv(out: Writable, rows: Iterable<Array<string | number>> | AsyncIterable<Array<string | number>>): Promise<void> {
  const safe = (async function* () {
    for await (const cells of rows) yield safeCells(cells);
  })();
  await pipeline(Readable.from(safe), stringifier({ bom: true, record_delimiter: "windows", quoted_match: /[\r\n]/ }), out);
}

function safeCells(cells: Array<string | number>): Array<string | number> {
  return cells.map((cell) => (typeof cell === "string" && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell));
}
