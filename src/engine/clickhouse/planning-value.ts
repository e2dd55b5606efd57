/**
 * The per-customer risk x value join of retention planning, in ClickHouse: every customer with a stored
 * churn score of the day and horizon, their probability, their value (from a CLV model's per-customer
 * values, else the 90-day run rate) and a grouping attribute.
 *
 * The join runs on every shard (the query starts from the Distributed `churn_scores`; its JOIN subqueries
 * read the shard's own customers and transactions, 18.16 allowing one JOIN per SELECT, so they nest).
 * The model values are matched in Node while the rows are read: they are per customer anyway, and the
 * shards have no copy of a table made on the entry server.
 */
import type { PlanningCustomerOptions, PlanningCustomers } from '../planning-types.js';
import { PLAN_GROUP_ATTRIBUTES } from '../planning-types.js';
import { UserError } from '../../util/errors.js';
import { checkIsoDate } from '../../util/dates.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chDate, chIdent, chNumber } from './sql.js';

export async function chPlanningCustomers(
  engine: ClickHouseEngine,
  options: PlanningCustomerOptions,
): Promise<PlanningCustomers> {
  checkIsoDate('--as-of', options.asOf);
  const groupBy = options.groupBy ?? 'segment';
  if (!(PLAN_GROUP_ATTRIBUTES as readonly string[]).includes(groupBy))
    throw new UserError(`--by must be one of ${PLAN_GROUP_ATTRIBUTES.join(', ')}, not "${groupBy}"`);
  const scores = engine.t('churn_scores');
  const [latest] = await engine.conn.query(
    `SELECT if(count() = 0, NULL, toString(max(as_of))) AS d FROM ${scores}`,
  );
  const asOf = options.asOf ?? ((latest?.d as string | null) || null);
  if (asOf === null)
    throw new UserError(
      'no stored churn scores: run `retain churn train --save FILE` and `retain churn score --model FILE` first',
    );
  const day = chDate(asOf);
  const horizons = await engine.conn.query(
    `SELECT DISTINCT horizon_days AS h FROM ${scores} WHERE as_of = ${day} ORDER BY h`,
  );
  const H = options.horizonDays;
  if (!horizons.some((r) => Number(r.h) === H))
    throw new UserError(
      horizons.length === 0
        ? `no churn scores stored for ${asOf}: run \`retain churn score --model FILE --as-of ${asOf}\``
        : `no churn scores for a ${H}-day horizon on ${asOf} (stored: ${horizons.map((r) => `${String(r.h)} days`).join(', ')}); use --horizon, or train and score that horizon with \`retain churn train --horizon ${H}\``,
    );
  const scored = `as_of = ${day} AND horizon_days = ${chNumber(H)}`;
  const models = await engine.conn.query(
    `SELECT DISTINCT model FROM ${scores} WHERE ${scored} ORDER BY model`,
  );
  const rows = await engine.conn.rowBinary(
    `SELECT customer_id, probability, toFloat64(ifNull(run_rate, 0)), ifNull(grp, '(missing)')
     FROM ${scores} ANY LEFT JOIN (
       SELECT customer_id, grp, run_rate FROM (
         SELECT customer_id, ifNull(nullIf(${chIdent(groupBy)}, ''), '(missing)') AS grp FROM ${engine.t('customers')})
       ANY LEFT JOIN (
         SELECT customer_id, sum(amount - ifNull(cost, 0)) * 365.0 / 90 AS run_rate FROM ${engine.t('transactions')}
         WHERE toDate(date) <= ${day} AND toDate(date) >= ${day} - 89 GROUP BY customer_id)
       USING customer_id)
     USING customer_id
     WHERE ${scored} ORDER BY customer_id`,
    ['String', 'Float64', 'Float64', 'String'],
  );
  const modelValue = new Map<string, number>();
  const values = options.values ?? null;
  if (values)
    values.customerIds.forEach((id, i) => {
      const v = values.values[i]!;
      if (Number.isFinite(v)) modelValue.set(id, v);
    });
  const n = rows.length;
  const customerIds: string[] = new Array<string>(n);
  const probability = new Float64Array(n);
  const value = new Float64Array(n);
  const fromModel = new Uint8Array(n);
  const group: string[] = new Array<string>(n);
  rows.forEach(([id, p, runRate, g], i) => {
    customerIds[i] = id as string;
    probability[i] = p as number;
    const v = modelValue.get(id as string);
    value[i] = v ?? (runRate as number);
    fromModel[i] = v === undefined ? 0 : 1;
    group[i] = g as string;
  });
  return {
    asOf,
    horizonDays: H,
    scoreModels: models.map((r) => String(r.model)),
    customerIds,
    probability,
    value,
    fromModel,
    group,
  };
}
