import { UserError } from './errors.js';

/** Throw a UserError naming the option unless `value` is a real calendar date written `YYYY-MM-DD`. */
export function checkIsoDate(name: string, value: string | undefined): void {
  if (value === undefined) return;
  const ok =
    /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
  if (!ok) throw new UserError(`${name} must be a date written YYYY-MM-DD, not "${value}"`);
}
