/**
 * Keep a prediction run in the workspace (`retain clv predict --save`, `POST /api/clv/predict`): every
 * customer's CLV goes to the engine, where pages, totals and the histogram are computed, so a million
 * customers never travel to a browser.
 */
import type { Engine } from '../../engine/engine.js';
import type { ClvPrediction } from './predict-clv.js';

/** Told when nothing is stored (CLI and API alike). */
export const NO_STORED_PREDICTIONS =
  'no CLV predictions are stored: run `retain clv predict --horizon 52 --save` (or POST /api/clv/predict)';

export interface SavedPredictionInfo {
  readonly customers: number;
  readonly fitId: number | null;
  readonly spendFitId: number | null;
}

/** Store the run's per-customer predictions (replacing the previous run's); fit ids null for files. */
export async function savePredictions(
  engine: Engine,
  result: ClvPrediction,
  fitIds: { fitId: number | null; spendFitId: number | null },
): Promise<SavedPredictionInfo> {
  const c = result.perCustomer;
  await engine.saveClvPredictions({
    source: {
      model: result.model,
      fitId: fitIds.fitId,
      spendModel: result.spendModel,
      spendFitId: result.spendModel === 'gg' ? fitIds.spendFitId : null,
      timeUnit: result.timeUnit,
      calibrationEnd: result.calibrationEnd,
      horizon: result.horizon,
      discountRate: result.discountRate,
      margin: result.margin,
    },
    customerIds: c.customerIds,
    x: c.x,
    tx: c.tx,
    T: c.T,
    probabilityAlive: c.probabilityAlive,
    expectedTransactions: c.expectedTransactions,
    expectedSpend: c.expectedSpend,
    clv: c.clv,
  });
  return {
    customers: c.customerIds.length,
    fitId: fitIds.fitId,
    spendFitId: result.spendModel === 'gg' ? fitIds.spendFitId : null,
  };
}
