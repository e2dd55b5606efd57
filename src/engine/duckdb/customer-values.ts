/** Per-customer value measures in DuckDB SQL (every customer of `customers`, zeros without purchases). */
import type { CustomerValueOptions, CustomerValues } from '../customer-value-types.js';
import { UserError } from '../../util/errors.js';
import { customerValueWindow } from '../rfm-options.js';
import type { DuckDbEngine } from './duckdb-engine.js';
import { readColumns } from './read-columns.js';

export async function duckDbCustomerValues(
  engine: DuckDbEngine,
  options: CustomerValueOptions,
): Promise<CustomerValues> {
  const windowDays = customerValueWindow(options);
  const [range] = await engine.query(`SELECT strftime(max("date"), '%Y-%m-%d') AS last, count(*) AS n,
    count(cost) AS costs FROM transactions`);
  if (Number(range?.n ?? 0) === 0)
    throw new UserError('the workspace has no transactions: import some first');
  const asOf = options.asOf ?? String(range!.last);
  const cols = await readColumns(
    engine.connection,
    `WITH w AS (
       SELECT customer_id, CAST("date" AS DATE) AS d, amount, coalesce(cost, 0) AS cost FROM transactions
       WHERE "date" < CAST($1 AS DATE) + INTERVAL 1 DAY
         AND "date" >= CAST($1 AS DATE) - INTERVAL ${windowDays} DAY + INTERVAL 1 DAY),
     v AS (
       SELECT customer_id, sum(amount) AS revenue, sum(amount - cost) AS profit, count(DISTINCT d) AS frequency,
         sum(amount) FILTER (WHERE d > CAST($1 AS DATE) - INTERVAL 90 DAY) AS recent,
         count(DISTINCT date_trunc('month', d)) AS months
       FROM w GROUP BY customer_id)
     SELECT c.customer_id, coalesce(revenue, 0)::DOUBLE, coalesce(profit, 0)::DOUBLE, coalesce(frequency, 0)::DOUBLE,
       CASE WHEN frequency > 0 THEN revenue / frequency ELSE 0 END::DOUBLE, coalesce(recent, 0)::DOUBLE,
       CASE WHEN months > 0 THEN revenue / months ELSE 0 END::DOUBLE
     FROM customers c LEFT JOIN v USING (customer_id) ORDER BY c.customer_id`,
    {
      customerIds: 'string',
      revenue: 'f64',
      profit: 'f64',
      frequency: 'f64',
      averageOrderValue: 'f64',
      recentRevenue: 'f64',
      monthlyRevenue: 'f64',
    } as const,
    [asOf],
  );
  return { asOf, windowDays, ...cols, hasCost: Number(range!.costs) > 0 };
}
