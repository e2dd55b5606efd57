/**
 * The lost-customer database in DuckDB SQL (DOMAIN 6): per customer their latest churn event up to the
 * as-of day A, the reason, contact details (customer attributes `email`, `phone`), win-back attempts since
 * leaving (treatment contacts of imported campaigns of kind `winback`, and treatment members of win-back
 * campaigns created here), the latest attempt's outcome, the date of return (the first subscription start
 * after leaving; without subscriptions, the first transaction after it) and the annual value before leaving:
 * net margin (revenue where no cost is recorded) of the 365 days up to the churn date, scaled to a year
 * for customers with us for less than that (at least 30 days assumed).
 *
 * Attempt results for learning the win-back rate: a recorded outcome that reads as a success or failure
 * (see `WINBACK_SUCCESS_WORDS`), else a return after the attempt and within the window counts as a
 * success, else an attempt older than the window as a failure; newer ones are pending (not counted).
 */
import type { LostCustomer, LostCustomerOptions, LostCustomers } from '../planning-types.js';
import { WINBACK_FAILURE_WORDS, WINBACK_SUCCESS_WORDS } from '../planning-types.js';
import { UserError } from '../../util/errors.js';
import { checkIsoDate } from '../../util/dates.js';
import { quoteString } from '../sql.js';
import type { DuckDbEngine } from './duckdb-engine.js';

const list = (words: readonly string[]) => words.map(quoteString).join(', ');

export async function duckDbLostCustomers(
  engine: DuckDbEngine,
  options: LostCustomerOptions,
): Promise<LostCustomers> {
  checkIsoDate('--as-of', options.asOf);
  checkIsoDate('--since', options.since);
  const window = options.attemptWindowDays ?? 180;
  if (!(Number.isInteger(window) && window > 0))
    throw new UserError('the attempt window must be a whole number of days > 0');
  const [range] = await engine.query(
    `SELECT strftime(greatest((SELECT max("date") FROM churn_events), (SELECT max(CAST("date" AS DATE)) FROM transactions),
       (SELECT max(start_date) FROM subscriptions)), '%Y-%m-%d') AS last,
       (SELECT count(*) FROM churn_events) AS churn, (SELECT count(*) FROM subscriptions) AS subs`,
  );
  if (Number(range!.churn) === 0)
    throw new UserError(
      'the workspace has no churn events: import churn records (`retain import churn_events FILE`)',
    );
  const asOf = options.asOf ?? String(range!.last);
  const params: unknown[] = [asOf];
  let since = '';
  if (options.since !== undefined) {
    params.push(options.since);
    since = `AND "date" >= CAST($2 AS DATE)`;
  }
  const returns =
    Number(range!.subs) > 0
      ? `SELECT customer_id, start_date AS d FROM subscriptions WHERE start_date <= CAST($1 AS DATE)`
      : `SELECT customer_id, CAST("date" AS DATE) AS d FROM transactions WHERE "date" < CAST($1 AS DATE) + INTERVAL 1 DAY`;
  await engine.run(`DROP TABLE IF EXISTS retain_lost`);
  await engine.run(
    `CREATE TEMP TABLE retain_lost AS
     WITH l AS (
       SELECT * EXCLUDE (rn) FROM (
         SELECT customer_id, "date", reason_code, "type", note,
           row_number() OVER (PARTITION BY customer_id ORDER BY "date" DESC, row_key) AS rn
         FROM churn_events WHERE "date" <= CAST($1 AS DATE) ${since})
       WHERE rn = 1),
     ret AS (
       SELECT l.customer_id, min(r.d) AS returned FROM l JOIN (${returns}) r
         ON r.customer_id = l.customer_id AND r.d > l."date" GROUP BY l.customer_id),
     att AS (
       SELECT c.customer_id, c."date" AS d, lower(c.outcome) AS outcome FROM contacts c
         JOIN campaigns k ON k.campaign_id = c.campaign_id AND k.kind = 'winback'
         WHERE c."group" = 'treatment' AND c."date" <= CAST($1 AS DATE)
       UNION ALL
       SELECT m.customer_id, m.assigned_on, o.outcome FROM campaign_members m
         JOIN campaigns k ON k.campaign_id = m.campaign_id AND k.kind = 'winback'
         LEFT JOIN campaign_outcomes o ON o.campaign_id = m.campaign_id AND o.customer_id = m.customer_id
         WHERE m."group" = 'treatment' AND m.assigned_on <= CAST($1 AS DATE)),
     a AS (
       SELECT l.customer_id, att.d, att.outcome,
         CASE WHEN att.outcome IN (${list(WINBACK_SUCCESS_WORDS)}) THEN 1
           WHEN att.outcome IN (${list(WINBACK_FAILURE_WORDS)}) THEN 0
           WHEN ret.returned IS NOT NULL AND ret.returned >= att.d AND ret.returned <= att.d + INTERVAL ${window} DAY THEN 1
           WHEN att.d + INTERVAL ${window} DAY <= CAST($1 AS DATE) THEN 0 END AS success
       FROM l JOIN att ON att.customer_id = l.customer_id AND att.d >= l."date"
         LEFT JOIN ret ON ret.customer_id = l.customer_id),
     aa AS (
       SELECT customer_id, count(*) AS attempts, max(d) AS last_attempt, arg_max(outcome, d) AS last_outcome,
         count(success) AS known, coalesce(sum(success), 0) AS successes FROM a GROUP BY customer_id),
     v AS (
       SELECT l.customer_id, sum(t.amount - coalesce(t.cost, 0)) AS margin,
         date_diff('day', min(CAST(t."date" AS DATE)), l."date") + 1 AS days
       FROM l JOIN transactions t ON t.customer_id = l.customer_id
         AND t."date" < l."date" + INTERVAL 1 DAY AND t."date" >= l."date" - INTERVAL 364 DAY
       GROUP BY l.customer_id, l."date")
     SELECT l.customer_id, strftime(l."date", '%Y-%m-%d') AS churn_date, l.reason_code, rc.reason, l."type", l.note,
       json_extract_string(c.attributes, '$.email') AS email, json_extract_string(c.attributes, '$.phone') AS phone,
       coalesce(aa.attempts, 0) AS attempts, strftime(aa.last_attempt, '%Y-%m-%d') AS last_attempt,
       aa.last_outcome, strftime(ret.returned, '%Y-%m-%d') AS returned_on,
       coalesce(v.margin * 365.0 / least(365, greatest(30, v.days)), 0)::DOUBLE AS annual_value,
       coalesce(aa.known, 0) AS known, coalesce(aa.successes, 0) AS successes
     FROM l LEFT JOIN reason_codes rc ON rc.code = l.reason_code
       LEFT JOIN customers c ON c.customer_id = l.customer_id
       LEFT JOIN aa ON aa.customer_id = l.customer_id LEFT JOIN ret ON ret.customer_id = l.customer_id
       LEFT JOIN v ON v.customer_id = l.customer_id`,
    params,
  );
  try {
    const rows = await engine.query(`SELECT * FROM retain_lost ORDER BY customer_id`);
    const stats = await engine.query(
      `SELECT coalesce(reason_code, '') AS code, sum(known) AS attempts, sum(successes) AS successes
       FROM retain_lost WHERE known > 0 GROUP BY 1 ORDER BY 1`,
    );
    const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
    const customers: LostCustomer[] = rows.map((r) => ({
      customerId: String(r.customer_id),
      churnDate: String(r.churn_date),
      reasonCode: text(r.reason_code),
      reason: text(r.reason),
      type: text(r.type),
      note: text(r.note),
      email: text(r.email),
      phone: text(r.phone),
      attempts: Number(r.attempts),
      lastAttempt: text(r.last_attempt),
      lastOutcome: text(r.last_outcome),
      returnedOn: text(r.returned_on),
      annualValue: Number(r.annual_value),
    }));
    return {
      asOf,
      customers,
      attemptStats: stats.map((r) => ({
        reasonCode: String(r.code),
        attempts: Number(r.attempts),
        successes: Number(r.successes),
      })),
    };
  } finally {
    await engine.run(`DROP TABLE IF EXISTS retain_lost`);
  }
}
