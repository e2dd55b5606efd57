/**
 * DuckDB schema migrations, applied in order and recorded in `schema_migrations`. Never edit a released
 * migration: add a new one. Tables hold no foreign keys (DuckDB's are slow to load and block stubs);
 * imports keep references whole by creating stub customers.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

export const DUCKDB_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'workspace tables',
    statements: [
      `CREATE TABLE customers (
        customer_id VARCHAR PRIMARY KEY, signup_date DATE, region VARCHAR, channel VARCHAR, plan VARCHAR,
        segment VARCHAR, gender VARCHAR, age INTEGER, acquisition_cost DOUBLE, attributes JSON,
        is_stub BOOLEAN NOT NULL DEFAULT false, import_id INTEGER)`,
      `CREATE TABLE transactions (
        row_key UHUGEINT NOT NULL, transaction_id VARCHAR, customer_id VARCHAR NOT NULL, "date" TIMESTAMP NOT NULL,
        amount DOUBLE NOT NULL, cost DOUBLE, quantity DOUBLE, product VARCHAR, category VARCHAR,
        kind VARCHAR NOT NULL DEFAULT 'purchase', import_id INTEGER)`,
      `CREATE TABLE subscriptions (
        row_key UHUGEINT NOT NULL, subscription_id VARCHAR, customer_id VARCHAR NOT NULL, start_date DATE NOT NULL,
        end_date DATE, plan VARCHAR, monthly_fee DOUBLE, import_id INTEGER)`,
      `CREATE TABLE churn_events (
        row_key UHUGEINT NOT NULL, customer_id VARCHAR NOT NULL, "date" DATE NOT NULL, reason_code VARCHAR,
        "type" VARCHAR, note VARCHAR, import_id INTEGER)`,
      `CREATE TABLE interactions (
        row_key UHUGEINT NOT NULL, customer_id VARCHAR NOT NULL, "date" TIMESTAMP NOT NULL, kind VARCHAR NOT NULL,
        metric VARCHAR, "value" DOUBLE, note VARCHAR, import_id INTEGER)`,
      `CREATE TABLE campaigns (
        campaign_id VARCHAR PRIMARY KEY, "name" VARCHAR, kind VARCHAR, start_date DATE, end_date DATE,
        offer VARCHAR, cost_per_contact DOUBLE, import_id INTEGER)`,
      `CREATE TABLE contacts (
        row_key UHUGEINT NOT NULL, contact_id VARCHAR, campaign_id VARCHAR NOT NULL, customer_id VARCHAR NOT NULL,
        "date" DATE NOT NULL, "group" VARCHAR NOT NULL DEFAULT 'treatment', offer VARCHAR, outcome VARCHAR,
        cost DOUBLE, import_id INTEGER)`,
      `CREATE TABLE reason_codes (
        code VARCHAR PRIMARY KEY, reason VARCHAR NOT NULL, reason_zh VARCHAR, "type" VARCHAR NOT NULL,
        family VARCHAR NOT NULL)`,
      `CREATE TABLE imports (
        import_id INTEGER PRIMARY KEY, table_name VARCHAR NOT NULL, file VARCHAR NOT NULL, format VARCHAR NOT NULL,
        rows_read BIGINT NOT NULL, rows_inserted BIGINT NOT NULL, rows_updated BIGINT NOT NULL,
        rows_duplicate BIGINT NOT NULL, rows_rejected BIGINT NOT NULL, stub_customers BIGINT NOT NULL,
        imported_at TIMESTAMP NOT NULL)`,
    ],
  },
  {
    version: 2,
    name: 'fitted models',
    statements: [
      `CREATE TABLE model_fits (
        fit_id INTEGER PRIMARY KEY, model VARCHAR NOT NULL, fitted_at TIMESTAMP NOT NULL,
        time_unit VARCHAR, calibration_end DATE, fingerprint VARCHAR NOT NULL, document JSON NOT NULL)`,
    ],
  },
  {
    version: 3,
    name: 'lifecycle history',
    statements: [
      `CREATE TABLE lifecycle_history (
        month_end DATE NOT NULL, customer_id VARCHAR NOT NULL, state VARCHAR NOT NULL, four_stage VARCHAR NOT NULL,
        five_stage VARCHAR NOT NULL)`,
    ],
  },
  {
    version: 4,
    name: 'alerts history',
    statements: [
      `CREATE TABLE alert_runs (
        as_of DATE NOT NULL, saved_at TIMESTAMP NOT NULL, rules_hash VARCHAR NOT NULL, rules JSON NOT NULL,
        customers BIGINT NOT NULL)`,
      `CREATE TABLE customer_alerts (
        as_of DATE NOT NULL, customer_id VARCHAR NOT NULL, level VARCHAR NOT NULL, severity INTEGER NOT NULL,
        recency INTEGER NOT NULL, f_down DOUBLE, m_down DOUBLE, fired INTEGER NOT NULL)`,
      `CREATE TABLE group_alerts (
        as_of DATE NOT NULL, dimension VARCHAR NOT NULL, "group" VARCHAR NOT NULL, metric VARCHAR NOT NULL,
        "current" DOUBLE NOT NULL, baseline DOUBLE NOT NULL, change_percent DOUBLE, z DOUBLE NOT NULL)`,
    ],
  },
  {
    version: 5,
    name: 'churn scores',
    statements: [
      `CREATE TABLE churn_scores (
        as_of DATE NOT NULL, customer_id VARCHAR NOT NULL, horizon_days INTEGER NOT NULL, probability DOUBLE NOT NULL,
        reasons VARCHAR NOT NULL, model VARCHAR NOT NULL)`,
    ],
  },
  {
    version: 6,
    name: 'retention plans and campaigns',
    statements: [
      `CREATE TABLE plans (
        plan_id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, as_of DATE NOT NULL,
        budget DOUBLE NOT NULL, document JSON NOT NULL)`,
      `CREATE TABLE plan_items (
        plan_id VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, action VARCHAR NOT NULL, cost DOUBLE NOT NULL,
        probability DOUBLE NOT NULL, "value" DOUBLE NOT NULL, expected_saved DOUBLE NOT NULL)`,
      `CREATE TABLE campaign_designs (
        campaign_id VARCHAR PRIMARY KEY, plan_id VARCHAR, holdout DOUBLE NOT NULL, seed INTEGER NOT NULL,
        created_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE campaign_members (
        campaign_id VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, "group" VARCHAR NOT NULL, action VARCHAR NOT NULL,
        cost DOUBLE NOT NULL, probability DOUBLE NOT NULL, "value" DOUBLE NOT NULL, expected_saved DOUBLE NOT NULL,
        assigned_on DATE NOT NULL)`,
      `CREATE TABLE campaign_outcomes (
        campaign_id VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, outcome VARCHAR NOT NULL, "value" DOUBLE,
        "date" DATE NOT NULL, recorded_at TIMESTAMP NOT NULL)`,
    ],
  },
  {
    version: 7,
    name: 'api tokens',
    statements: [
      `CREATE TABLE api_tokens (
        token_id VARCHAR PRIMARY KEY, "name" VARCHAR NOT NULL, "role" VARCHAR NOT NULL,
        token_hash VARCHAR NOT NULL UNIQUE, created_at TIMESTAMP NOT NULL, last_used_at TIMESTAMP,
        revoked_at TIMESTAMP)`,
    ],
  },
  {
    version: 8,
    name: 'clv predictions',
    statements: [
      `CREATE TABLE clv_predictions (
        customer_id VARCHAR NOT NULL, x DOUBLE NOT NULL, t_x DOUBLE NOT NULL, "T" DOUBLE NOT NULL,
        probability_alive DOUBLE NOT NULL, expected_transactions DOUBLE NOT NULL, expected_spend DOUBLE NOT NULL,
        clv DOUBLE NOT NULL)`,
      `CREATE TABLE clv_prediction_runs (
        run_id INTEGER PRIMARY KEY, saved_at TIMESTAMP NOT NULL, model VARCHAR NOT NULL, fit_id INTEGER,
        spend_model VARCHAR NOT NULL, spend_fit_id INTEGER, time_unit VARCHAR NOT NULL, calibration_end DATE NOT NULL,
        horizon INTEGER NOT NULL, discount_rate DOUBLE NOT NULL, margin DOUBLE NOT NULL, customers BIGINT NOT NULL,
        clv DOUBLE NOT NULL)`,
    ],
  },
  {
    version: 9,
    name: 'api jobs',
    statements: [
      // timestamps as ISO text: the server writes and reads them back exactly as it shows them
      `CREATE TABLE api_jobs (
        job_id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, status VARCHAR NOT NULL, created_by VARCHAR NOT NULL,
        created_at VARCHAR NOT NULL, started_at VARCHAR, finished_at VARCHAR, params JSON, result JSON, error JSON)`,
    ],
  },
  {
    version: 10,
    name: 'lifecycle value tiers',
    statements: [
      // the value-tier thresholds of each recorded month end, so that one customer's view reads them
      `CREATE TABLE lifecycle_tiers (month_end DATE PRIMARY KEY, high DOUBLE, medium DOUBLE)`,
    ],
  },
];
