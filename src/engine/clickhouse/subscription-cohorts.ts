/**
 * Survivors per acquisition cohort in ClickHouse SQL, as on DuckDB (duckdb/subscription-cohorts.ts): a
 * customer's life is their first continuous spell of subscriptions (one starting within a day of the
 * latest end so far continues it), survivors at period k = lives lasting at least k whole periods, period k
 * reported once every member could have been observed that long.
 *
 * 18.16 has no window functions: each customer's subscriptions are gathered into a sorted array (start,
 * then end with open ends last, as DuckDB orders them), the running latest end is an arrayReduce over each
 * prefix and the first spell ends at the first start past it. Each life comes out as the whole periods it
 * lasted (or open), counted by cohort; Node adds the counts up per observed period.
 */
import type { SubscriptionCohortOptions, SubscriptionCohorts, TimeUnit } from '../summary-types.js';
import { UserError } from '../../util/errors.js';
import { checkIsoDate } from '../../util/dates.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chDate } from './sql.js';
import { addDays, daysBetween } from '../summary-window.js';

/** An end date later than every observation date (open subscriptions), as days since 1970-01-01. */
const OPEN_END = 99_999_999;
/** Longest survival reported, in periods (DuckDB's `range(0, 2000)`). */
const MAX_PERIODS = 2000;

const TRUNCATE: Record<TimeUnit, (d: string) => string> = {
  day: (d) => d,
  week: (d) => `toMonday(${d})`,
  month: (d) => `toStartOfMonth(${d})`,
};

/** Whole periods from start to stop: the largest k with start + k periods <= stop (months clamp, as DuckDB). */
const WHOLE_PERIODS: Record<TimeUnit, string> = {
  day: `dateDiff('day', start, stop)`,
  week: `toInt64(floor(dateDiff('day', start, stop) / 7))`,
  month: `(toYear(stop) - toYear(start)) * 12 + toMonth(stop) - toMonth(start)
    - if(addMonths(start, (toYear(stop) - toYear(start)) * 12 + toMonth(stop) - toMonth(start)) <= stop, 0, 1)`,
};

/** Whole periods from a cohort's first day to `until` (exclusive end): periods fully observed. */
function observedPeriods(cohort: string, unit: TimeUnit, until: string): number {
  const [cy, cm] = [Number(cohort.slice(0, 4)), Number(cohort.slice(5, 7))];
  const [uy, um] = [Number(until.slice(0, 4)), Number(until.slice(5, 7))];
  // a month cohort starts on the 1st: cohort + m months <= until whenever m <= the month difference
  const whole =
    unit === 'month'
      ? (uy - cy) * 12 + um - cm
      : Math.floor(daysBetween(cohort, until) / (unit === 'week' ? 7 : 1));
  return Math.max(0, Math.min(MAX_PERIODS, whole));
}

export async function chSubscriptionCohorts(
  engine: ClickHouseEngine,
  options: SubscriptionCohortOptions,
): Promise<SubscriptionCohorts> {
  const unit = options.unit ?? 'month';
  checkIsoDate('as-of date', options.asOf);
  const subscriptions = engine.t('subscriptions');
  const [range] = await engine.conn.query(
    `SELECT count() AS n, toString(greatest(max(start_date), ifNull(max(end_date), max(start_date)))) AS last
     FROM ${subscriptions}`,
  );
  if (Number(range?.n ?? 0) === 0)
    throw new UserError('the workspace has no subscriptions: import some first');
  const asOf = options.asOf ?? String(range!.last);
  const asOfDate = chDate(asOf);
  const rows = await engine.conn.query(
    `SELECT toString(${TRUNCATE[unit]('start')}) AS cohort, open, if(open, toInt64(0), toInt64(${WHOLE_PERIODS[unit]})) AS periods,
       count() AS n
     FROM (
       SELECT addDays(toDate('1970-01-01'), starts[1]) AS start,
         addDays(toDate('1970-01-01'), arrayReduce('max', spell_ends)) AS stop,
         arrayExists(e -> e > toInt64(${asOfDate}), spell_ends) AS open
       FROM (
         SELECT arraySlice(ends, 1, if(spell_break = 0, toInt64(length(ends)), toInt64(spell_break) - 1)) AS spell_ends, starts
         FROM (
           SELECT arrayMap(s -> s.1, sorted) AS starts, arrayMap(s -> s.2, sorted) AS ends,
             arrayMap(i -> if(i = 1, toInt64(-1), arrayReduce('max', arraySlice(ends, 1, i - 1))),
               arrayEnumerate(ends)) AS latest_end_before,
             arrayFirstIndex((s, e, i) -> i > 1 AND s > e + 1, starts, latest_end_before, arrayEnumerate(starts))
               AS spell_break
           FROM (
             SELECT customer_id,
               arraySort(groupArray((toInt64(start_date), ifNull(toInt64(end_date), toInt64(${OPEN_END}))))) AS sorted
             FROM ${subscriptions} WHERE start_date <= ${asOfDate} GROUP BY customer_id))))
     GROUP BY cohort, open, periods ORDER BY cohort, open, periods`,
  );
  const lives = new Map<string, { open: boolean; periods: number; n: number }[]>();
  for (const r of rows) {
    const cohort = String(r.cohort);
    const list = lives.get(cohort) ?? [];
    list.push({ open: Number(r.open) === 1, periods: Number(r.periods), n: Number(r.n) });
    lives.set(cohort, list);
  }
  const dayAfter = addDays(asOf, 1);
  const cohorts: { cohort: string; survivors: number[] }[] = [];
  for (const [cohort, list] of lives) {
    const observed = observedPeriods(cohort, unit, dayAfter);
    if (observed === 0) continue;
    // lives ending after exactly p whole periods, and open ones (alive at every observed period)
    const endingAt = new Array<number>(observed).fill(0);
    let alive = 0;
    for (const l of list) {
      if (l.open || l.periods >= observed) alive += l.n;
      else if (l.periods >= 0) endingAt[l.periods]! += l.n;
    }
    const survivors = new Array<number>(observed);
    for (let k = observed - 1; k >= 0; k--) {
      alive += endingAt[k]!;
      survivors[k] = alive;
    }
    cohorts.push({ cohort, survivors });
  }
  return { unit, asOf, cohorts };
}
