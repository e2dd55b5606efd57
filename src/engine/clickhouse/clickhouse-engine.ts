/**
 * The scale-out engine: a workspace in a ClickHouse database, on one server or a cluster of shards (see
 * connection.ts for the table layout, schema.ts for the tables). Each operation is written in ClickHouse's
 * dialect in its own file, named as on DuckDB; SQL stays within what ClickHouse 18.16 (Debian's) runs:
 * no window functions, no `WITH name AS (subquery)`, one JOIN per SELECT, no query parameters (every value
 * goes through sql.ts).
 */
import { DEFAULT_REASON_CODES } from '../../data/reason-codes.js';
import { IMPORT_TABLES, type ImportTableName } from '../../data/tables.js';
import type { ImportRequest, ImportResult } from '../../data/import-types.js';
import { silentProgress, type ProgressReporter } from '../../util/progress.js';
import type { Engine, MigrationResult, Row, StoredModelFit, TableInfo, WorkspaceInfo } from '../engine.js';
import { ChConnection, SHARDED, safeUrl, type ClickHouseTarget } from './connection.js';
import { CH_SCHEMA_VERSION, CH_TABLES, createTableStatements } from './schema.js';
import { chDate, chIdent, chNumber, chString } from './sql.js';
import { chIsoTime } from './records.js';
import { importIntoClickHouse, bulkLoadIntoClickHouse } from './import.js';
import type {
  CustomerSummary,
  SubscriptionCohortOptions,
  SubscriptionCohorts,
  SummaryOptions,
  TransactionSeries,
  TransactionSeriesOptions,
} from '../summary-types.js';
import type {
  CohortCounts,
  CohortCountsOptions,
  SurvivalCounts,
  SurvivalCountsOptions,
  SurvivalSubjects,
  SurvivalSubjectsOptions,
} from '../survival-types.js';
import type {
  ChurnFeatureColumns,
  ChurnFeatureOptions,
  ChurnRateHistoryOptions,
  ChurnRateHistoryRow,
  ChurnScoreBatch,
  ChurnScoreQuery,
  StoredChurnScorePage,
} from '../churn-types.js';
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
import type { StoredPlanItemPage, StoredPlanPageQuery, StoredPlanSummary } from '../planning-stored-types.js';
import type {
  ChurnerAggregates,
  ChurnFlowAggregates,
  ChurnReportOptions,
  ReasonCode,
} from '../report-types.js';
import type { ApiRole, ApiToken, CreatedApiToken } from '../token-types.js';
import type { StoredJob } from '../job-types.js';
import type { CustomerDetail, CustomerList, CustomerListQuery } from '../customer-list-types.js';
import type {
  ClvDistribution,
  ClvPredictionBatch,
  ClvPredictionPage,
  ClvPredictionQuery,
} from '../clv-prediction-types.js';
import { chCustomerSummary } from './customer-summary.js';
import { chTransactionSeries } from './transaction-series.js';
import { chSubscriptionCohorts } from './subscription-cohorts.js';
import { chSurvivalCounts, chSurvivalSubjects, chCohortCounts } from './survival-data.js';
import { chRfm } from './rfm.js';
import { chCustomerValues } from './customer-values.js';
import {
  chLifecycleStages,
  chLifecycleCounts,
  chRecordLifecycleHistory,
  chLifecycleMix,
  chLifecycleTransitions,
} from './lifecycle.js';
import { chCustomerAlerts, chSaveGroupAlerts, chPreviousGroupAlerts, chAlertRuns } from './alerts.js';
import { chProductAlertStats } from './alerts-products.js';
import {
  chChurnFeatures,
  chStoredChurnProbabilities,
  chChurnRateHistory,
  chSaveChurnScores,
  chChurnScores,
} from './churn-features.js';
import { chGroupAlertStats } from './alerts-groups.js';
import { chDealerGrades } from './alerts-dealer.js';
import { chChurnFlow, chChurners } from './report-churn.js';
import { chReasonCodes, chSaveReasonCodes } from './report-reason-codes.js';
import { chPlanningCustomers } from './planning-value.js';
import { chSavePlan, chLoadPlan } from './planning-plans.js';
import { chStoredPlans, chStoredPlan, chStoredPlanItems } from './planning-stored.js';
import { chLostCustomers } from './planning-lost.js';
import {
  chCreateCampaign,
  chRecordCampaignOutcomes,
  chCampaignMembers,
  chCampaigns,
} from './campaign-members.js';
import { chSurveySummary } from './planning-survey.js';
import { chCreateApiToken, chListApiTokens, chRevokeApiToken, chVerifyApiToken } from './tokens.js';
import { chSaveJob, chStoredJobs } from './api-jobs.js';
import { chCustomerList, chCustomerDetail } from './customer-list.js';
import { chSaveClvPredictions, chClvPredictions, chClvDistribution } from './clv-predictions.js';

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

const FIT_COLUMNS = `fit_id, model, ${chIsoTime('fitted_at')} AS fitted_at, time_unit,
  toString(calibration_end) AS calibration_end, fingerprint`;

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

export class ClickHouseEngine implements Engine {
  readonly kind = 'clickhouse' as const;

  private constructor(
    readonly location: string,
    readonly conn: ChConnection,
  ) {}

  static async open(target: ClickHouseTarget): Promise<ClickHouseEngine> {
    const conn = await ChConnection.connect(target);
    const where = `${target.urls.map(safeUrl).join(',')} database ${target.database}`;
    return new ClickHouseEngine(target.cluster ? `${where} cluster ${target.cluster}` : where, conn);
  }

  /** A table by its workspace name (the Distributed one of a sharded table). */
  t(name: string): string {
    return this.conn.t(name);
  }

  async query(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    if (params && params.length > 0)
      throw new Error('ClickHouse queries take no parameters: use sql.ts literals');
    return this.conn.query(sql);
  }

  async count(table: string, where = ''): Promise<number> {
    const [r] = await this.conn.query(`SELECT count() AS n FROM ${this.t(table)} ${where}`);
    return Number(r?.n ?? 0);
  }

  async schemaVersion(): Promise<number> {
    const [exists] = await this.conn.query(
      `SELECT count() AS n FROM system.tables WHERE database = ${chString(this.conn.target.database)}
       AND name = 'schema_migrations'`,
    );
    if (Number(exists?.n) === 0) return 0;
    const [r] = await this.conn.query(`SELECT max(version) AS v FROM ${this.t('schema_migrations')}`);
    return Number(r?.v ?? 0);
  }

  async migrate(): Promise<MigrationResult> {
    const db = chIdent(this.conn.target.database);
    await this.conn.command(`CREATE TABLE IF NOT EXISTS ${this.t('schema_migrations')}
      (version Int32, name String, applied_at DateTime('UTC')) ENGINE = MergeTree() ORDER BY version`);
    const from = await this.schemaVersion();
    if (from >= CH_SCHEMA_VERSION) return { from, to: from, applied: [] };
    // every statement is IF NOT EXISTS: a migration cut off half-way is finished by the next run
    for (const table of CH_TABLES) {
      const { local, entry } = createTableStatements(db, table, this.conn.cluster);
      for (const s of local) await this.conn.commandOnShards(s);
      for (const s of entry) await this.conn.command(s);
    }

    if ((await this.count('reason_codes')) === 0) await this.saveReasonCodes(DEFAULT_REASON_CODES);
    await this.conn.command(`INSERT INTO ${this.t('schema_migrations')} VALUES
      (${CH_SCHEMA_VERSION}, 'workspace tables', now())`);
    return { from, to: CH_SCHEMA_VERSION, applied: [`${CH_SCHEMA_VERSION} workspace tables`] };
  }

  async info(): Promise<WorkspaceInfo> {
    const tables: TableInfo[] = [];
    for (const table of IMPORT_TABLES) {
      const col = DATE_COLUMNS[table];
      const range = col
        ? `if(count() = 0, NULL, toString(toDate(min(${chIdent(col)})))) AS f,
           if(count() = 0, NULL, toString(toDate(max(${chIdent(col)})))) AS t`
        : 'NULL AS f, NULL AS t';
      const [r] = await this.conn.query(`SELECT count() AS n, ${range} FROM ${this.t(table)}`);
      tables.push({
        table,
        rows: Number(r?.n ?? 0),
        from: (r?.f as string | null) ?? null,
        to: (r?.t as string | null) ?? null,
        dateColumn: col,
      });
    }

    return {
      engine: this.kind,
      location: this.location,
      schemaVersion: await this.schemaVersion(),
      tables,
      stubCustomers: await this.count('customers', 'WHERE is_stub = 1'),
      imports: await this.count('imports'),
    };
  }

  importFile(request: ImportRequest, progress: ProgressReporter = silentProgress): Promise<ImportResult> {
    return importIntoClickHouse(this, request, progress);
  }

  bulkLoadCsv(table: ImportTableName, columns: readonly string[], csvPath: string): Promise<number> {
    return bulkLoadIntoClickHouse(this, table, columns, csvPath);
  }

  async transactionRange(): Promise<{ count: number; first: string | null; last: string | null }> {
    const [r] = await this.conn
      .query(`SELECT count() AS n, if(count() = 0, NULL, toString(toDate(min(date)))) AS first,
      if(count() = 0, NULL, toString(toDate(max(date)))) AS last FROM ${this.t('transactions')}`);
    return {
      count: Number(r!.n),
      first: (r!.first as string | null) ?? null,
      last: (r!.last as string | null) ?? null,
    };
  }

  async lastTransactionDay(): Promise<string | null> {
    const [r] = await this.conn.query(
      `SELECT if(count() = 0, NULL, toString(toDate(max(date)))) AS d FROM ${this.t('transactions')}`,
    );
    return (r?.d as string | null) ?? null;
  }

  /**
   * Count and an order-independent sum of row hashes. Not equal to DuckDB's (other hash function): a
   * fingerprint is only compared within one workspace.
   */
  async transactionsFingerprint(): Promise<string> {
    const [r] = await this.conn.query(`SELECT count() AS n,
      toString(sum(cityHash64(customer_id, toUInt32(date), amount))) AS h FROM ${this.t('transactions')}`);
    return `${String(r!.n)}:${String(r!.h)}`;
  }

  async saveModelFit(fit: Omit<StoredModelFit, 'fitId' | 'fittedAt'>): Promise<StoredModelFit> {
    const [next] = await this.conn.query(
      `SELECT max(fit_id) + 1 AS id, count() AS n FROM ${this.t('model_fits')}`,
    );
    const fitId = Number(next!.n) === 0 ? 1 : Number(next!.id);
    await this.conn
      .command(`INSERT INTO ${this.t('model_fits')} VALUES (${chNumber(fitId)}, ${chString(fit.model)},
      now(), ${fit.timeUnit === null ? 'NULL' : chString(fit.timeUnit)},
      ${fit.calibrationEnd === null ? 'NULL' : chDate(fit.calibrationEnd)}, ${chString(fit.fingerprint)},
      ${chString(JSON.stringify(fit.document))})`);
    return (await this.loadModelFit(fit.model, fitId))!;
  }

  async loadModelFit(model: string, fitId?: number): Promise<StoredModelFit | null> {
    const rows = await this.conn.query(
      `SELECT ${FIT_COLUMNS}, document FROM ${this.t('model_fits')}
       WHERE model = ${chString(model)} ${fitId === undefined ? '' : `AND fit_id = ${chNumber(fitId)}`}
       ORDER BY fit_id DESC LIMIT 1`,
    );
    const r = rows[0];
    return r ? { ...toStoredFit(r), document: JSON.parse(String(r.document)) as unknown } : null;
  }

  async listModelFits(model?: string): Promise<Omit<StoredModelFit, 'document'>[]> {
    const rows = await this.conn.query(
      `SELECT ${FIT_COLUMNS} FROM ${this.t('model_fits')}
       ${model === undefined ? '' : `WHERE model = ${chString(model)}`} ORDER BY fit_id DESC`,
    );
    return rows.map(toStoredFit);
  }

  /** Remove every row from the data tables and everything derived from them (keeps reason codes). */
  async clearData(): Promise<void> {
    for (const table of CH_TABLES) {
      if (['reason_codes', 'api_tokens', 'api_jobs'].includes(table.name)) continue;
      if (SHARDED.has(table.name))
        await this.conn.commandOnShards(`TRUNCATE TABLE ${this.conn.local(table.name)}`);
      else await this.conn.command(`TRUNCATE TABLE ${this.t(table.name)}`);
    }
  }

  customerSummary(options: SummaryOptions): Promise<CustomerSummary> {
    return chCustomerSummary(this, options);
  }

  transactionSeries(options: TransactionSeriesOptions): Promise<TransactionSeries> {
    return chTransactionSeries(this, options);
  }

  subscriptionCohorts(options: SubscriptionCohortOptions): Promise<SubscriptionCohorts> {
    return chSubscriptionCohorts(this, options);
  }

  survivalCounts(options: SurvivalCountsOptions): Promise<SurvivalCounts> {
    return chSurvivalCounts(this, options);
  }

  survivalSubjects(options: SurvivalSubjectsOptions): Promise<SurvivalSubjects> {
    return chSurvivalSubjects(this, options);
  }

  cohortCounts(options: CohortCountsOptions): Promise<CohortCounts> {
    return chCohortCounts(this, options);
  }

  rfm(options: RfmOptions): Promise<RfmResult> {
    return chRfm(this, options);
  }

  customerValues(options: CustomerValueOptions): Promise<CustomerValues> {
    return chCustomerValues(this, options);
  }

  lifecycleStages(options: LifecycleOptions): Promise<LifecycleStages> {
    return chLifecycleStages(this, options);
  }

  lifecycleCounts(options: LifecycleOptions): Promise<LifecycleCount[]> {
    return chLifecycleCounts(this, options);
  }

  recordLifecycleHistory(
    monthEnds: readonly string[],
    options: Omit<LifecycleOptions, 'asOf'>,
    onMonth?: (done: number) => void,
  ): Promise<number> {
    return chRecordLifecycleHistory(this, monthEnds, options, onMonth);
  }

  lifecycleMix(model: LifecycleModel): Promise<LifecycleHistoryRow[]> {
    return chLifecycleMix(this, model);
  }

  lifecycleTransitions(model: LifecycleModel, from: string, to: string): Promise<LifecycleTransition[]> {
    return chLifecycleTransitions(this, model, from, to);
  }

  customerAlerts(options: CustomerAlertOptions): Promise<CustomerAlertResult> {
    return chCustomerAlerts(this, options);
  }

  productAlertStats(options: ProductAlertStatsOptions): Promise<GroupAlertStats> {
    return chProductAlertStats(this, options);
  }

  churnFeatures(options: ChurnFeatureOptions): Promise<ChurnFeatureColumns> {
    return chChurnFeatures(this, options);
  }

  storedChurnProbabilities(
    asOf?: string,
  ): Promise<{ asOf: string | null; horizons: { horizonDays: number; probabilities: Float64Array }[] }> {
    return chStoredChurnProbabilities(this, asOf);
  }

  churnRateHistory(options: ChurnRateHistoryOptions): Promise<ChurnRateHistoryRow[]> {
    return chChurnRateHistory(this, options);
  }

  saveChurnScores(batch: ChurnScoreBatch): Promise<void> {
    return chSaveChurnScores(this, batch);
  }

  churnScores(options: ChurnScoreQuery): Promise<StoredChurnScorePage> {
    return chChurnScores(this, options);
  }

  groupAlertStats(options: GroupAlertStatsOptions): Promise<GroupAlertStats> {
    return chGroupAlertStats(this, options);
  }

  saveGroupAlerts(asOf: string, alerts: readonly StoredGroupAlert[]): Promise<void> {
    return chSaveGroupAlerts(this, asOf, alerts);
  }

  previousGroupAlerts(asOf: string): Promise<{ asOf: string; alerts: StoredGroupAlert[] } | null> {
    return chPreviousGroupAlerts(this, asOf);
  }

  alertRuns(): Promise<AlertRun[]> {
    return chAlertRuns(this);
  }

  dealerGrades(options: DealerGradeOptions): Promise<DealerGradeResult> {
    return chDealerGrades(this, options);
  }

  churnFlow(options: ChurnReportOptions): Promise<ChurnFlowAggregates> {
    return chChurnFlow(this, options);
  }

  churners(options: ChurnReportOptions): Promise<ChurnerAggregates> {
    return chChurners(this, options);
  }

  reasonCodes(): Promise<ReasonCode[]> {
    return chReasonCodes(this);
  }

  saveReasonCodes(codes: readonly ReasonCode[]): Promise<void> {
    return chSaveReasonCodes(this, codes);
  }

  planningCustomers(options: PlanningCustomerOptions): Promise<PlanningCustomers> {
    return chPlanningCustomers(this, options);
  }

  savePlan(plan: StoredPlanInput): Promise<string> {
    return chSavePlan(this, plan);
  }

  loadPlan(planId?: string, kind?: 'retention' | 'winback'): Promise<StoredPlan | null> {
    return chLoadPlan(this, planId, kind);
  }

  storedPlans(): Promise<StoredPlanSummary[]> {
    return chStoredPlans(this);
  }

  storedPlan(planId: string): Promise<StoredPlanSummary | null> {
    return chStoredPlan(this, planId);
  }

  storedPlanItems(planId: string, page: StoredPlanPageQuery): Promise<StoredPlanItemPage> {
    return chStoredPlanItems(this, planId, page);
  }

  lostCustomers(options: LostCustomerOptions): Promise<LostCustomers> {
    return chLostCustomers(this, options);
  }

  createCampaign(input: CampaignCreateInput): Promise<void> {
    return chCreateCampaign(this, input);
  }

  recordCampaignOutcomes(
    campaignId: string,
    rows: readonly CampaignOutcomeRow[],
  ): Promise<CampaignOutcomeImport> {
    return chRecordCampaignOutcomes(this, campaignId, rows);
  }

  campaignMembers(campaignId: string, query: CampaignMemberQuery): Promise<CampaignMembers> {
    return chCampaignMembers(this, campaignId, query);
  }

  campaigns(): Promise<CampaignListRow[]> {
    return chCampaigns(this);
  }

  surveySummary(options: SurveySummaryOptions): Promise<SurveySummary> {
    return chSurveySummary(this, options);
  }

  createApiToken(name: string, role: ApiRole): Promise<CreatedApiToken> {
    return chCreateApiToken(this, name, role);
  }

  listApiTokens(): Promise<ApiToken[]> {
    return chListApiTokens(this);
  }

  revokeApiToken(id: string): Promise<boolean> {
    return chRevokeApiToken(this, id);
  }

  verifyApiToken(token: string): Promise<ApiToken | null> {
    return chVerifyApiToken(this, token);
  }

  saveJob(job: StoredJob): Promise<void> {
    return chSaveJob(this, job);
  }

  storedJobs(limit: number): Promise<StoredJob[]> {
    return chStoredJobs(this, limit);
  }

  customerList(query: CustomerListQuery): Promise<CustomerList> {
    return chCustomerList(this, query);
  }

  customerDetail(customerId: string): Promise<CustomerDetail | null> {
    return chCustomerDetail(this, customerId);
  }

  saveClvPredictions(batch: ClvPredictionBatch): Promise<void> {
    return chSaveClvPredictions(this, batch);
  }

  clvPredictions(query: ClvPredictionQuery): Promise<ClvPredictionPage> {
    return chClvPredictions(this, query);
  }

  clvDistribution(bins?: number): Promise<ClvDistribution | null> {
    return chClvDistribution(this, bins);
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}
