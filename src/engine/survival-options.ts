/**
 * Validation of the survival-data options, shared by the engines (duckdb/survival-data.ts,
 * clickhouse/survival-data.ts): the same messages for the same mistakes, whatever the engine.
 */
import type {
  CohortCountsOptions,
  CohortPeriod,
  SurvivalCovariate,
  SurvivalDataOptions,
  SurvivalGroupColumn,
} from './survival-types.js';
import { COHORT_PERIODS, SURVIVAL_COVARIATES, SURVIVAL_GROUP_COLUMNS } from './survival-types.js';
import { UserError } from '../util/errors.js';
import { checkIsoDate } from '../util/dates.js';

/** Check the as-of day and the lost days; the lost days (default 60). */
export function checkSurvivalDataOptions(options: SurvivalDataOptions): { lostDays: number } {
  // checkIsoDate throws a bare RangeError for a month or day out of range (2024-13-01): catch that first
  if (options.asOf !== undefined && Number.isNaN(Date.parse(`${options.asOf}T00:00:00Z`)))
    throw new UserError(`--as-of must be a date written YYYY-MM-DD, not "${options.asOf}"`);
  checkIsoDate('--as-of', options.asOf);
  const lostDays = options.lostDays ?? 60;
  if (!(Number.isInteger(lostDays) && lostDays > 0))
    throw new UserError(`lost days must be a whole number > 0, not ${lostDays}`);
  return { lostDays };
}

/** The group column of survival counts, null for one group. */
export function checkSurvivalBy(by: SurvivalGroupColumn | null | undefined): SurvivalGroupColumn | null {
  const column = by ?? null;
  if (column !== null && !(SURVIVAL_GROUP_COLUMNS as readonly string[]).includes(column))
    throw new UserError(`--by must be one of ${SURVIVAL_GROUP_COLUMNS.join(', ')}, not "${column}"`);
  return column;
}

export function checkSurvivalCovariate(name: SurvivalCovariate): SurvivalCovariate {
  if (!(SURVIVAL_COVARIATES as readonly string[]).includes(name))
    throw new UserError(`unknown workspace column "${name}" (${SURVIVAL_COVARIATES.join(', ')})`);
  return name;
}

/** The cohort period (default month) and the cap on periods since acquisition. */
export function checkCohortOptions(options: CohortCountsOptions): {
  period: CohortPeriod;
  maxPeriods: number | undefined;
} {
  const period = options.period ?? 'month';
  if (!(COHORT_PERIODS as readonly string[]).includes(period))
    throw new UserError(`the cohort period must be one of ${COHORT_PERIODS.join(', ')}, not "${period}"`);
  const max = options.maxPeriods;
  if (max !== undefined && !(Number.isInteger(max) && max >= 0))
    throw new UserError(`--months must be a whole number >= 0, not ${max}`);
  return { period, maxPeriods: max };
}
