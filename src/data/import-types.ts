import type { ImportTableName } from './tables.js';

export type SourceFormat = 'csv' | 'whitespace' | 'parquet' | 'json' | 'ndjson';

/** What the user asked for; `normalizeImportRequest` fills in what can be detected. */
export interface ImportOptions {
  readonly table: ImportTableName;
  readonly file: string;
  /** Detected from the file name when absent (`.csv`, `.tsv`, `.txt`, `.parquet`, `.json`, `.ndjson`, `+.gz`). */
  readonly format?: SourceFormat;
  /** CSV delimiter; `auto` (default) sniffs `,` `;` `\t` `|` from the first line; `whitespace` splits on runs of blanks. */
  readonly delimiter?: string;
  /** Whether the first line names the columns (CSV family only). Default true. */
  readonly header?: boolean;
  /** field -> source column name, or 1-based column position. */
  readonly map?: Readonly<Record<string, string | number>>;
  /** `auto` (default: ISO dates/timestamps, or YYYYMMDD), `YYYYMMDD`, `iso`, or a pattern like `DD/MM/YYYY`. */
  readonly dateFormat?: string;
  /** Load the valid rows and write rejected ones with reasons to `rejectsFile` instead of failing. */
  readonly skipInvalid?: boolean;
  readonly rejectsFile?: string;
  /** Accept dates after `now` (otherwise an error: usually a wrong date format). */
  readonly allowFuture?: boolean;
  /** Reference time for the future-date check; defaults to the current time. */
  readonly now?: Date;
}

/** The normalised request an engine executes (source columns are read by the engine). */
export interface ImportRequest {
  readonly table: ImportTableName;
  readonly file: string;
  readonly format: SourceFormat;
  readonly compression: 'none' | 'gzip';
  /** Single-character delimiter for `csv`; unused for other formats. */
  readonly delimiter: string;
  readonly header: boolean;
  /** field -> source column name, or 1-based position. */
  readonly map: Readonly<Record<string, string | number>>;
  /** strptime patterns to try in order; empty means ISO dates and timestamps, or YYYYMMDD. */
  readonly datePatterns: readonly string[];
  readonly skipInvalid: boolean;
  readonly rejectsFile: string;
  readonly allowFuture: boolean;
  readonly now: Date;
  readonly sizeBytes: number;
}

export interface ImportResult {
  readonly table: ImportTableName;
  readonly file: string;
  readonly format: SourceFormat;
  readonly mapping: Readonly<Record<string, string>>;
  readonly attributeColumns: readonly string[];
  readonly ignoredColumns: readonly string[];
  readonly rowsRead: number;
  readonly inserted: number;
  /** Existing rows updated (customers: a stub or an earlier record replaced by this file's). */
  readonly updated: number;
  /** Rows already in the workspace from an earlier import, skipped. */
  readonly duplicates: number;
  readonly rejected: number;
  readonly rejectsFile: string | null;
  /** Stub customers created for ids that were not in `customers`. */
  readonly stubCustomers: number;
  /** Negative amounts (returns, allowed) and zero amounts, when the table has an amount. */
  readonly returns: number;
  readonly zeroAmounts: number;
  readonly seconds: number;
  readonly warnings: readonly string[];
}
