/**
 * Stored CLV predictions in DuckDB: the latest run's per-customer rows (`clv_predictions`, replaced on each
 * save) and one row of totals per run (`clv_prediction_runs`, kept for the trend). Pages, totals and the
 * histogram are computed here in SQL, so a million customers never leave the engine.
 */
import {
  CLV_HISTOGRAM_BINS,
  type ClvDistribution,
  type ClvPredictionBatch,
  type ClvPredictionPage,
  type ClvPredictionQuery,
  type ClvPredictionSource,
} from '../clv-prediction-types.js';
import type { Row } from '../engine.js';
import { checkPaging } from '../churn-options.js';
import { checkClvBins, clvBatchColumns, clvBinWidth, clvHistogramBins } from '../clv-histogram.js';
import type { DuckDbEngine } from './duckdb-engine.js';

const RUN_COLUMNS = `run_id, strftime(saved_at, '%Y-%m-%dT%H:%M:%SZ') AS saved_at, model, fit_id, spend_model,
  spend_fit_id, time_unit, strftime(calibration_end, '%Y-%m-%d') AS calibration_end, horizon, discount_rate,
  margin, customers, clv`;

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toSource(r: Row): ClvPredictionSource {
  return {
    savedAt: String(r.saved_at),
    model: String(r.model),
    fitId: numOrNull(r.fit_id),
    spendModel: String(r.spend_model),
    spendFitId: numOrNull(r.spend_fit_id),
    timeUnit: String(r.time_unit),
    calibrationEnd: String(r.calibration_end),
    horizon: Number(r.horizon),
    discountRate: Number(r.discount_rate),
    margin: Number(r.margin),
  };
}

/** Replace the stored per-customer predictions with this run's and record its totals. */
export async function duckDbSaveClvPredictions(
  engine: DuckDbEngine,
  batch: ClvPredictionBatch,
): Promise<void> {
  const { n, columns } = clvBatchColumns(batch);
  const s = batch.source;
  await engine.transaction(async () => {
    await engine.run('DELETE FROM clv_predictions');
    const appender = await engine.connection.createAppender('clv_predictions');
    for (let i = 0; i < n; i++) {
      appender.appendVarchar(batch.customerIds[i]!);
      for (const c of columns) appender.appendDouble(c[i]!);
      appender.endRow();
    }
    appender.closeSync();
    const [next] = await engine.query(`SELECT coalesce(max(run_id), 0) + 1 AS id FROM clv_prediction_runs`);
    await engine.run(
      `INSERT INTO clv_prediction_runs
       SELECT $1, now()::TIMESTAMP, $2, $3, $4, $5, $6, CAST($7 AS DATE), $8, $9, $10, count(*), coalesce(sum(clv), 0)
       FROM clv_predictions`,
      [
        Number(next!.id),
        s.model,
        s.fitId,
        s.spendModel,
        s.spendFitId,
        s.timeUnit,
        s.calibrationEnd,
        s.horizon,
        s.discountRate,
        s.margin,
      ],
    );
  });
}

async function latestSource(engine: DuckDbEngine): Promise<ClvPredictionSource | null> {
  const [r] = await engine.query(
    `SELECT ${RUN_COLUMNS} FROM clv_prediction_runs ORDER BY run_id DESC LIMIT 1`,
  );
  return r ? toSource(r) : null;
}

/** A page of the stored predictions, highest CLV first (ties by customer id). */
export async function duckDbClvPredictions(
  engine: DuckDbEngine,
  query: ClvPredictionQuery,
): Promise<ClvPredictionPage> {
  const { limit, offset } = checkPaging(query.limit, query.offset, 50);
  const source = await latestSource(engine);
  if (!source) return { source: null, total: 0, predictions: [] };
  const search = query.search?.trim() ?? '';
  const where = search ? `WHERE contains(lower(customer_id), lower($1))` : '';
  const params = search ? [search] : [];
  const [count] = await engine.query(`SELECT count(*) AS n FROM clv_predictions ${where}`, params);
  const rows = await engine.query(
    `SELECT * FROM clv_predictions ${where} ORDER BY clv DESC, customer_id LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  return {
    source,
    total: Number(count?.n ?? 0),
    predictions: rows.map((r) => ({
      customerId: String(r.customer_id),
      x: Number(r.x),
      tx: Number(r.t_x),
      T: Number(r.T),
      probabilityAlive: Number(r.probability_alive),
      expectedTransactions: Number(r.expected_transactions),
      expectedSpend: Number(r.expected_spend),
      clv: Number(r.clv),
    })),
  };
}

/** Totals, the CLV histogram and the history of runs; null when nothing is stored. */
export async function duckDbClvDistribution(
  engine: DuckDbEngine,
  bins = CLV_HISTOGRAM_BINS,
): Promise<ClvDistribution | null> {
  checkClvBins(bins);
  const source = await latestSource(engine);
  if (!source) return null;
  const [t] = await engine.query(
    `SELECT count(*) AS customers, coalesce(sum(clv), 0) AS clv, coalesce(avg(clv), 0) AS mean,
       coalesce(median(clv), 0) AS median, coalesce(sum(expected_transactions), 0) AS expected,
       coalesce(avg(probability_alive), 0) AS alive, min(clv) AS lo, quantile_cont(clv, 0.99) AS hi,
       max(clv) AS top
     FROM clv_predictions`,
  );
  const customers = Number(t!.customers);
  let histogram: ReturnType<typeof clvHistogramBins> = [];
  if (customers > 0) {
    const lo = Number(t!.lo);
    const hi = Number(t!.hi);
    const top = Number(t!.top);
    // equal-width bins up to the 99th percentile; bin `bins` holds the top 1 % (when it is above)
    const width = clvBinWidth(lo, hi, bins);
    const rows = await engine.query(
      `SELECT CASE WHEN $2 = 0 THEN 0 ELSE least(floor((clv - $1) / $2), $3)::INTEGER END AS bin,
         count(*) AS customers, sum(clv) AS clv
       FROM clv_predictions GROUP BY bin ORDER BY bin`,
      [lo, width, bins],
    );
    const counted = new Map(
      rows.map((r) => [Number(r.bin), { customers: Number(r.customers), clv: Number(r.clv) }]),
    );
    histogram = clvHistogramBins(lo, hi, top, bins, counted);
  }
  const history = await engine.query(`SELECT ${RUN_COLUMNS} FROM clv_prediction_runs ORDER BY run_id`);
  return {
    source,
    totals: {
      customers,
      clv: Number(t!.clv),
      mean: Number(t!.mean),
      median: Number(t!.median),
      expectedTransactions: Number(t!.expected),
      shareAlive: Number(t!.alive),
    },
    histogram,
    history: history.map((r) => ({ ...toSource(r), customers: Number(r.customers), clv: Number(r.clv) })),
  };
}
