/** An error the user can fix (bad input, bad option): the CLI prints its message and exits 1. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** One problem in one place of an input file. */
export interface InputIssue {
  readonly file: string;
  /** Physical 1-based line (CSV, NDJSON) or record number (Parquet, JSON array); null when not known. */
  readonly line: number | null;
  readonly column: string | null;
  readonly value: string | null;
  readonly message: string;
}

export function formatIssue(issue: InputIssue): string {
  const where = [issue.file, issue.line === null ? null : `line ${issue.line}`].filter(Boolean).join(':');
  const col = issue.column === null ? '' : ` column "${issue.column}"`;
  const val = issue.value === null ? '' : ` value ${JSON.stringify(issue.value)}`;
  return `${where}${col}${val}: ${issue.message}`;
}

/** A rejected import: nothing was written. Carries every issue found (the message shows the first ones). */
export class ImportRejectedError extends UserError {
  constructor(
    readonly issues: readonly InputIssue[],
    readonly totalIssues: number,
    hint: string,
  ) {
    const shown = issues.slice(0, 10).map((i) => `  ${formatIssue(i)}`);
    const more = totalIssues > shown.length ? [`  ... and ${totalIssues - shown.length} more`] : [];
    super(
      [`import rejected, nothing was written (${totalIssues} problem(s)):`, ...shown, ...more, hint].join(
        '\n',
      ),
    );
  }
}
