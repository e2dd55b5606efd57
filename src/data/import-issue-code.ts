/**
 * The kind of an import problem, from the message the import wrote (`not a number`, `duplicate
 * transaction_id T1 (...)`), with its numbers and names as parameters: the dashboard words each kind in its
 * own language, and anything unrecognised keeps the English message. The patterns follow the messages of
 * `engine/duckdb/import.ts` and `import-sql.ts`; a test imports one bad file per kind and checks that every
 * message is recognised, so a reworded message cannot slip through as `other`.
 */
export const IMPORT_ISSUE_CODES = [
  'missing_value',
  'not_a_number',
  'not_a_whole_number',
  'not_a_date',
  'future_date',
  'not_in_list',
  'column_count',
  'duplicate_key',
  'end_before_start',
  'unknown_reason_code',
  'unknown_campaign',
  'not_utf8',
  'other',
] as const;
export type ImportIssueCode = (typeof IMPORT_ISSUE_CODES)[number];

export interface ImportIssueKind {
  readonly code: ImportIssueCode;
  readonly params: Readonly<Record<string, string>>;
}

const PATTERNS: readonly (readonly [RegExp, ImportIssueCode, readonly string[]])[] = [
  [/^missing (\w+)$/, 'missing_value', ['field']],
  [/^not a number$/, 'not_a_number', []],
  [/^not a whole number$/, 'not_a_whole_number', []],
  [/^not a date \(expected (.+)\)$/, 'not_a_date', ['expected']],
  [/^date is in the future\b/, 'future_date', []],
  [/^must be one of (.+)$/, 'not_in_list', ['values']],
  [/^expected (\d+) columns, found (\d+)/, 'column_count', ['expected', 'found']],
  [/^duplicate (\w+) (.*) \(an earlier row of this file has it\)$/, 'duplicate_key', ['field', 'value']],
  [/^end_date is before start_date$/, 'end_before_start', []],
  [/^unknown reason code (.*) \(known: (.*)\)$/, 'unknown_reason_code', ['value', 'known']],
  [/^unknown campaign (.*) \(import campaigns first\)$/, 'unknown_campaign', ['value']],
  [/^the file is not UTF-8 text\b/, 'not_utf8', []],
];

/** The kind of an import problem message; `other` (no parameters) when it is not one of the known ones. */
export function importIssueKind(message: string): ImportIssueKind {
  for (const [pattern, code, names] of PATTERNS) {
    const m = pattern.exec(message);
    if (m) return { code, params: Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? ''])) };
  }
  return { code: 'other', params: {} };
}
