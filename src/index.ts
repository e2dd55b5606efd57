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
export { fitClvModel, type ClvFitOptions } from './analysis/clv/fit-clv-model.js';
export { predictClv, type ClvPrediction, type ClvPredictOptions } from './analysis/clv/predict-clv.js';
export { evaluateClv, type ClvEvaluation, type ClvEvaluateOptions } from './analysis/clv/evaluate-clv.js';
export { readFitDocument, type FitDocument, type ClvModelKind } from './analysis/clv/fit-document.js';
export { rfmAnalysis, type RfmAnalysisOptions } from './analysis/rfm/rfm-analysis.js';
export { DEFAULT_SEGMENT_MAP, type SegmentRule } from './analysis/rfm/segment-map.js';
export {
  valueSegmentation,
  SEGMENTATIONS,
  type Segmentation,
} from './analysis/segments/value-segmentation.js';
export { lifecycleAnalysis, explainCustomer, monthEnds } from './analysis/lifecycle/lifecycle-analysis.js';
export { DEFAULT_PLAYBOOK } from './analysis/lifecycle/playbook.js';
export { DEFAULT_LIFECYCLE_RULES, type LifecycleRules } from './engine/lifecycle-types.js';
export { runAlerts, dealerGrades, type AlertsReport } from './analysis/alerts/alerts.js';
export { formulaClv } from './models/formula/formula-clv.js';
export { cohortValueTable } from './models/formula/cohort-table.js';
