/** Retain's library API. Shells (CLI, server) use exactly this. */
export type { Engine, TableInfo, WorkspaceInfo, MigrationResult, Row } from './engine/engine.js';
export { DuckDbEngine } from './engine/duckdb/duckdb-engine.js';
export { openWorkspace, resolveDbPath, DEFAULT_DB, type WorkspaceOptions } from './workspace.js';
export { importFile, normalizeImportRequest } from './data/import.js';
export type { ImportOptions, ImportRequest, ImportResult, SourceFormat } from './data/import-types.js';
export {
  TABLE_SPECS,
  IMPORT_TABLES,
  type ImportTableName,
  type TableSpec,
  type FieldSpec,
} from './data/tables.js';
export { DEFAULT_REASON_CODES, type ReasonCode } from './data/reason-codes.js';
export { UserError, ImportRejectedError, formatIssue, type InputIssue } from './util/errors.js';
export type { ProgressEvent, ProgressReporter } from './util/progress.js';
export { generateDemo } from './demo/index.js';
export type { CustomerSummary, SummaryOptions, TimeUnit } from './engine/summary-types.js';
