/**
 * Stored churn scores in ClickHouse (`churn_scores`, sharded by customer, partitioned by (as_of,
 * horizon_days)): save a batch, page through a day's scores, read every probability of a day.
 *
 * 18.16 pitfalls worked around: `ALTER DELETE` is asynchronous, so a day and horizon is replaced by
 * dropping its partition on every shard (synchronous; a missing partition is no error) before inserting
 * through the Distributed table; rows go in as RowBinary so that probabilities are stored bit for bit
 * (the text formats' float parser can be one ulp off); `max` of no rows is 1970-01-01, not NULL, so the
 * latest day is taken only when there are rows.
 */
import type { ChurnScoreBatch, ChurnScoreQuery, StoredChurnScorePage } from '../churn-types.js';
import { checkPaging } from '../churn-options.js';
import { checkIsoDate } from '../../util/dates.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { insertRowBinary } from './row-binary-insert.js';
import { chDate, chNumber, chString } from './sql.js';

/** Replace the stored scores of the batch's as-of day and horizon with the batch. */
export async function chSaveChurnScores(engine: ClickHouseEngine, batch: ChurnScoreBatch): Promise<void> {
  checkIsoDate('--as-of', batch.asOf);
  const n = batch.customerIds.length;
  if (batch.probabilities.length !== n || batch.reasons.length !== n)
    throw new Error('saveChurnScores: columns differ in length');
  if (!Number.isInteger(batch.horizonDays)) throw new Error('saveChurnScores: the horizon is not whole');
  await engine.conn.commandOnShards(
    `ALTER TABLE ${engine.conn.local('churn_scores')}
     DROP PARTITION (${chDate(batch.asOf)}, ${chNumber(batch.horizonDays)})`,
  );
  await insertRowBinary(
    engine,
    engine.t('churn_scores'),
    ['as_of', 'customer_id', 'horizon_days', 'probability', 'reasons', 'model'],
    [
      { type: 'Date', values: new Array<string>(n).fill(batch.asOf) },
      { type: 'String', values: batch.customerIds },
      { type: 'Int32', values: new Int32Array(n).fill(batch.horizonDays) },
      { type: 'Float64', values: batch.probabilities },
      { type: 'String', values: batch.reasons },
      { type: 'String', values: new Array<string>(n).fill(batch.model) },
    ],
    n,
  );
}

/** The given day, or the latest day with stored scores; null when nothing is stored. */
async function scoresDay(engine: ClickHouseEngine, asOf: string | undefined): Promise<string | null> {
  if (asOf !== undefined) {
    checkIsoDate('--as-of', asOf);
    return asOf;
  }
  const [r] = await engine.conn.query(
    `SELECT count() AS n, toString(max(as_of)) AS d FROM ${engine.t('churn_scores')}`,
  );
  return Number(r?.n ?? 0) === 0 ? null : String(r!.d);
}

/** Stored scores of a day (default: the latest stored day), highest probability first. */
export async function chChurnScores(
  engine: ClickHouseEngine,
  options: ChurnScoreQuery,
): Promise<StoredChurnScorePage> {
  const asOf = await scoresDay(engine, options.asOf);
  if (asOf === null) return { asOf: null, total: 0, scores: [] };
  let where = `as_of = ${chDate(asOf)}`;
  if (options.horizonDays !== undefined) where += ` AND horizon_days = ${chNumber(options.horizonDays)}`;
  if (options.customerId !== undefined) where += ` AND customer_id = ${chString(options.customerId)}`;
  const { limit, offset } = checkPaging(options.limit, options.offset, 100);
  const table = engine.t('churn_scores');
  const [[count], rows] = await Promise.all([
    engine.conn.query(`SELECT count() AS n FROM ${table} WHERE ${where}`),
    engine.conn.rowBinary(
      `SELECT customer_id, horizon_days, probability, reasons FROM ${table} WHERE ${where}
       ORDER BY probability DESC, customer_id, horizon_days LIMIT ${chNumber(offset)}, ${chNumber(limit)}`,
      ['String', 'Int32', 'Float64', 'String'],
    ),
  ]);
  return {
    asOf,
    total: Number(count?.n ?? 0),
    scores: rows.map(([customerId, horizonDays, probability, reasons]) => ({
      customerId: customerId as string,
      horizonDays: horizonDays as number,
      probability: probability as number,
      reasons: reasons as string,
    })),
  };
}

/** Every stored probability of a day (default: the latest stored day), per horizon, by customer id. */
export async function chStoredChurnProbabilities(
  engine: ClickHouseEngine,
  asOf?: string,
): Promise<{ asOf: string | null; horizons: { horizonDays: number; probabilities: Float64Array }[] }> {
  const day = await scoresDay(engine, asOf);
  if (day === null) return { asOf: null, horizons: [] };
  const rows = await engine.conn.rowBinary(
    `SELECT horizon_days, probability FROM ${engine.t('churn_scores')} WHERE as_of = ${chDate(day)}
     ORDER BY horizon_days, customer_id`,
    ['Int32', 'Float64'],
  );
  const horizons: { horizonDays: number; probabilities: Float64Array }[] = [];
  let start = 0;
  for (let i = 1; i <= rows.length; i++)
    if (i === rows.length || rows[i]![0] !== rows[start]![0]) {
      horizons.push({
        horizonDays: rows[start]![0] as number,
        probabilities: Float64Array.from(rows.slice(start, i), (r) => r[1] as number),
      });
      start = i;
    }
  return { asOf: day, horizons };
}
