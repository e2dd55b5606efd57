import { UserError } from './errors.js';

/** Throw a UserError naming the option unless `value` is a real calendar date written `YYYY-MM-DD`. */
export function checkIsoDate(name: string, value: string | undefined): void {
  if (value === undefined) return;
  // an impossible day (2024-13-01) is an Invalid Date, whose toISOString throws: test the time first
  const t = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  const ok = Number.isFinite(t) && new Date(t).toISOString().startsWith(value);
  if (!ok) throw new UserError(`${name} must be a date written YYYY-MM-DD, not "${value}"`);
}
