import { AppError } from "../errors.ts";

/** One problem found in a package: its code, words a course author can act on, and where. */
export interface Finding {
  code: string;
  message: string;
  file?: string;
  element?: string;
}

/**
 * Every blocking problem found in one pass over a package, as one application error: `code` and
 * the start of `message` are the first problem's (callers that know one code keep working),
 * `findings` lists them all with the file and manifest element each is about, and `details` (what
 * the central handler and the CLI already print) has one line per problem when there are several.
 * `warnings` are what the report would also have said, when the manifest was read that far.
 */
export class PackageError extends AppError {
  readonly findings: Finding[];
  readonly warnings: Finding[];

  constructor(findings: Finding[], warnings: Finding[] = []) {
    const [first, ...rest] = findings;
    if (!first) throw new Error("PackageError needs at least one finding");
    const more = rest.length ? ` (and ${rest.length} more problem${rest.length === 1 ? "" : "s"})` : "";
    super(first.code, first.message + more, 400, rest.length ? findings.map((finding) => finding.message) : []);
    this.name = "PackageError";
    this.findings = findings;
    this.warnings = warnings;
  }
}

/** The blocking findings an error stands for: all of a PackageError's, or the one of any other AppError. */
export function findingsOf(error: AppError): Finding[] {
  return error instanceof PackageError ? error.findings : [{ code: error.code, message: error.message }];
}

/** Throws the findings as one PackageError, if there are any. */
export function throwIfAny(findings: Finding[], warnings: Finding[] = []): void {
  if (findings.length) throw new PackageError(findings, warnings);
}

/**
 * At most `perCode` findings of each code, the rest summed up in one more: a zip of 5,000 bad
 * names deserves one readable report, not 5,000 lines.
 */
export function capFindings(findings: Finding[], perCode = 20): Finding[] {
  const counts = new Map<string, number>();
  const kept: Finding[] = [];
  for (const finding of findings) {
    const count = (counts.get(finding.code) ?? 0) + 1;
    counts.set(finding.code, count);
    if (count <= perCode) kept.push(finding);
  }
  for (const [code, count] of counts) {
    if (count > perCode) kept.push({ code, message: `... and ${count - perCode} more problems like the ones above (${code})` });
  }
  return kept;
}
