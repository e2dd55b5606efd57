/**
 * The lost-customer database in ClickHouse (as duckdb/planning-lost.ts, which documents the rules): per
 * customer their latest churn event up to the as-of day, the reason, contact details, win-back attempts
 * since leaving, the latest attempt's outcome, the date of return and the annual value before leaving.
 *
 * The per-customer part (latest event, return, value, attributes) runs on every shard: the query starts
 * from the Distributed `churn_events` and its JOIN subqueries, nested because 18.16 allows one JOIN per
 * SELECT, read the shard's own tables. 18.16 has no window functions: the latest event is an `argMin`
 * over (day descending, row key ascending; row keys are decimal text, so their number order is length
 * then text). Win-back attempts come from contacts (sharded, `GLOBAL IN` the entry table of win-back
 * campaigns: a GLOBAL IN nested in a JOIN subquery is not sent to the shards) and campaign members (entry
 * tables), so they are matched to the lost customers in Node; email and phone are read from the
 * attributes JSON in Node too (18.16 has no JSONExtract; as DuckDB's json_extract_string).
 */
import type { LostCustomer, LostCustomerOptions, LostCustomers } from '../planning-types.js';
import { WINBACK_FAILURE_WORDS, WINBACK_SUCCESS_WORDS } from '../planning-types.js';
import { UserError } from '../../util/errors.js';
import { checkIsoDate } from '../../util/dates.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chDate } from './sql.js';

const DAY_MS = 86_400_000;
const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** `json_extract_string(attributes, '$.<key>')`: text of a string, JSON of anything else, null when absent. */
function attribute(json: unknown, key: string): string | null {
  if (typeof json !== 'string') return null;
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return null;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return null;
  const v = (doc as Record<string, unknown>)[key];
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

interface Attempt {
  readonly day: number;
  readonly date: string;
  readonly outcome: string | null;
}

export async function chLostCustomers(
  engine: ClickHouseEngine,
  options: LostCustomerOptions,
): Promise<LostCustomers> {
  checkIsoDate('--as-of', options.asOf);
  checkIsoDate('--since', options.since);
  const window = options.attemptWindowDays ?? 180;
  if (!(Number.isInteger(window) && window > 0))
    throw new UserError('the attempt window must be a whole number of days > 0');
  const ce = engine.t('churn_events');
  const [range] = await engine.conn.query(
    `SELECT toString(greatest(greatest((SELECT max(date) FROM ${ce}),
         (SELECT toDate(max(date)) FROM ${engine.t('transactions')})),
         (SELECT max(start_date) FROM ${engine.t('subscriptions')}))) AS last,
       (SELECT count() FROM ${ce}) AS churn, (SELECT count() FROM ${engine.t('subscriptions')}) AS subs`,
  );
  if (Number(range!.churn) === 0)
    throw new UserError(
      'the workspace has no churn events: import churn records (`retain import churn_events FILE`)',
    );
  const asOf = options.asOf ?? String(range!.last);
  const A = chDate(asOf);
  const left = `date <= ${A}${options.since === undefined ? '' : ` AND date >= ${chDate(options.since)}`}`;
  const latest = `SELECT customer_id, max(date) AS churn_date FROM ${ce} WHERE ${left} GROUP BY customer_id`;
  const returns =
    Number(range!.subs) > 0
      ? `SELECT customer_id, start_date AS d FROM ${engine.t('subscriptions')} WHERE start_date <= ${A}`
      : `SELECT customer_id, toDate(date) AS d FROM ${engine.t('transactions')} WHERE toDate(date) <= ${A}`;
  const returned = `SELECT customer_id, min(d) AS returned FROM (
      SELECT customer_id, d, churn_date FROM (${returns}) ALL INNER JOIN (${latest}) USING customer_id)
    WHERE d > churn_date GROUP BY customer_id`;
  const valueBefore = `SELECT customer_id, sum(amount - ifNull(cost, 0)) AS margin,
      dateDiff('day', min(toDate(date)), any(churn_date)) + 1 AS days FROM (
      SELECT customer_id, date, amount, cost, churn_date FROM ${engine.t('transactions')}
      ALL INNER JOIN (${latest}) USING customer_id)
    WHERE toDate(date) <= churn_date AND toDate(date) >= churn_date - 364 GROUP BY customer_id`;
  const perCustomer = `SELECT customer_id, attributes, returned, margin, days FROM (
      SELECT customer_id, attributes, returned FROM (
        SELECT customer_id, returned FROM (SELECT DISTINCT customer_id FROM ${ce} WHERE ${left})
        ANY LEFT JOIN (${returned}) USING customer_id)
      ANY LEFT JOIN (SELECT customer_id, attributes FROM ${engine.t('customers')}) USING customer_id)
    ANY LEFT JOIN (${valueBefore}) USING customer_id`;
  const rows = await engine.conn.query(
    `SELECT customer_id, toString(churn_day) AS churn_date, tupleElement(ev, 1) AS reason_code,
       tupleElement(ev, 2) AS type, tupleElement(ev, 3) AS note, attributes, toString(returned) AS returned_on,
       margin, days FROM (
       SELECT customer_id, max(date) AS churn_day,
         argMin(tuple(reason_code, type, note), tuple(-toInt64(date), length(row_key), row_key)) AS ev,
         any(attributes) AS attributes, any(returned) AS returned, any(margin) AS margin, any(days) AS days
       FROM ${ce} ANY LEFT JOIN (${perCustomer}) USING customer_id
       WHERE ${left} GROUP BY customer_id)
     ORDER BY customer_id`,
  );
  const reasons = new Map(
    (
      await engine.conn.query(`SELECT code, reason FROM ${engine.t('reason_codes')} FINAL WHERE deleted = 0`)
    ).map((r) => [String(r.code), String(r.reason)]),
  );
  const winback = `SELECT campaign_id FROM ${engine.t('campaigns')} WHERE kind = 'winback'`;
  const attemptRows = [
    ...(await engine.conn.query(
      `SELECT customer_id, toString(date) AS d, lowerUTF8(outcome) AS outcome FROM ${engine.t('contacts')}
       WHERE group = 'treatment' AND date <= ${A} AND campaign_id GLOBAL IN (${winback})`,
    )),
    ...(await engine.conn.query(
      `SELECT customer_id, toString(assigned_on) AS d, outcome FROM ${engine.t('campaign_members')}
       ANY LEFT JOIN (
         SELECT campaign_id, customer_id, outcome FROM ${engine.t('campaign_outcomes')} FINAL WHERE deleted = 0)
       USING (campaign_id, customer_id)
       WHERE group = 'treatment' AND assigned_on <= ${A} AND campaign_id IN (${winback})`,
    )),
  ];
  const attempts = new Map<string, Attempt[]>();
  for (const r of attemptRows) {
    const id = String(r.customer_id);
    const list = attempts.get(id) ?? [];
    list.push({ day: dayNumber(String(r.d)), date: String(r.d), outcome: text(r.outcome) });
    attempts.set(id, list);
  }
  const success = new Set<string>(WINBACK_SUCCESS_WORDS);
  const failure = new Set<string>(WINBACK_FAILURE_WORDS);
  const asOfDay = dayNumber(asOf);
  const stats = new Map<string, { attempts: number; successes: number }>();
  const customers: LostCustomer[] = rows.map((r) => {
    const customerId = String(r.customer_id);
    const churnDate = String(r.churn_date);
    const returnedOn = text(r.returned_on);
    const back = returnedOn === null ? null : dayNumber(returnedOn);
    const since = (attempts.get(customerId) ?? []).filter((a) => a.day >= dayNumber(churnDate));
    let known = 0;
    let successes = 0;
    let last: Attempt | null = null;
    let lastWithOutcome: Attempt | null = null;
    for (const a of since) {
      const result =
        a.outcome !== null && success.has(a.outcome)
          ? 1
          : a.outcome !== null && failure.has(a.outcome)
            ? 0
            : back !== null && back >= a.day && back <= a.day + window
              ? 1
              : a.day + window <= asOfDay
                ? 0
                : null;
      if (result !== null) {
        known++;
        successes += result;
      }
      if (last === null || a.day > last.day) last = a;
      if (a.outcome !== null && (lastWithOutcome === null || a.day > lastWithOutcome.day))
        lastWithOutcome = a;
    }
    const reasonCode = text(r.reason_code);
    if (known > 0) {
      const s = stats.get(reasonCode ?? '') ?? { attempts: 0, successes: 0 };
      stats.set(reasonCode ?? '', { attempts: s.attempts + known, successes: s.successes + successes });
    }
    const margin = r.margin === null || r.margin === undefined ? null : Number(r.margin);
    const days = Number(r.days);
    return {
      customerId,
      churnDate,
      reasonCode,
      reason: reasonCode === null ? null : (reasons.get(reasonCode) ?? null),
      type: text(r.type),
      note: text(r.note),
      email: attribute(r.attributes, 'email'),
      phone: attribute(r.attributes, 'phone'),
      attempts: since.length,
      lastAttempt: last?.date ?? null,
      lastOutcome: lastWithOutcome?.outcome ?? null,
      returnedOn,
      annualValue: margin === null ? 0 : (margin * 365.0) / Math.min(365, Math.max(30, days)),
    };
  });
  const byte = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    asOf,
    customers,
    attemptStats: [...stats.entries()]
      .sort(([a], [b]) => byte(a, b))
      .map(([reasonCode, s]) => ({ reasonCode, ...s })),
  };
}
