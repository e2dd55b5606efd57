/** Retain's library API. Shells (CLI, server) use exactly this. */
export type { Engine, TableInfo, WorkspaceInfo, MigrationResult, Row } from './engine/engine.js';
export { DuckDbEngine } from './engine/duckdb/duckdb-engine.js';
export {
  openWorkspace,
  resolveDbPath,
  resolveWorkspace,
  describeWorkspace,
  DEFAULT_DB,
  type WorkspaceOptions,
  type WorkspaceTarget,
} from './workspace.js';
export { ClickHouseEngine } from './engine/clickhouse/clickhouse-engine.js';
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
export {
  kaplanMeierAnalysis,
  type KaplanMeierAnalysisOptions,
  type KaplanMeierReport,
  type KaplanMeierGroupReport,
} from './analysis/survival/kaplan-meier-analysis.js';
export { coxAnalysis, type CoxAnalysisOptions, type CoxReport } from './analysis/survival/cox-analysis.js';
export {
  cohortAnalysis,
  type CohortAnalysisOptions,
  type CohortReport,
} from './analysis/survival/cohort-analysis.js';
export {
  survivalFromTable,
  parseEventSpec,
  type SurvivalTable,
  type EventSpec,
} from './analysis/survival/survival-table.js';
export type {
  SurvivalSource,
  TableSource,
  WorkspaceSource,
  SurvivalUnit,
} from './analysis/survival/source.js';
export { readTextTable, type TextTable } from './data/read-text-table.js';
export type {
  SurvivalCounts,
  SurvivalSubjects,
  CohortCounts,
  SurvivalGroupColumn,
  SurvivalCovariate,
} from './engine/survival-types.js';
export {
  trainChurnFromTable,
  trainChurnFromWorkspace,
  type ChurnTrainResult,
  type TableTrainOptions,
  type WorkspaceTrainOptions,
} from './analysis/churn/churn-train.js';
export { trainChurn, type TrainChurnOptions, type TrainedChurn } from './analysis/churn/train-churn.js';
export {
  fitChurnModel,
  churnModelFromJson,
  CHURN_MODEL_KINDS,
  type ChurnModelKind,
  type FittedChurnModel,
  type ChurnReason,
} from './analysis/churn/churn-learner.js';
export {
  readChurnModel,
  writeChurnModel,
  type ChurnModelDocument,
  type LoadedChurnModel,
} from './analysis/churn/churn-model-file.js';
export { scoreChurn, type ChurnScoreOptions, type ChurnScoreReport } from './analysis/churn/churn-score.js';
export {
  backtestChurn,
  type ChurnBacktest,
  type ChurnBacktestOptions,
} from './analysis/churn/churn-backtest.js';
export { churnMetrics, type ChurnMetrics } from './analysis/churn/churn-metrics.js';
export { compareChurned, type AttributeComparison } from './analysis/churn/churn-compare.js';
export { churnIndex, type ChurnRating, type ChurnIndexGroup } from './analysis/churn/churn-index.js';
export { featureTableOf } from './analysis/churn/workspace-table.js';
export type { ChurnFeatureColumns, ChurnFeatureOptions, StoredChurnScore } from './engine/churn-types.js';
export { kaplanMeier, type KaplanMeierCurve } from './models/survival/kaplan-meier.js';
export { coxFit, type CoxFit } from './models/survival/cox.js';
export { logRankTest } from './models/survival/log-rank.js';
export { fitLogisticRegression, predictLogistic } from './models/learn/logistic-regression.js';
export { fitGbdt, predictProbability, shapValues } from './models/learn/gbdt/index.js';
export { poissonBinomialInterval, type CountInterval } from './models/poisson-binomial.js';
export {
  DEFAULT_RETENTION_ACTIONS,
  DEFAULT_WINBACK_ACTION,
  parseActions,
  readActionsFile,
  actionsToYaml,
  type PlanAction,
} from './analysis/planning/actions.js';
export {
  planningPopulation,
  valueRiskMatrix,
  type ValueRiskMatrix,
  type ValueRiskOptions,
  type ValueSource,
} from './analysis/planning/value-risk.js';
export {
  planRetention,
  actionMatrix,
  type RetentionPlan,
  type RetentionPlanOptions,
  type PlannedContact,
} from './analysis/planning/retention-plan.js';
export {
  planWinback,
  winbackRates,
  type WinbackPlan,
  type WinbackPlanOptions,
  type WinbackCandidate,
} from './analysis/planning/winback-plan.js';
export { surveyList, surveySummary, type SurveyList } from './analysis/planning/survey.js';
export {
  createCampaign,
  recordCampaignOutcomes,
  evaluateCampaign,
  upliftOf,
  type CampaignEvaluation,
  type CreatedCampaign,
  type UpliftResult,
} from './analysis/campaigns/campaigns.js';
export {
  solveMckp,
  solveMckpDp,
  solveMckpGreedy,
  type MckpProblem,
  type MckpSolution,
} from './models/planning/mckp.js';
export { newcombeInterval, wilsonInterval, welchInterval, moments } from './models/planning/uplift.js';
export { betaPosterior, type BetaPrior, type BetaRate } from './models/planning/beta-rate.js';
export { assignHoldout } from './models/planning/holdout.js';
export type * from './engine/planning-types.js';
export {
  runReport,
  buildReport,
  reportJson,
  type ReportRun,
  type RunReportOptions,
} from './analysis/reports/run-report.js';
export {
  parseReportSpec,
  readReportSpec,
  REPORT_SPEC_SCHEMA,
  type ReportSpec,
  type ReportSectionSpec,
  type ReportChartSpec,
} from './analysis/reports/spec.js';
export { builtinReports, builtinReport } from './analysis/reports/builtin.js';
export { DATASETS as REPORT_DATASETS, loadDataset, type DatasetDef } from './analysis/reports/datasets.js';
export { churnFlowTable, type ChurnFlowInput, type ChurnFlowRow } from './analysis/reports/churn-flow.js';
export {
  addReasonCodes,
  parseReasonCodes,
  readReasonCodesFile,
  REASON_FAMILIES,
} from './analysis/reports/reason-codes.js';
export {
  REPORT_DIMENSIONS,
  type ReportDimension,
  type ChurnReportOptions,
  type ChurnFlowAggregate,
  type ChurnFlowAggregates,
  type ChurnerAggregate,
  type ChurnerAggregates,
} from './engine/report-types.js';
