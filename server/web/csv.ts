import { stringify } from "csv-stringify/sync";

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
  const safe = table.map((cells) => cells.map((cell) => (typeof cell === "string" && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell)));
  const text = stringify(safe, { record_delimiter: options.download ? "windows" : "unix", quoted_match: /[\r\n]/ });
  // A terminal's output is piped to other tools: no byte-order mark there.
  return options.download ? `\uFEFF${text}` : text;
}
