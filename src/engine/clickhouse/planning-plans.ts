/**
 * Stored retention and win-back plans (`plans`, `plan_items`, entry tables) in ClickHouse. There are no
 * transactions: a plan's items are written before its `plans` row, so that no reader ever sees a plan
 * without its customers. Plan ids are `P<n>`, numbered as on DuckDB (`toInt64OrZero` stands in for
 * DuckDB's TRY_CAST). `created_at` has whole seconds: plans saved within one second are told apart by their
 * number, as on DuckDB. Items go in as RowBinary: 18.16's text formats parse some doubles one unit in the last
 * place off, and a plan's items must read back as they were computed.
 */
import type { StoredPlan, StoredPlanInput, StoredPlanItem } from '../planning-types.js';
import { checkIsoDate } from '../../util/dates.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chDate, chNumber, chString } from './sql.js';
import { chIsoTime } from './records.js';
import { insertRowBinary } from './row-binary-insert.js';

/** The number of a plan id `P<n>` (0 when it is not one): the tie-break of plans saved in one second. */
export const PLAN_NUMBER = 'toInt64OrZero(substring(plan_id, 2))';

export async function chSavePlan(engine: ClickHouseEngine, plan: StoredPlanInput): Promise<string> {
  checkIsoDate('--as-of', plan.asOf);
  const [next] = await engine.conn.query(`SELECT max(${PLAN_NUMBER}) + 1 AS n FROM ${engine.t('plans')}`);
  const planId = `P${String(Math.max(1, Number(next?.n ?? 1)))}`;
  const items = plan.items;
  const floats = (pick: (item: StoredPlanItem) => number) => Float64Array.from(items, pick);
  await insertRowBinary(
    engine,
    engine.t('plan_items'),
    ['plan_id', 'customer_id', 'action', 'cost', 'probability', 'value', 'expected_saved'],
    [
      { type: 'String', values: items.map(() => planId) },
      { type: 'String', values: items.map((i) => i.customerId) },
      { type: 'String', values: items.map((i) => i.action) },
      { type: 'Float64', values: floats((i) => i.cost) },
      { type: 'Float64', values: floats((i) => i.probability) },
      { type: 'Float64', values: floats((i) => i.value) },
      { type: 'Float64', values: floats((i) => i.expectedSaved) },
    ],
    items.length,
  );
  await engine.conn.command(
    `INSERT INTO ${engine.t('plans')} (plan_id, kind, created_at, as_of, budget, document)
     VALUES (${chString(planId)}, ${chString(plan.kind)}, now(), ${chDate(plan.asOf)}, ${chNumber(plan.budget)},
       ${chString(JSON.stringify(plan.document))})`,
  );
  return planId;
}

/** A stored plan by id, or the newest (of a kind); null when there is none. */
export async function chLoadPlan(
  engine: ClickHouseEngine,
  planId?: string,
  kind?: 'retention' | 'winback',
): Promise<StoredPlan | null> {
  const where: string[] = [];
  if (planId !== undefined) where.push(`plan_id = ${chString(planId)}`);
  if (kind !== undefined) where.push(`kind = ${chString(kind)}`);
  const [r] = await engine.conn.query(
    `SELECT plan_id, kind, ${chIsoTime('created_at')} AS created, toString(as_of) AS day, budget, document
     FROM ${engine.t('plans')} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY created_at DESC, ${PLAN_NUMBER} DESC LIMIT 1`,
  );
  if (!r) return null;
  const rows = await engine.conn.rowBinary(
    `SELECT customer_id, action, cost, probability, value, expected_saved FROM ${engine.t('plan_items')}
     WHERE plan_id = ${chString(String(r.plan_id))} ORDER BY customer_id`,
    ['String', 'String', 'Float64', 'Float64', 'Float64', 'Float64'],
  );
  return {
    planId: String(r.plan_id),
    kind: String(r.kind) as 'retention' | 'winback',
    createdAt: String(r.created),
    asOf: String(r.day),
    budget: Number(r.budget),
    document: JSON.parse(String(r.document)) as unknown,
    items: rows.map(([customerId, action, cost, probability, value, expectedSaved]) => ({
      customerId: customerId as string,
      action: action as string,
      cost: cost as number,
      probability: probability as number,
      value: value as number,
      expectedSaved: expectedSaved as number,
    })),
  };
}
