/** Option checks shared by both engines' RFM and customer-value operations. */
import { checkIsoDate } from '../util/dates.js';
import { UserError } from '../util/errors.js';
import type { RfmOptions } from './rfm-types.js';
import type { CustomerValueOptions } from './customer-value-types.js';

/** Bins (2..10, default 5) and the optional F/M window of an RFM run, checked. */
export function rfmSettings(options: RfmOptions): { bins: number; windowDays: number | null } {
  const bins = options.bins ?? 5;
  if (!(Number.isInteger(bins) && bins >= 2 && bins <= 10))
    throw new UserError(`--bins must be a whole number from 2 to 10`);
  checkIsoDate('--as-of', options.asOf);
  const windowDays = options.windowDays ?? null;
  if (windowDays !== null && !(Number.isInteger(windowDays) && windowDays > 0))
    throw new UserError('--window-days must be a whole number > 0');
  return { bins, windowDays };
}

/** The value window of customer values (default 365 days), checked. */
export function customerValueWindow(options: CustomerValueOptions): number {
  checkIsoDate('--as-of', options.asOf);
  const windowDays = options.windowDays ?? 365;
  if (!(Number.isInteger(windowDays) && windowDays > 0))
    throw new UserError('--window-days must be a whole number > 0');
  return windowDays;
}
