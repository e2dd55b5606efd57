/**
 * RFM on ClickHouse, the same as DuckDB's (duckdb/rfm.ts). ClickHouse computes each customer's recency,
 * purchase days and net amount in one GROUP BY over the shards (`-If` aggregates for the F/M window);
 * the scores are ranked in Node (rfm-scores.ts): the tie-sharing rank() over all customers needs a window
 * function, which 18.16 lacks, and a join back on value bins would join on computed Float64 sums.
 * Without per-customer rows only the summary leaves Node, but the rows still travel there to be ranked.
 *
 * Net amounts are summed in another order than DuckDB's and may differ from its sums in the last bits: a
 * tie (or non-tie) that only one engine's rounding makes could, rarely, move a customer across an M bin
 * boundary. Recency and frequency are integers and rank exactly.
 */
import type { RfmOptions, RfmResult } from '../rfm-types.js';
import { rfmSettings } from '../rfm-options.js';
import { addDays } from '../summary-window.js';
import { UserError } from '../../util/errors.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chDate } from './sql.js';
import { rfmBinEdges, rfmSegments, scoreRfm } from './rfm-scores.js';

/** ClickHouse dates start at 1970-01-01 (imports refuse earlier ones): a window reaching back further starts there. */
export const clampDay = (iso: string): string => (iso < '1970-01-01' ? '1970-01-01' : iso);

export async function chRfm(engine: ClickHouseEngine, options: RfmOptions): Promise<RfmResult> {
  const { bins, windowDays } = rfmSettings(options);
  const transactions = engine.t('transactions');
  const [range] = await engine.conn.query(
    `SELECT toString(toDate(max(date))) AS last, count() AS n FROM ${transactions}`,
  );
  if (Number(range?.n ?? 0) === 0)
    throw new UserError('the workspace has no transactions: import some first');
  const asOf = options.asOf ?? String(range!.last);
  const inWindow =
    windowDays === null ? '1' : `toDate(date) >= ${chDate(clampDay(addDays(asOf, 1 - windowDays)))}`;
  const rows = await engine.conn.rowBinary(
    `SELECT customer_id, toFloat64(dateDiff('day', toDate(max(date)), ${chDate(asOf)})),
       toFloat64(uniqExactIf(toDate(date), ${inWindow})), toFloat64(sumIf(amount, ${inWindow}))
     FROM ${transactions} WHERE toDate(date) <= ${chDate(asOf)}
     GROUP BY customer_id ORDER BY customer_id`,
    ['String', 'Float64', 'Float64', 'Float64'],
  );
  const scored = scoreRfm(
    {
      customerIds: rows.map((r) => r[0] as string),
      recency: Float64Array.from(rows, (r) => r[1] as number),
      frequency: Float64Array.from(rows, (r) => r[2] as number),
      monetary: Float64Array.from(rows, (r) => r[3] as number),
    },
    bins,
    options.cells,
  );
  // customers without a purchase, plus those whose cell the segment map lacks (not scored either)
  const [none] = await engine.conn.query(
    `SELECT count() AS n FROM ${engine.t('customers')} WHERE customer_id NOT IN
       (SELECT customer_id FROM ${transactions} WHERE toDate(date) <= ${chDate(asOf)})`,
  );
  return {
    asOf,
    bins,
    windowDays,
    customers: scored.customerIds.length,
    withoutPurchases: Number(none!.n) + (rows.length - scored.customerIds.length),
    segments: rfmSegments(scored),
    binEdges: {
      recency: rfmBinEdges(scored.recency, scored.rScore, 'max'),
      frequency: rfmBinEdges(scored.frequency, scored.fScore, 'min'),
      monetary: rfmBinEdges(scored.monetary, scored.mScore, 'min'),
    },
    perCustomer: options.perCustomer ? scored : null,
  };
}
