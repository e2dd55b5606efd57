/**
 * Checks of the early-warning options shared by the engines (DuckDB and ClickHouse write different SQL from
 * the same checked values, and refuse bad values with the same words).
 */
import { UserError } from '../util/errors.js';
import { LOST_SEVERITY, type CustomerAlertSpec, type DealerGradeOptions } from './alert-types.js';

export function wholeSetting(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new UserError(`${name} must be a whole number >= ${min}`);
  return v;
}

export function finiteSetting(name: string, v: number): number {
  if (!Number.isFinite(v)) throw new UserError(`${name} must be a number`);
  return v;
}

/** The as-of date when given: a real day written YYYY-MM-DD. */
export function checkAsOf(asOf: string | undefined): void {
  if (asOf === undefined) return;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))
    throw new UserError(`--as-of must be a date written YYYY-MM-DD, not "${asOf}"`);
  if (new Date(`${asOf}T00:00:00Z`).toISOString().slice(0, 10) !== asOf)
    throw new UserError(`--as-of ${asOf} is not a real date`);
}

/** The customer-alert rules, checked in the order the DuckDB SQL builder reads them. */
export function checkCustomerAlertSpec(spec: CustomerAlertSpec): void {
  if (spec.levels.length === 0 || spec.levels.length >= LOST_SEVERITY)
    throw new UserError('there must be 1 to 98 levels');
  wholeSetting('baseline months', spec.baselineMonths, 1);
  wholeSetting('recent days', spec.recentDays, 1);
  wholeSetting('lost after days', spec.lostAfterDays, 0);
  for (const l of spec.levels) {
    if (l.recencyDays) {
      wholeSetting(`${l.name}.recencyDays.from`, l.recencyDays.from, 0);
      wholeSetting(`${l.name}.recencyDays.to`, l.recencyDays.to, 0);
    }
    for (const range of [l.frequencyDownPercent, l.monetaryDownPercent])
      if (range !== null) {
        finiteSetting(`${l.name}.above`, range.above);
        if (range.upTo !== null) finiteSetting(`${l.name}.upTo`, range.upTo);
      }
  }
}

/** Dealer grades ordered by minVisits (the last 0) and whole-month windows. */
export function checkDealerOptions(options: DealerGradeOptions): void {
  const { grades, gradeWindowMonths: window, surveyAfterMonths: survey } = options;
  if (grades.length === 0 || grades.at(-1)!.minVisits !== 0)
    throw new UserError('the last dealer grade must have minVisits 0');
  for (let i = 1; i < grades.length; i++)
    if (!(grades[i]!.minVisits < grades[i - 1]!.minVisits))
      throw new UserError('dealer grades must be ordered by minVisits, highest first');
  for (const [name, v] of [
    ['grade window months', window],
    ['survey after months', survey],
  ] as const)
    if (!Number.isInteger(v) || v < 1) throw new UserError(`${name} must be a whole number >= 1`);
}
