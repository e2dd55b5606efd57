/**
 * Stored CLV predictions in ClickHouse: the latest run's per-customer rows (`clv_predictions`, sharded,
 * replaced on each save) and one row of totals per run (`clv_prediction_runs`, entry table). Pages, totals
 * and the histogram are computed in ClickHouse; the histogram's shape is shared with DuckDB
 * (clv-histogram.ts).
 *
 * 18.16 pitfalls worked around: no transactions, so a save truncates every shard's table, inserts, then
 * records the run from what was stored; rows go in as RowBinary (the text formats' float parser can be one
 * ulp off, and the histogram's bins depend on exact values); `quantileExact` does not interpolate as
 * DuckDB's median / quantile_cont do, so the order statistics around each position are read from the
 * sorted values and interpolated here; no `ILIKE`/`contains`: the search is `position` on `lowerUTF8`.
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
import {
  checkClvBins,
  clvBatchColumns,
  clvBinWidth,
  clvHistogramBins,
  interpolatedQuantile,
  quantilePositions,
} from '../clv-histogram.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { insertRowBinary } from './row-binary-insert.js';
import { chIsoTime } from './records.js';
import { chDate, chNumber, chString } from './sql.js';

const RUN_COLUMNS = `run_id, ${chIsoTime('saved_at')} AS saved_at, model, fit_id, spend_model, spend_fit_id,
  time_unit, toString(calibration_end) AS calibration_end, horizon, discount_rate, margin, customers, clv`;

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const numOrNullSql = (v: number | null): string => (v === null ? 'NULL' : chNumber(v));

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
export async function chSaveClvPredictions(
  engine: ClickHouseEngine,
  batch: ClvPredictionBatch,
): Promise<void> {
  const { n, columns } = clvBatchColumns(batch);
  const s = batch.source;
  await engine.conn.commandOnShards(`TRUNCATE TABLE ${engine.conn.local('clv_predictions')}`);
  await insertRowBinary(
    engine,
    engine.t('clv_predictions'),
    ['customer_id', 'x', 't_x', 'T', 'probability_alive', 'expected_transactions', 'expected_spend', 'clv'],
    [
      { type: 'String', values: batch.customerIds },
      ...columns.map((values) => ({ type: 'Float64' as const, values })),
    ],
    n,
  );
  const [next] = await engine.conn.query(
    `SELECT max(run_id) + 1 AS id, count() AS n FROM ${engine.t('clv_prediction_runs')}`,
  );
  const runId = Number(next!.n) === 0 ? 1 : Number(next!.id);
  await engine.conn.command(
    `INSERT INTO ${engine.t('clv_prediction_runs')}
     SELECT ${chNumber(runId)}, now(), ${chString(s.model)}, ${numOrNullSql(s.fitId)}, ${chString(s.spendModel)},
       ${numOrNullSql(s.spendFitId)}, ${chString(s.timeUnit)}, ${chDate(s.calibrationEnd)}, ${chNumber(s.horizon)},
       ${chNumber(s.discountRate)}, ${chNumber(s.margin)}, count(), sum(clv)
     FROM ${engine.t('clv_predictions')}`,
  );
}

async function latestSource(engine: ClickHouseEngine): Promise<ClvPredictionSource | null> {
  const [r] = await engine.conn.query(
    `SELECT ${RUN_COLUMNS} FROM ${engine.t('clv_prediction_runs')} ORDER BY run_id DESC LIMIT 1`,
  );
  return r ? toSource(r) : null;
}

/** A page of the stored predictions, highest CLV first (ties by customer id). */
export async function chClvPredictions(
  engine: ClickHouseEngine,
  query: ClvPredictionQuery,
): Promise<ClvPredictionPage> {
  const { limit, offset } = checkPaging(query.limit, query.offset, 50);
  const source = await latestSource(engine);
  if (!source) return { source: null, total: 0, predictions: [] };
  const search = query.search?.trim() ?? '';
  const where = search ? `WHERE position(lowerUTF8(customer_id), lowerUTF8(${chString(search)})) > 0` : '';
  const table = engine.t('clv_predictions');
  const [[count], rows] = await Promise.all([
    engine.conn.query(`SELECT count() AS n FROM ${table} ${where}`),
    engine.conn.rowBinary(
      `SELECT customer_id, x, t_x, T, probability_alive, expected_transactions, expected_spend, clv
       FROM ${table} ${where} ORDER BY clv DESC, customer_id LIMIT ${chNumber(offset)}, ${chNumber(limit)}`,
      ['String', 'Float64', 'Float64', 'Float64', 'Float64', 'Float64', 'Float64', 'Float64'],
    ),
  ]);
  return {
    source,
    total: Number(count?.n ?? 0),
    predictions: rows.map((r) => ({
      customerId: r[0] as string,
      x: r[1] as number,
      tx: r[2] as number,
      T: r[3] as number,
      probabilityAlive: r[4] as number,
      expectedTransactions: r[5] as number,
      expectedSpend: r[6] as number,
      clv: r[7] as number,
    })),
  };
}

/** Totals, the CLV histogram and the history of runs; null when nothing is stored. */
export async function chClvDistribution(
  engine: ClickHouseEngine,
  bins = CLV_HISTOGRAM_BINS,
): Promise<ClvDistribution | null> {
  checkClvBins(bins);
  const source = await latestSource(engine);
  if (!source) return null;
  const table = engine.t('clv_predictions');
  const [t] = await engine.conn.query(
    // aliases never reuse a column's name: 18.16 would read the alias inside the other aggregates
    `SELECT count() AS customers, sum(clv) AS total_clv, if(count() = 0, 0, avg(clv)) AS mean,
       sum(expected_transactions) AS expected, if(count() = 0, 0, avg(probability_alive)) AS alive,
       min(clv) AS lo, max(clv) AS top
     FROM ${table}`,
  );
  const customers = Number(t!.customers);
  let median = 0;
  let histogram: ReturnType<typeof clvHistogramBins> = [];
  if (customers > 0) {
    // the order statistics DuckDB's median and quantile_cont(0.99) interpolate between, read exactly
    const positions = [...quantilePositions(customers, 0.5), ...quantilePositions(customers, 0.99)];
    const [sorted] = await engine.conn.rowBinary(
      `SELECT ${positions.map((p) => `sorted[${chNumber(p + 1)}]`).join(', ')}
       FROM (SELECT arraySort(groupArray(clv)) AS sorted FROM ${table})`,
      positions.map(() => 'Float64' as const),
    );
    const value = new Map(positions.map((p, i) => [p, sorted![i] as number]));
    const at = (i: number): number => value.get(i)!;
    median = interpolatedQuantile(customers, 0.5, at);
    const lo = Number(t!.lo);
    const hi = interpolatedQuantile(customers, 0.99, at);
    const top = Number(t!.top);
    const width = clvBinWidth(lo, hi, bins);
    const rows = await engine.conn.rowBinary(
      `SELECT toInt32(${width === 0 ? '0' : `least(floor((clv - ${chNumber(lo)}) / ${chNumber(width)}), ${chNumber(bins)})`}) AS bin,
         count() AS bin_customers, sum(clv) AS bin_clv
       FROM ${table} GROUP BY bin ORDER BY bin`,
      ['Int32', 'UInt64', 'Float64'],
    );
    const counted = new Map(
      rows.map((r) => [r[0] as number, { customers: r[1] as number, clv: r[2] as number }]),
    );
    histogram = clvHistogramBins(lo, hi, top, bins, counted);
  }
  const history = await engine.conn.query(
    `SELECT ${RUN_COLUMNS} FROM ${engine.t('clv_prediction_runs')} ORDER BY run_id`,
  );
  return {
    source,
    totals: {
      customers,
      clv: Number(t!.total_clv),
      mean: Number(t!.mean),
      median,
      expectedTransactions: Number(t!.expected),
      shareAlive: Number(t!.alive),
    },
    histogram,
    history: history.map((r) => ({ ...toSource(r), customers: Number(r.customers), clv: Number(r.clv) })),
  };
}
