import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { DEFAULT_REASON_CODES } from '../../data/reason-codes.js';
import { IMPORT_TABLES, type ImportTableName } from '../../data/tables.js';
import type { ImportRequest, ImportResult } from '../../data/import-types.js';
import { silentProgress, type ProgressReporter } from '../../util/progress.js';
import type { Engine, MigrationResult, Row, StoredModelFit, TableInfo, WorkspaceInfo } from '../engine.js';
import { quoteIdent, quoteString } from '../sql.js';
import { DUCKDB_MIGRATIONS } from './migrations.js';
import { importIntoDuckDb } from './import.js';
import { duckDbCustomerSummary } from './customer-summary.js';
import type {
  CustomerSummary,
  SubscriptionCohortOptions,
  SubscriptionCohorts,
  SummaryOptions,
  TransactionSeries,
  TransactionSeriesOptions,
} from '../summary-types.js';
import { duckDbSubscriptionCohorts } from './subscription-cohorts.js';
import { duckDbCohortCounts, duckDbSurvivalCounts, duckDbSurvivalSubjects } from './survival-data.js';
import type {
  CohortCounts,
  CohortCountsOptions,
  SurvivalCounts,
  SurvivalCountsOptions,
  SurvivalSubjects,
  SurvivalSubjectsOptions,
} from '../survival-types.js';
import { duckDbRfm } from './rfm.js';
import {
  duckDbAlertRuns,
  duckDbCustomerAlerts,
  duckDbPreviousGroupAlerts,
  duckDbSaveGroupAlerts,
} from './alerts.js';
import { duckDbGroupAlertStats } from './alerts-groups.js';
import { duckDbProductAlertStats } from './alerts-products.js';
import {
  duckDbChurnFeatures,
  duckDbChurnRateHistory,
  duckDbChurnScores,
  duckDbSaveChurnScores,
  duckDbStoredChurnProbabilities,
} from './churn-features.js';
import type {
  ChurnFeatureColumns,
  ChurnFeatureOptions,
  ChurnRateHistoryOptions,
  ChurnRateHistoryRow,
  ChurnScoreBatch,
  ChurnScoreQuery,
  StoredChurnScorePage,
} from '../churn-types.js';
import { duckDbDealerGrades } from './alerts-dealer.js';
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
} from '../alert-types.js';
import { duckDbCustomerValues } from './customer-values.js';
import {
  duckDbLifecycleCounts,
  duckDbLifecycleMix,
  duckDbLifecycleStages,
  duckDbLifecycleTransitions,
  duckDbRecordLifecycleHistory,
} from './lifecycle.js';
import type {
  LifecycleCount,
  LifecycleHistoryRow,
  LifecycleModel,
  LifecycleOptions,
  LifecycleStages,
  LifecycleTransition,
} from '../lifecycle-types.js';
import type { CustomerValueOptions, CustomerValues } from '../customer-value-types.js';
import type { RfmOptions, RfmResult } from '../rfm-types.js';
import { duckDbTransactionSeries } from './transaction-series.js';
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
} from '../planning-types.js';
import { duckDbPlanningCustomers } from './planning-value.js';
import { duckDbLoadPlan, duckDbSavePlan } from './planning-plans.js';
import { duckDbStoredPlan, duckDbStoredPlanItems, duckDbStoredPlans } from './planning-stored.js';
import type { StoredPlanItemPage, StoredPlanPageQuery, StoredPlanSummary } from '../planning-stored-types.js';
import { duckDbLostCustomers } from './planning-lost.js';
import { duckDbSurveySummary } from './planning-survey.js';
import {
  duckDbCampaignMembers,
  duckDbCampaigns,
  duckDbCreateCampaign,
  duckDbRecordCampaignOutcomes,
} from './campaign-members.js';
import { duckDbChurnFlow, duckDbChurners } from './report-churn.js';
import { duckDbReasonCodes, duckDbSaveReasonCodes } from './report-reason-codes.js';
import type {
  ChurnerAggregates,
  ChurnFlowAggregates,
  ChurnReportOptions,
  ReasonCode,
} from '../report-types.js';
import type { ApiRole, ApiToken, CreatedApiToken } from '../token-types.js';
import type { StoredJob } from '../job-types.js';
import { duckDbSaveJob, duckDbStoredJobs } from './api-jobs.js';
import {
  duckDbCreateApiToken,
  duckDbListApiTokens,
  duckDbRevokeApiToken,
  duckDbVerifyApiToken,
} from './tokens.js';
import type { CustomerDetail, CustomerList, CustomerListQuery } from '../customer-list-types.js';
import { duckDbCustomerDetail, duckDbCustomerList } from './customer-list.js';
import type {
  ClvDistribution,
  ClvPredictionBatch,
  ClvPredictionPage,
  ClvPredictionQuery,
} from '../clv-prediction-types.js';
import { duckDbClvDistribution, duckDbClvPredictions, duckDbSaveClvPredictions } from './clv-predictions.js';

/** The main date column of each table, for `info`. */
const DATE_COLUMNS: Record<ImportTableName, string | null> = {
  customers: 'signup_date',
  transactions: 'date',
  subscriptions: 'start_date',
  churn_events: 'date',
  interactions: 'date',
  campaigns: 'start_date',
  contacts: 'date',
};

/** `RETAIN_TRACE_SQL=1` prints every statement's time to stderr (for finding slow steps). */
const TRACE = process.env.RETAIN_TRACE_SQL === '1';
const trace = (sql: string, t0: number): void => {
  process.stderr.write(
    `[sql ${(performance.now() - t0).toFixed(0)} ms] ${sql.replace(/\s+/g, ' ').slice(0, 100)}\n`,
  );
};

export function toJs(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  return value;
}

const FIT_COLUMNS = `fit_id, model, strftime(fitted_at, '%Y-%m-%dT%H:%M:%SZ') AS fitted_at, time_unit,
  strftime(calibration_end, '%Y-%m-%d') AS calibration_end, fingerprint`;

function toStoredFit(r: Row): Omit<StoredModelFit, 'document'> {
  return {
    fitId: Number(r.fit_id),
    model: String(r.model),
    fittedAt: String(r.fitted_at),
    timeUnit: (r.time_unit as string | null) ?? null,
    calibrationEnd: (r.calibration_end as string | null) ?? null,
    fingerprint: String(r.fingerprint),
  };
}

/** Embedded engine: one DuckDB file per workspace. */
export class DuckDbEngine implements Engine {
  readonly kind = 'duckdb' as const;

  private constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<DuckDbEngine> {
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    // Dates are calendar dates: never shift them by the machine's zone.
    await connection.run(`SET TimeZone = 'UTC'`);
    return new DuckDbEngine(path, instance, connection);
  }

  /**
   * Another connection to the same database, as an engine of its own (temp tables and transactions are
   * per connection): the server runs read-only calls on a few of these at once. Release it with
   * `closeReader`, never `close` (which closes the database).
   */
  async openReader(): Promise<DuckDbEngine> {
    const connection = await this.instance.connect();
    await connection.run(`SET TimeZone = 'UTC'`);
    return new DuckDbEngine(this.location, this.instance, connection);
  }

  /** Close a connection opened by `openReader`. */
  closeReader(): void {
    this.connection.closeSync();
  }

  async run(sql: string, params?: readonly unknown[]): Promise<void> {
    const t0 = TRACE ? performance.now() : 0;
    await this.connection.run(sql, params as DuckDBValue[] | undefined);
    if (TRACE) trace(sql, t0);
  }

  async query(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    const t0 = TRACE ? performance.now() : 0;
    const reader = await this.connection.runAndReadAll(sql, params as DuckDBValue[] | undefined);
    if (TRACE) trace(sql, t0);
    return reader.getRowObjectsJS().map((row) => {
      const out: Row = {};
      for (const [k, v] of Object.entries(row)) out[k] = toJs(v);
      return out;
    });
  }

  async schemaVersion(): Promise<number> {
    const exists = await this.query(
      `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'schema_migrations'`,
    );
    if (Number(exists[0]?.n) === 0) return 0;
    const rows = await this.query(`SELECT coalesce(max(version), 0) AS v FROM schema_migrations`);
    return Number(rows[0]?.v ?? 0);
  }

  async migrate(): Promise<MigrationResult> {
    await this.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, "name" VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`);
    const from = await this.schemaVersion();
    const applied: string[] = [];
    for (const m of DUCKDB_MIGRATIONS) {
      if (m.version <= from) continue;
      await this.transaction(async () => {
        for (const s of m.statements) await this.run(s);
        if (m.version === 1) await this.seedReasonCodes();
        await this.run(`INSERT INTO schema_migrations VALUES ($1, $2, now()::TIMESTAMP)`, [
          m.version,
          m.name,
        ]);
      });
      applied.push(`${m.version} ${m.name}`);
    }
    return { from, to: await this.schemaVersion(), applied };
  }

  private async seedReasonCodes(): Promise<void> {
    for (const r of DEFAULT_REASON_CODES) {
      await this.run(`INSERT INTO reason_codes VALUES ($1, $2, $3, $4, $5)`, [
        r.code,
        r.reason,
        r.reasonZh,
        r.type,
        r.family,
      ]);
    }
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.run('COMMIT');
      return result;
    } catch (error) {
      await this.run('ROLLBACK');
      throw error;
    }
  }

  async info(): Promise<WorkspaceInfo> {
    const tables: TableInfo[] = [];
    for (const table of IMPORT_TABLES) {
      const col = DATE_COLUMNS[table];
      const range = col
        ? `strftime(min(${quoteIdent(col)}), '%Y-%m-%d') AS f, strftime(max(${quoteIdent(col)}), '%Y-%m-%d') AS t`
        : 'NULL AS f, NULL AS t';
      const [r] = await this.query(`SELECT count(*) AS n, ${range} FROM ${quoteIdent(table)}`);
      tables.push({
        table,
        rows: Number(r?.n ?? 0),
        from: (r?.f as string | null) ?? null,
        to: (r?.t as string | null) ?? null,
        dateColumn: col,
      });
    }
    const [stubs] = await this.query(`SELECT count(*) AS n FROM customers WHERE is_stub`);
    const [imports] = await this.query(`SELECT count(*) AS n FROM imports`);
    return {
      engine: this.kind,
      location: this.location,
      schemaVersion: await this.schemaVersion(),
      tables,
      stubCustomers: Number(stubs?.n ?? 0),
      imports: Number(imports?.n ?? 0),
    };
  }

  importFile(request: ImportRequest, progress: ProgressReporter = silentProgress): Promise<ImportResult> {
    return importIntoDuckDb(this, request, progress);
  }

  customerSummary(options: SummaryOptions): Promise<CustomerSummary> {
    return duckDbCustomerSummary(this, options);
  }

  transactionSeries(options: TransactionSeriesOptions): Promise<TransactionSeries> {
    return duckDbTransactionSeries(this, options);
  }

  subscriptionCohorts(options: SubscriptionCohortOptions): Promise<SubscriptionCohorts> {
    return duckDbSubscriptionCohorts(this, options);
  }

  survivalCounts(options: SurvivalCountsOptions): Promise<SurvivalCounts> {
    return duckDbSurvivalCounts(this, options);
  }

  survivalSubjects(options: SurvivalSubjectsOptions): Promise<SurvivalSubjects> {
    return duckDbSurvivalSubjects(this, options);
  }

  cohortCounts(options: CohortCountsOptions): Promise<CohortCounts> {
    return duckDbCohortCounts(this, options);
  }

  rfm(options: RfmOptions): Promise<RfmResult> {
    return duckDbRfm(this, options);
  }

  customerValues(options: CustomerValueOptions): Promise<CustomerValues> {
    return duckDbCustomerValues(this, options);
  }

  lifecycleStages(options: LifecycleOptions): Promise<LifecycleStages> {
    return duckDbLifecycleStages(this, options);
  }

  lifecycleCounts(options: LifecycleOptions): Promise<LifecycleCount[]> {
    return duckDbLifecycleCounts(this, options);
  }

  recordLifecycleHistory(
    monthEnds: readonly string[],
    options: Omit<LifecycleOptions, 'asOf'>,
    onMonth?: (done: number) => void,
  ): Promise<number> {
    return duckDbRecordLifecycleHistory(this, monthEnds, options, onMonth);
  }

  lifecycleMix(model: LifecycleModel): Promise<LifecycleHistoryRow[]> {
    return duckDbLifecycleMix(this, model);
  }

  lifecycleTransitions(model: LifecycleModel, from: string, to: string): Promise<LifecycleTransition[]> {
    return duckDbLifecycleTransitions(this, model, from, to);
  }

  customerAlerts(options: CustomerAlertOptions): Promise<CustomerAlertResult> {
    return duckDbCustomerAlerts(this, options);
  }

  productAlertStats(options: ProductAlertStatsOptions): Promise<GroupAlertStats> {
    return duckDbProductAlertStats(this, options);
  }

  churnFeatures(options: ChurnFeatureOptions): Promise<ChurnFeatureColumns> {
    return duckDbChurnFeatures(this, options);
  }

  storedChurnProbabilities(
    asOf?: string,
  ): Promise<{ asOf: string | null; horizons: { horizonDays: number; probabilities: Float64Array }[] }> {
    return duckDbStoredChurnProbabilities(this, asOf);
  }

  churnRateHistory(options: ChurnRateHistoryOptions): Promise<ChurnRateHistoryRow[]> {
    return duckDbChurnRateHistory(this, options);
  }

  saveChurnScores(batch: ChurnScoreBatch): Promise<void> {
    return duckDbSaveChurnScores(this, batch);
  }

  churnScores(options: ChurnScoreQuery): Promise<StoredChurnScorePage> {
    return duckDbChurnScores(this, options);
  }

  groupAlertStats(options: GroupAlertStatsOptions): Promise<GroupAlertStats> {
    return duckDbGroupAlertStats(this, options);
  }

  saveGroupAlerts(asOf: string, alerts: readonly StoredGroupAlert[]): Promise<void> {
    return duckDbSaveGroupAlerts(this, asOf, alerts);
  }

  previousGroupAlerts(asOf: string): Promise<{ asOf: string; alerts: StoredGroupAlert[] } | null> {
    return duckDbPreviousGroupAlerts(this, asOf);
  }

  alertRuns(): Promise<AlertRun[]> {
    return duckDbAlertRuns(this);
  }

  dealerGrades(options: DealerGradeOptions): Promise<DealerGradeResult> {
    return duckDbDealerGrades(this, options);
  }

  churnFlow(options: ChurnReportOptions): Promise<ChurnFlowAggregates> {
    return duckDbChurnFlow(this, options);
  }

  churners(options: ChurnReportOptions): Promise<ChurnerAggregates> {
    return duckDbChurners(this, options);
  }

  reasonCodes(): Promise<ReasonCode[]> {
    return duckDbReasonCodes(this);
  }

  saveReasonCodes(codes: readonly ReasonCode[]): Promise<void> {
    return duckDbSaveReasonCodes(this, codes);
  }

  planningCustomers(options: PlanningCustomerOptions): Promise<PlanningCustomers> {
    return duckDbPlanningCustomers(this, options);
  }

  savePlan(plan: StoredPlanInput): Promise<string> {
    return duckDbSavePlan(this, plan);
  }

  loadPlan(planId?: string, kind?: 'retention' | 'winback'): Promise<StoredPlan | null> {
    return duckDbLoadPlan(this, planId, kind);
  }

  storedPlans(): Promise<StoredPlanSummary[]> {
    return duckDbStoredPlans(this);
  }

  storedPlan(planId: string): Promise<StoredPlanSummary | null> {
    return duckDbStoredPlan(this, planId);
  }

  storedPlanItems(planId: string, page: StoredPlanPageQuery): Promise<StoredPlanItemPage> {
    return duckDbStoredPlanItems(this, planId, page);
  }

  lostCustomers(options: LostCustomerOptions): Promise<LostCustomers> {
    return duckDbLostCustomers(this, options);
  }

  createCampaign(input: CampaignCreateInput): Promise<void> {
    return duckDbCreateCampaign(this, input);
  }

  recordCampaignOutcomes(
    campaignId: string,
    rows: readonly CampaignOutcomeRow[],
  ): Promise<CampaignOutcomeImport> {
    return duckDbRecordCampaignOutcomes(this, campaignId, rows);
  }

  campaignMembers(campaignId: string, query: CampaignMemberQuery): Promise<CampaignMembers> {
    return duckDbCampaignMembers(this, campaignId, query);
  }

  campaigns(): Promise<CampaignListRow[]> {
    return duckDbCampaigns(this);
  }

  surveySummary(options: SurveySummaryOptions): Promise<SurveySummary> {
    return duckDbSurveySummary(this, options);
  }

  createApiToken(name: string, role: ApiRole): Promise<CreatedApiToken> {
    return duckDbCreateApiToken(this, name, role);
  }

  listApiTokens(): Promise<ApiToken[]> {
    return duckDbListApiTokens(this);
  }

  revokeApiToken(id: string): Promise<boolean> {
    return duckDbRevokeApiToken(this, id);
  }

  verifyApiToken(token: string): Promise<ApiToken | null> {
    return duckDbVerifyApiToken(this, token);
  }

  saveJob(job: StoredJob): Promise<void> {
    return duckDbSaveJob(this, job);
  }

  storedJobs(limit: number): Promise<StoredJob[]> {
    return duckDbStoredJobs(this, limit);
  }

  customerList(query: CustomerListQuery): Promise<CustomerList> {
    return duckDbCustomerList(this, query);
  }

  customerDetail(customerId: string): Promise<CustomerDetail | null> {
    return duckDbCustomerDetail(this, customerId);
  }

  async transactionRange(): Promise<{ count: number; first: string | null; last: string | null }> {
    const [r] = await this.query(`SELECT count(*) AS n, strftime(min("date"), '%Y-%m-%d') AS first,
      strftime(max("date"), '%Y-%m-%d') AS last FROM transactions`);
    return {
      count: Number(r!.n),
      first: (r!.first as string | null) ?? null,
      last: (r!.last as string | null) ?? null,
    };
  }

  async lastTransactionDay(): Promise<string | null> {
    const [r] = await this.query(`SELECT strftime(max("date"), '%Y-%m-%d') AS d FROM transactions`);
    return (r?.d as string | null) ?? null;
  }

  async transactionsFingerprint(): Promise<string> {
    const [r] = await this.query(`SELECT count(*) AS n,
      coalesce(sum(hash(customer_id, "date", amount)), 0)::VARCHAR AS h FROM transactions`);
    return `${String(r!.n)}:${String(r!.h)}`;
  }

  async saveModelFit(fit: Omit<StoredModelFit, 'fitId' | 'fittedAt'>): Promise<StoredModelFit> {
    const [next] = await this.query(`SELECT coalesce(max(fit_id), 0) + 1 AS id FROM model_fits`);
    const fitId = Number(next!.id);
    await this.run(
      `INSERT INTO model_fits VALUES ($1, $2, now()::TIMESTAMP, $3, CAST($4 AS DATE), $5, CAST($6 AS JSON))`,
      [fitId, fit.model, fit.timeUnit, fit.calibrationEnd, fit.fingerprint, JSON.stringify(fit.document)],
    );
    return (await this.loadModelFit(fit.model, fitId))!;
  }

  async loadModelFit(model: string, fitId?: number): Promise<StoredModelFit | null> {
    const rows = await this.query(
      `SELECT ${FIT_COLUMNS}, CAST(document AS VARCHAR) AS document FROM model_fits
       WHERE model = $1 ${fitId === undefined ? '' : 'AND fit_id = $2'} ORDER BY fit_id DESC LIMIT 1`,
      fitId === undefined ? [model] : [model, fitId],
    );
    const r = rows[0];
    return r ? { ...toStoredFit(r), document: JSON.parse(String(r.document)) as unknown } : null;
  }

  async listModelFits(model?: string): Promise<Omit<StoredModelFit, 'document'>[]> {
    const rows = await this.query(
      `SELECT ${FIT_COLUMNS} FROM model_fits ${model === undefined ? '' : 'WHERE model = $1'} ORDER BY fit_id DESC`,
      model === undefined ? [] : [model],
    );
    return rows.map(toStoredFit);
  }

  saveClvPredictions(batch: ClvPredictionBatch): Promise<void> {
    return duckDbSaveClvPredictions(this, batch);
  }

  clvPredictions(query: ClvPredictionQuery): Promise<ClvPredictionPage> {
    return duckDbClvPredictions(this, query);
  }

  clvDistribution(bins?: number): Promise<ClvDistribution | null> {
    return duckDbClvDistribution(this, bins);
  }

  async bulkLoadCsv(table: ImportTableName, columns: readonly string[], csvPath: string): Promise<number> {
    const cols = columns.map(quoteIdent).join(', ');
    const before = await this.count(table);
    await this.run(
      `INSERT INTO ${quoteIdent(table)} (${cols}) SELECT * FROM read_csv(${quoteString(csvPath)},
        header = false, auto_detect = false, delim = ',', quote = '', escape = '', all_varchar = false,
        columns = {${columns.map((c, i) => `${quoteString(`c${i}`)}: 'VARCHAR'`).join(', ')}})`,
    );
    return (await this.count(table)) - before;
  }

  async count(table: string): Promise<number> {
    const [r] = await this.query(`SELECT count(*) AS n FROM ${quoteIdent(table)}`);
    return Number(r?.n ?? 0);
  }

  async clearData(): Promise<void> {
    await this.transaction(async () => {
      // everything derived from the data goes with it: fits, stage history, stored alerts
      const derived = [
        'imports',
        'model_fits',
        'lifecycle_history',
        'lifecycle_tiers',
        'alert_runs',
        'customer_alerts',
        'group_alerts',
        'churn_scores',
        'plans',
        'plan_items',
        'campaign_designs',
        'campaign_members',
        'campaign_outcomes',
        'clv_predictions',
        'clv_prediction_runs',
      ];
      for (const t of [...IMPORT_TABLES, ...derived]) await this.run(`DELETE FROM ${quoteIdent(t)}`);
    });
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
