/**
 * The per-customer risk x value join of retention planning, in DuckDB SQL: every customer with a stored
 * churn score of the day and horizon, their probability, their value (from a CLV model's per-customer
 * values, appended into a scratch table, else the 90-day run rate) and a grouping attribute.
 */
import type { PlanningCustomerOptions, PlanningCustomers } from '../planning-types.js';
import { PLAN_GROUP_ATTRIBUTES } from '../planning-types.js';
import { UserError } from '../../util/errors.js';
import { checkIsoDate } from '../../util/dates.js';
import { quoteIdent } from '../sql.js';
import type { DuckDbEngine } from './duckdb-engine.js';
import { readColumns } from './read-columns.js';

const VALUES_TABLE = 'retain_plan_values';

export async function duckDbPlanningCustomers(
  engine: DuckDbEngine,
  options: PlanningCustomerOptions,
): Promise<PlanningCustomers> {
  checkIsoDate('--as-of', options.asOf);
  const groupBy = options.groupBy ?? 'segment';
  if (!(PLAN_GROUP_ATTRIBUTES as readonly string[]).includes(groupBy))
    throw new UserError(`--by must be one of ${PLAN_GROUP_ATTRIBUTES.join(', ')}, not "${groupBy}"`);
  const [latest] = await engine.query(`SELECT strftime(max(as_of), '%Y-%m-%d') AS d FROM churn_scores`);
  const asOf = options.asOf ?? ((latest?.d as string | null) || null);
  if (asOf === null)
    throw new UserError(
      'no stored churn scores: run `retain churn train --save FILE` and `retain churn score --model FILE` first',
    );
  const horizons = await engine.query(
    `SELECT DISTINCT horizon_days AS h FROM churn_scores WHERE as_of = CAST($1 AS DATE) ORDER BY 1`,
    [asOf],
  );
  const H = options.horizonDays;
  if (!horizons.some((r) => Number(r.h) === H))
    throw new UserError(
      horizons.length === 0
        ? `no churn scores stored for ${asOf}: run \`retain churn score --model FILE --as-of ${asOf}\``
        : `no churn scores for a ${H}-day horizon on ${asOf} (stored: ${horizons.map((r) => `${String(r.h)} days`).join(', ')}); use --horizon, or train and score that horizon with \`retain churn train --horizon ${H}\``,
    );
  const models = await engine.query(
    `SELECT DISTINCT model FROM churn_scores WHERE as_of = CAST($1 AS DATE) AND horizon_days = $2 ORDER BY 1`,
    [asOf, H],
  );
  const values = options.values ?? null;
  try {
    if (values) {
      await engine.run(`DROP TABLE IF EXISTS ${VALUES_TABLE}`);
      await engine.run(`CREATE TABLE ${VALUES_TABLE} (customer_id VARCHAR, "value" DOUBLE)`);
      const appender = await engine.connection.createAppender(VALUES_TABLE);
      for (let i = 0; i < values.customerIds.length; i++) {
        const v = values.values[i]!;
        if (!Number.isFinite(v)) continue;
        appender.appendVarchar(values.customerIds[i]!);
        appender.appendDouble(v);
        appender.endRow();
      }
      appender.closeSync();
    }
    const cols = await readColumns(
      engine.connection,
      `WITH s AS (
         SELECT customer_id, probability FROM churn_scores WHERE as_of = CAST($1 AS DATE) AND horizon_days = $2),
       r AS (
         SELECT customer_id, sum(amount - coalesce(cost, 0)) * 365.0 / 90 AS v FROM transactions
         WHERE "date" < CAST($1 AS DATE) + INTERVAL 1 DAY AND "date" >= CAST($1 AS DATE) - INTERVAL 89 DAY
         GROUP BY customer_id)
       SELECT s.customer_id, s.probability::DOUBLE,
         coalesce(${values ? 'm."value", ' : ''}r.v, 0)::DOUBLE,
         ${values ? 'CAST(m."value" IS NOT NULL AS DOUBLE)' : '0::DOUBLE'},
         coalesce(nullif(CAST(c.${quoteIdent(groupBy)} AS VARCHAR), ''), '(missing)')
       FROM s ${values ? `LEFT JOIN ${VALUES_TABLE} m ON m.customer_id = s.customer_id` : ''}
         LEFT JOIN r ON r.customer_id = s.customer_id
         LEFT JOIN customers c ON c.customer_id = s.customer_id
       ORDER BY s.customer_id`,
      { customerIds: 'string', probability: 'f64', value: 'f64', fromModel: 'f64', group: 'string' } as const,
      [asOf, H],
    );
    return {
      asOf,
      horizonDays: H,
      scoreModels: models.map((r) => String(r.model)),
      customerIds: cols.customerIds,
      probability: cols.probability,
      value: cols.value,
      fromModel: Uint8Array.from(cols.fromModel),
      group: cols.group,
    };
  } finally {
    if (values) await engine.run(`DROP TABLE IF EXISTS ${VALUES_TABLE}`);
  }
}
