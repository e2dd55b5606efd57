import { checkIsoDate } from '../../util/dates.js';
import { UserError } from '../../util/errors.js';
import type { DuckDbEngine } from './duckdb-engine.js';

/**
 * The calibration end (default: the last transaction day) and optional holdout end of a summary or series,
 * checked: real dates, a non-empty workspace, the holdout after the calibration.
 */
export async function calibrationWindow(
  engine: DuckDbEngine,
  options: { readonly calibrationEnd?: string; readonly holdoutEnd?: string },
): Promise<{ calibrationEnd: string; holdoutEnd: string | null }> {
  checkIsoDate('calibration end', options.calibrationEnd);
  checkIsoDate('holdout end', options.holdoutEnd);
  const last = await engine.lastTransactionDay();
  if (last === null) throw new UserError('the workspace has no transactions: import some first');
  const calibrationEnd = options.calibrationEnd ?? last;
  const holdoutEnd = options.holdoutEnd ?? null;
  if (holdoutEnd !== null && holdoutEnd <= calibrationEnd)
    throw new UserError(`holdout end ${holdoutEnd} must be after the calibration end ${calibrationEnd}`);
  return { calibrationEnd, holdoutEnd };
}
