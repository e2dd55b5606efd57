/**
 * The ClickHouse schema of a workspace: the same tables as DuckDB's (duckdb/migrations.ts), in
 * ClickHouse types. Sharded tables (connection.ts SHARDED) get a MergeTree `<name>_local` on every shard and
 * a Distributed `<name>` on every server, sharded by `cityHash64(customer_id)`: ClickHouse 18.16 has no
 * `intHash32` of a String. Entry tables live on the entry server only.
 *
 * Types: text ids are String; optional fields Nullable; timestamps DateTime('UTC') (dates never shift with
 * the server's zone); 128-bit row keys as their decimal String (18.16 has no UInt128); JSON as String.
 * Mutable records (tokens, jobs, reason codes, outcomes, tiers) are ReplacingMergeTree tables read with
 * FINAL: a change is a new row with a higher `version`, a removal a row with `deleted = 1`. Derived
 * per-customer tables are partitioned by the day they describe, so that replacing a day is a synchronous
 * `DROP PARTITION` (18.16's `ALTER DELETE` runs in the background).
 *
 * ClickHouse's DateTime and Date start at 1970-01-01: imports refuse earlier dates (clickhouse/import.ts).
 */
export interface ChTable {
  readonly name: string;
  readonly sharded: boolean;
  readonly columns: string;
  /** Engine clause of the (local) table. */
  readonly engine: string;
}

const mergeTree = (orderBy: string, partitionBy = 'tuple()'): string =>
  `MergeTree() PARTITION BY ${partitionBy} ORDER BY ${orderBy}`;
const replacing = (orderBy: string): string => `ReplacingMergeTree(version) ORDER BY ${orderBy}`;

/** Version 1 holds everything of DuckDB's schema 10. Add versions, never edit a released one. */
export const CH_SCHEMA_VERSION = 1;

export const CH_TABLES: readonly ChTable[] = [
  {
    name: 'customers',
    sharded: true,
    columns: `customer_id String, signup_date Nullable(Date), region Nullable(String), channel Nullable(String),
      plan Nullable(String), segment Nullable(String), gender Nullable(String), age Nullable(Int32),
      acquisition_cost Nullable(Float64), attributes Nullable(String), is_stub UInt8, import_id Nullable(Int32)`,
    engine: mergeTree('customer_id'),
  },
  {
    name: 'transactions',
    sharded: true,
    columns: `row_key String, transaction_id Nullable(String), customer_id String, date DateTime('UTC'),
      amount Float64, cost Nullable(Float64), quantity Nullable(Float64), product Nullable(String),
      category Nullable(String), kind String, import_id Nullable(Int32)`,
    engine: mergeTree('(customer_id, date)'),
  },
  {
    name: 'subscriptions',
    sharded: true,
    columns: `row_key String, subscription_id Nullable(String), customer_id String, start_date Date,
      end_date Nullable(Date), plan Nullable(String), monthly_fee Nullable(Float64), import_id Nullable(Int32)`,
    engine: mergeTree('(customer_id, start_date)'),
  },
  {
    name: 'churn_events',
    sharded: true,
    columns: `row_key String, customer_id String, date Date, reason_code Nullable(String), type Nullable(String),
      note Nullable(String), import_id Nullable(Int32)`,
    engine: mergeTree('(customer_id, date)'),
  },
  {
    name: 'interactions',
    sharded: true,
    columns: `row_key String, customer_id String, date DateTime('UTC'), kind String, metric Nullable(String),
      value Nullable(Float64), note Nullable(String), import_id Nullable(Int32)`,
    engine: mergeTree('(customer_id, date)'),
  },
  {
    name: 'campaigns',
    sharded: false,
    columns: `campaign_id String, name Nullable(String), kind Nullable(String), start_date Nullable(Date),
      end_date Nullable(Date), offer Nullable(String), cost_per_contact Nullable(Float64), import_id Nullable(Int32)`,
    engine: mergeTree('campaign_id'),
  },
  {
    name: 'contacts',
    sharded: true,
    columns: `row_key String, contact_id Nullable(String), campaign_id String, customer_id String, date Date,
      group String, offer Nullable(String), outcome Nullable(String), cost Nullable(Float64),
      import_id Nullable(Int32)`,
    engine: mergeTree('(customer_id, campaign_id)'),
  },
  {
    name: 'reason_codes',
    sharded: false,
    columns: `code String, reason String, reason_zh Nullable(String), type String, family String,
      version UInt64, deleted UInt8`,
    engine: replacing('code'),
  },
  {
    name: 'imports',
    sharded: false,
    columns: `import_id Int32, table_name String, file String, format String, rows_read Int64,
      rows_inserted Int64, rows_updated Int64, rows_duplicate Int64, rows_rejected Int64, stub_customers Int64,
      imported_at DateTime('UTC')`,
    engine: mergeTree('import_id'),
  },
  {
    name: 'model_fits',
    sharded: false,
    columns: `fit_id Int32, model String, fitted_at DateTime('UTC'), time_unit Nullable(String),
      calibration_end Nullable(Date), fingerprint String, document String`,
    engine: mergeTree('fit_id'),
  },
  {
    name: 'lifecycle_history',
    sharded: true,
    columns: `month_end Date, customer_id String, state String, four_stage String, five_stage String`,
    engine: mergeTree('(month_end, customer_id)', 'month_end'),
  },
  {
    name: 'lifecycle_tiers',
    sharded: false,
    columns: `month_end Date, high Nullable(Float64), medium Nullable(Float64), version UInt64, deleted UInt8`,
    engine: replacing('month_end'),
  },
  {
    name: 'alert_runs',
    sharded: false,
    columns: `as_of Date, saved_at DateTime('UTC'), rules_hash String, rules String, customers Int64`,
    engine: mergeTree('(as_of, saved_at)'),
  },
  {
    name: 'customer_alerts',
    sharded: true,
    columns: `as_of Date, customer_id String, level String, severity Int32, recency Int32,
      f_down Nullable(Float64), m_down Nullable(Float64), fired Int32`,
    engine: mergeTree('(as_of, customer_id)', 'as_of'),
  },
  {
    name: 'group_alerts',
    sharded: false,
    columns: `as_of Date, dimension String, group String, metric String, current Float64, baseline Float64,
      change_percent Nullable(Float64), z Float64`,
    engine: mergeTree('(as_of, dimension, group, metric)', 'as_of'),
  },
  {
    name: 'churn_scores',
    sharded: true,
    columns: `as_of Date, customer_id String, horizon_days Int32, probability Float64, reasons String,
      model String`,
    engine: mergeTree('(as_of, horizon_days, customer_id)', '(as_of, horizon_days)'),
  },
  {
    name: 'plans',
    sharded: false,
    columns: `plan_id String, kind String, created_at DateTime('UTC'), as_of Date, budget Float64, document String`,
    engine: mergeTree('plan_id'),
  },
  {
    name: 'plan_items',
    sharded: false,
    columns: `plan_id String, customer_id String, action String, cost Float64, probability Float64,
      value Float64, expected_saved Float64`,
    engine: mergeTree('(plan_id, customer_id)'),
  },
  {
    name: 'campaign_designs',
    sharded: false,
    columns: `campaign_id String, plan_id Nullable(String), holdout Float64, seed Int32,
      created_at DateTime('UTC')`,
    engine: mergeTree('campaign_id'),
  },
  {
    name: 'campaign_members',
    sharded: false,
    columns: `campaign_id String, customer_id String, group String, action String, cost Float64,
      probability Float64, value Float64, expected_saved Float64, assigned_on Date`,
    engine: mergeTree('(campaign_id, customer_id)'),
  },
  {
    name: 'campaign_outcomes',
    sharded: false,
    columns: `campaign_id String, customer_id String, outcome String, value Nullable(Float64), date Date,
      recorded_at DateTime('UTC'), version UInt64, deleted UInt8`,
    engine: replacing('(campaign_id, customer_id)'),
  },
  {
    name: 'api_tokens',
    sharded: false,
    columns: `token_id String, name String, role String, token_hash String, created_at DateTime('UTC'),
      last_used_at Nullable(DateTime('UTC')), revoked_at Nullable(DateTime('UTC')), version UInt64, deleted UInt8`,
    engine: replacing('token_id'),
  },
  {
    name: 'clv_predictions',
    sharded: true,
    columns: `customer_id String, x Float64, t_x Float64, T Float64, probability_alive Float64,
      expected_transactions Float64, expected_spend Float64, clv Float64`,
    engine: mergeTree('customer_id'),
  },
  {
    name: 'clv_prediction_runs',
    sharded: false,
    columns: `run_id Int32, saved_at DateTime('UTC'), model String, fit_id Nullable(Int32), spend_model String,
      spend_fit_id Nullable(Int32), time_unit String, calibration_end Date, horizon Int32, discount_rate Float64,
      margin Float64, customers Int64, clv Float64`,
    engine: mergeTree('run_id'),
  },
  {
    name: 'api_jobs',
    sharded: false,
    columns: `job_id String, kind String, status String, created_by String, created_at String,
      started_at Nullable(String), finished_at Nullable(String), params Nullable(String), result Nullable(String),
      error Nullable(String), version UInt64, deleted UInt8`,
    engine: replacing('job_id'),
  },
];

export const CH_TABLE_BY_NAME = new Map(CH_TABLES.map((t) => [t.name, t]));

/** The statements creating one table: on a cluster, the local table and the Distributed one. */
export function createTableStatements(
  db: string,
  table: ChTable,
  cluster: string | null,
): { local: string[]; entry: string[] } {
  const q = (n: string): string => `${db}.\`${n}\``;
  if (!table.sharded)
    return {
      local: [],
      entry: [`CREATE TABLE IF NOT EXISTS ${q(table.name)} (${table.columns}) ENGINE = ${table.engine}`],
    };
  const local = `CREATE TABLE IF NOT EXISTS ${q(`${table.name}_local`)} (${table.columns}) ENGINE = ${table.engine}`;
  // one server: `<name>` is a view of the local table, so that hand-written queries read the same names
  if (cluster === null)
    return {
      local: [
        local,
        `CREATE VIEW IF NOT EXISTS ${q(table.name)} AS SELECT * FROM ${q(`${table.name}_local`)}`,
      ],
      entry: [],
    };
  return {
    local: [
      local,
      `CREATE TABLE IF NOT EXISTS ${q(table.name)} AS ${q(`${table.name}_local`)}
        ENGINE = Distributed(\`${cluster}\`, ${db}, \`${table.name}_local\`, cityHash64(customer_id))`,
    ],
    entry: [],
  };
}
