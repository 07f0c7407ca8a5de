import { stringify } from "csv-stringify/sync";

/**
 * A table as CSV that opens safely in a spreadsheet: quoted where needed by csv-stringify, and a
 * cell starting with = + - @ (a formula to a spreadsheet) kept as text with a leading apostrophe.
 */
export function spreadsheetCsv(table: Array<Array<string | number>>): string {
  return stringify(table.map((cells) => cells.map((cell) => (typeof cell === "string" && /^[=+\-@]/.test(cell) ? `'${cell}` : cell))));
}
