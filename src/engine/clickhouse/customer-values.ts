/**
 * Per-customer value measures on ClickHouse, the same as DuckDB's (duckdb/customer-values.ts): every
 * customer of `customers`, zeros without purchases in the window. One GROUP BY per customer over the
 * window's transactions (`-If` for the last 90 days, 18.16 has no FILTER clause) joined once to the
 * customers (co-sharded: the join runs on each shard; join_use_nulls makes missing values NULL).
 */
import type { CustomerValueOptions, CustomerValues } from '../customer-value-types.js';
import { customerValueWindow } from '../rfm-options.js';
import { addDays } from '../summary-window.js';
import { UserError } from '../../util/errors.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chDate } from './sql.js';
import { clampDay } from './rfm.js';

export async function chCustomerValues(
  engine: ClickHouseEngine,
  options: CustomerValueOptions,
): Promise<CustomerValues> {
  const windowDays = customerValueWindow(options);
  const transactions = engine.t('transactions');
  const [range] = await engine.conn.query(
    `SELECT toString(toDate(max(date))) AS last, count() AS n, count(cost) AS costs FROM ${transactions}`,
  );
  if (Number(range?.n ?? 0) === 0)
    throw new UserError('the workspace has no transactions: import some first');
  const asOf = options.asOf ?? String(range!.last);
  const from = chDate(clampDay(addDays(asOf, 1 - windowDays)));
  const recent = chDate(clampDay(addDays(asOf, -90)));
  const rows = await engine.conn.rowBinary(
    `SELECT customer_id, revenue, profit, frequency, if(frequency > 0, revenue / frequency, 0), recent,
       if(months > 0, revenue / months, 0)
     FROM (
       SELECT customer_id, ifNull(revenue, 0) AS revenue, ifNull(profit, 0) AS profit,
         toFloat64(ifNull(frequency, 0)) AS frequency, ifNull(recent, 0) AS recent, ifNull(months, 0) AS months
       FROM (SELECT customer_id FROM ${engine.t('customers')})
       ANY LEFT JOIN (
         SELECT customer_id, sum(amount) AS revenue, sum(amount - ifNull(cost, 0)) AS profit,
           uniqExact(toDate(date)) AS frequency, sumIf(amount, toDate(date) > ${recent}) AS recent,
           uniqExact(toStartOfMonth(toDate(date))) AS months
         FROM ${transactions}
         WHERE toDate(date) <= ${chDate(asOf)} AND toDate(date) >= ${from}
         GROUP BY customer_id) USING (customer_id))
     ORDER BY customer_id`,
    ['String', 'Float64', 'Float64', 'Float64', 'Float64', 'Float64', 'Float64'],
  );
  const column = (j: number) => Float64Array.from(rows, (r) => r[j] as number);
  return {
    asOf,
    windowDays,
    customerIds: rows.map((r) => r[0] as string),
    revenue: column(1),
    profit: column(2),
    frequency: column(3),
    averageOrderValue: column(4),
    recentRevenue: column(5),
    monthlyRevenue: column(6),
    hasCost: Number(range!.costs) > 0,
  };
}
