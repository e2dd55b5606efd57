/**
 * The one storage interface. Analyses and shells (CLI, server) talk to an `Engine`; each engine (DuckDB
 * embedded, ClickHouse for scale-out) writes its own SQL dialect behind it. Operations are named by what
 * they do, not by the SQL they run, so a second engine can implement them in its dialect.
 */
import type {
  ChurnFeatureColumns,
  ChurnFeatureOptions,
  ChurnRateHistoryOptions,
  ChurnRateHistoryRow,
  ChurnScoreBatch,
  ChurnScoreQuery,
  StoredChurnScorePage,
} from './churn-types.js';
import type { ImportTableName } from '../data/tables.js';
import type { ImportRequest, ImportResult } from '../data/import-types.js';
import type { ProgressReporter } from '../util/progress.js';
import type { RfmOptions, RfmResult } from './rfm-types.js';
import type {
  CohortCounts,
  CohortCountsOptions,
  SurvivalCounts,
  SurvivalCountsOptions,
  SurvivalSubjects,
  SurvivalSubjectsOptions,
} from './survival-types.js';
import type {
  AlertRun,
  CustomerAlertOptions,
  CustomerAlertResult,
  DealerGradeOptions,
  DealerGradeResult,
  GroupAlertStats,
  GroupAlertStatsOptions,
  ProductAlertStatsOptions,
  StoredGroupAlert,
} from './alert-types.js';
import type { CustomerValueOptions, CustomerValues } from './customer-value-types.js';
import type {
  ChurnerAggregates,
  ChurnFlowAggregates,
  ChurnReportOptions,
  ReasonCode,
} from './report-types.js';
import type {
  LifecycleCount,
  LifecycleHistoryRow,
  LifecycleModel,
  LifecycleOptions,
  LifecycleStages,
  LifecycleTransition,
} from './lifecycle-types.js';
import type {
  CampaignCreateInput,
  CampaignListRow,
  CampaignMemberQuery,
  CampaignMembers,
  CampaignOutcomeImport,
  CampaignOutcomeRow,
  LostCustomerOptions,
  LostCustomers,
  PlanningCustomerOptions,
  PlanningCustomers,
  StoredPlan,
  StoredPlanInput,
  SurveySummary,
  SurveySummaryOptions,
} from './planning-types.js';
import type {
  CustomerSummary,
  SubscriptionCohortOptions,
  SubscriptionCohorts,
  SummaryOptions,
  TransactionSeries,
  TransactionSeriesOptions,
} from './summary-types.js';
import type { ApiRole, ApiToken, CreatedApiToken } from './token-types.js';
import type { StoredJob } from './job-types.js';
import type { CustomerDetail, CustomerList, CustomerListQuery } from './customer-list-types.js';
import type {
  ClvDistribution,
  ClvPredictionBatch,
  ClvPredictionPage,
  ClvPredictionQuery,
} from './clv-prediction-types.js';
import type { StoredPlanItemPage, StoredPlanPageQuery, StoredPlanSummary } from './planning-stored-types.js';

export interface TableInfo {
  readonly table: string;
  readonly rows: number;
  /** Earliest and latest date in the table's main date column, ISO `YYYY-MM-DD`, when it has one. */
  readonly from: string | null;
  readonly to: string | null;
  readonly dateColumn: string | null;
}

export interface WorkspaceInfo {
  readonly engine: string;
  readonly location: string;
  readonly schemaVersion: number;
  readonly tables: readonly TableInfo[];
  readonly stubCustomers: number;
  readonly imports: number;
}

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly string[];
}

export type Row = Record<string, unknown>;

/** A fitted model kept in the workspace: the latest per model kind is used, earlier ones are history. */
export interface StoredModelFit {
  readonly fitId: number;
  readonly model: string;
  readonly fittedAt: string;
  readonly timeUnit: string | null;
  readonly calibrationEnd: string | null;
  /** Fingerprint of the transactions the model was fitted on (see `transactionsFingerprint`). */
  readonly fingerprint: string;
  /** The whole fit as JSON (parameters, errors, options). */
  readonly document: unknown;
}

export interface Engine {
  readonly kind: 'duckdb' | 'clickhouse';
  /** Human-readable location (file path or URL without credentials). */
  readonly location: string;
  /** Create or upgrade the schema to the newest version. Idempotent. */
  migrate(): Promise<MigrationResult>;
  schemaVersion(): Promise<number>;
  info(): Promise<WorkspaceInfo>;
  /** Validate a source file and load it all-or-nothing (see data/import.ts for the rules). */
  importFile(request: ImportRequest, progress?: ProgressReporter): Promise<ImportResult>;
  /**
   * Bulk-load trusted rows that Retain generated itself (demo data): a headerless, comma-separated,
   * unquoted UTF-8 file whose columns are `columns` in order. No validation, no dedupe.
   */
  bulkLoadCsv(table: ImportTableName, columns: readonly string[], csvPath: string): Promise<number>;
  /**
   * Per-customer frequency, recency, age and mean repeat spend (plus holdout actuals) for the
   * probabilistic CLV models, aggregated in the engine.
   */
  customerSummary(options: SummaryOptions): Promise<CustomerSummary>;
  /**
   * Repeat purchases per period from the earliest first purchase to the holdout end, and customers by
   * first-purchase day (for tracking actual vs expected cumulative transactions), aggregated in the engine.
   */
  transactionSeries(options: TransactionSeriesOptions): Promise<TransactionSeries>;
  /** Survivors per acquisition cohort of the subscriptions table, for contractual retention (sBG). */
  subscriptionCohorts(options: SubscriptionCohortOptions): Promise<SubscriptionCohorts>;
  /** Customers per (group, days from start to stop) split into ended and censored relationships (SQL). */
  survivalCounts(options: SurvivalCountsOptions): Promise<SurvivalCounts>;
  /** One relationship per customer (days, ended) with the requested covariates, for the Cox model. */
  survivalSubjects(options: SurvivalSubjectsOptions): Promise<SurvivalSubjects>;
  /** Customers per (acquisition cohort, periods observed, churn period), for the retention matrix (SQL). */
  cohortCounts(options: CohortCountsOptions): Promise<CohortCounts>;
  /** Recency, frequency and monetary value, their scores and named segments, per customer (SQL). */
  rfm(options: RfmOptions): Promise<RfmResult>;
  /** Revenue, profit, frequency, order value, recent and monthly revenue per customer (SQL). */
  customerValues(options: CustomerValueOptions): Promise<CustomerValues>;
  /** Every customer's lifecycle state and stages as of a date, with the rule and numbers behind them. */
  lifecycleStages(options: LifecycleOptions): Promise<LifecycleStages>;
  /** Customers per state, stage and pattern as of a date (no per-customer rows). */
  lifecycleCounts(options: LifecycleOptions): Promise<LifecycleCount[]>;
  /** Record the stages at each month end in the workspace; returns the rows now kept. */
  recordLifecycleHistory(
    monthEnds: readonly string[],
    options: Omit<LifecycleOptions, 'asOf'>,
    onMonth?: (done: number) => void,
  ): Promise<number>;
  /** Customers per stage at every recorded month end. */
  lifecycleMix(model: LifecycleModel): Promise<LifecycleHistoryRow[]>;
  /** Customers moving between stages from one recorded month end to another. */
  lifecycleTransitions(model: LifecycleModel, from: string, to: string): Promise<LifecycleTransition[]>;
  /**
   * Early-warning level of every customer (R, F and M decline against their own baseline), compared with
   * the previous stored run and optionally stored (SQL).
   */
  customerAlerts(options: CustomerAlertOptions): Promise<CustomerAlertResult>;
  /** Active customers, churners and spend per group and period, for group warnings (SQL). */
  groupAlertStats(options: GroupAlertStatsOptions): Promise<GroupAlertStats>;
  /** Point-in-time churn features (and labels with a horizon) of the customers at risk on a day. */
  churnFeatures(options: ChurnFeatureOptions): Promise<ChurnFeatureColumns>;
  /** Store churn scores (replacing those of the same day and horizon). */
  saveChurnScores(batch: ChurnScoreBatch): Promise<void>;
  /** Customers at risk and churners of the past periods (how much the churn rate moves). */
  churnRateHistory(options: ChurnRateHistoryOptions): Promise<ChurnRateHistoryRow[]>;
  /** Every stored churn probability of a day (default the latest), per horizon. */
  storedChurnProbabilities(
    asOf?: string,
  ): Promise<{ asOf: string | null; horizons: { horizonDays: number; probabilities: Float64Array }[] }>;
  /** Stored churn scores of a day (default the latest), highest first. */
  churnScores(options: ChurnScoreQuery): Promise<StoredChurnScorePage>;
  /** Per product (or category) and period: customers buying it, lapsing from it, and their spend on it. */
  productAlertStats(options: ProductAlertStatsOptions): Promise<GroupAlertStats>;
  /** Store the group warnings of a stored alert run. */
  saveGroupAlerts(asOf: string, alerts: readonly StoredGroupAlert[]): Promise<void>;
  /** The group warnings of the latest stored alert run before `asOf`, null when there is none. */
  previousGroupAlerts(asOf: string): Promise<{ asOf: string; alerts: StoredGroupAlert[] } | null>;
  /** Every stored alert run, newest first. */
  alertRuns(): Promise<AlertRun[]>;
  /** A car dealer's visit grades (A/B/C/D) and churn-survey list (SQL). */
  dealerGrades(options: DealerGradeOptions): Promise<DealerGradeResult>;
  /** Scored customers of a day and horizon with their churn probability, value and group (SQL join). */
  planningCustomers(options: PlanningCustomerOptions): Promise<PlanningCustomers>;
  /** Store a retention / win-back plan with its chosen customers; returns its id (`P1`, `P2`, ...). */
  savePlan(plan: StoredPlanInput): Promise<string>;
  /** A stored plan by id, else the newest (of a kind); null when there is none. */
  loadPlan(planId?: string, kind?: 'retention' | 'winback'): Promise<StoredPlan | null>;
  /** Every stored plan with its contacted customers summed per action, newest first. */
  storedPlans(): Promise<StoredPlanSummary[]>;
  /** One stored plan's summary, null when there is none. */
  storedPlan(planId: string): Promise<StoredPlanSummary | null>;
  /** A page of a stored plan's contacted customers, highest expected saved value first. */
  storedPlanItems(planId: string, page: StoredPlanPageQuery): Promise<StoredPlanItemPage>;
  /** The lost-customer database (latest churn per customer, attempts, returns, value) with attempt results. */
  lostCustomers(options: LostCustomerOptions): Promise<LostCustomers>;
  /** Create a campaign with its treatment and control members. */
  createCampaign(input: CampaignCreateInput): Promise<void>;
  /** Insert or update one outcome per member (idempotent). */
  recordCampaignOutcomes(
    campaignId: string,
    rows: readonly CampaignOutcomeRow[],
  ): Promise<CampaignOutcomeImport>;
  /** A campaign's members (or imported contacts) with their group, action, cost and outcome. */
  campaignMembers(campaignId: string, query: CampaignMemberQuery): Promise<CampaignMembers>;
  /** Every campaign (created here or imported) with group sizes. */
  campaigns(): Promise<CampaignListRow[]>;
  /** Survey answers (interactions of kind survey) per question, with the most frequent answers. */
  surveySummary(options: SurveySummaryOptions): Promise<SurveySummary>;
  /** How many transactions there are and the days of the first and last (`YYYY-MM-DD`, null when none). */
  transactionRange(): Promise<{ count: number; first: string | null; last: string | null }>;
  /** The day of the latest transaction, `YYYY-MM-DD`; null when there are none. */
  lastTransactionDay(): Promise<string | null>;
  /** A short hash of the transactions table's content; changes whenever rows are added or changed. */
  transactionsFingerprint(): Promise<string>;
  saveModelFit(fit: Omit<StoredModelFit, 'fitId' | 'fittedAt'>): Promise<StoredModelFit>;
  /** The latest fit of a model kind (or a given fit id), null when there is none. */
  loadModelFit(model: string, fitId?: number): Promise<StoredModelFit | null>;
  /** Every fit, newest first, optionally of one model kind (without documents). */
  listModelFits(model?: string): Promise<Omit<StoredModelFit, 'document'>[]>;
  /** Replace the stored per-customer CLV predictions with a new run's and record its totals. */
  saveClvPredictions(batch: ClvPredictionBatch): Promise<void>;
  /** A page of the stored CLV predictions, highest CLV first (SQL). */
  clvPredictions(query: ClvPredictionQuery): Promise<ClvPredictionPage>;
  /** Totals and histogram of the stored CLV predictions (SQL); null when none are stored. */
  clvDistribution(bins?: number): Promise<ClvDistribution | null>;
  /** The monthly churn flow (start, new, churn by type, end; accounts; revenue) per group (SQL). */
  churnFlow(options: ChurnReportOptions): Promise<ChurnFlowAggregates>;
  /** Churners and revenue lost per month, group, type and reason code (SQL). */
  churners(options: ChurnReportOptions): Promise<ChurnerAggregates>;
  /** The workspace's reason-code taxonomy, by code. */
  reasonCodes(): Promise<ReasonCode[]>;
  /** Add reason codes, replacing those with the same code (all or nothing). */
  saveReasonCodes(codes: readonly ReasonCode[]): Promise<void>;
  /** Create an API token (only its sha256 is stored; the secret is in the result, once). */
  createApiToken(name: string, role: ApiRole): Promise<CreatedApiToken>;
  /** Every API token, revoked ones included (never the secrets). */
  listApiTokens(): Promise<ApiToken[]>;
  /** Revoke a token by id; false when there is no live token with that id. */
  revokeApiToken(id: string): Promise<boolean>;
  /** The live token with this secret, recording its use; null when unknown or revoked. */
  verifyApiToken(token: string): Promise<ApiToken | null>;
  /** Keep a server job's record (replacing the previous one of the same id). */
  saveJob(job: StoredJob): Promise<void>;
  /** The newest `limit` job records, newest first. */
  storedJobs(limit: number): Promise<StoredJob[]>;
  /** A page of customers (search, sort) with revenue, stage and churn probability, and the total count. */
  customerList(query: CustomerListQuery): Promise<CustomerList>;
  /** One customer's profile, purchases, subscriptions, churn events, scores and stage; null when unknown. */
  customerDetail(customerId: string): Promise<CustomerDetail | null>;
  /** Remove every row from the data tables (keeps schema and reason codes). */
  clearData(): Promise<void>;
  /** Run a read-only query written in this engine's dialect; values come back as JS numbers/strings. */
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}
