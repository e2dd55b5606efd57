/**
 * P(alive) and expected future transactions over a grid of frequency x and recency t_x at one age T (the
 * oldest customer's), like lifetimes' plot_probability_alive_matrix and plot_frequency_recency_matrix:
 * the model's view of which histories are valuable and which customers have probably left.
 */
import type { Params, TransactionModel } from './transaction-models.js';

export interface RfmMatrices {
  /** Age at which every cell is evaluated, in time units. */
  readonly T: number;
  /** Horizon of the expected transactions, in time units. */
  readonly horizon: number;
  /** Row values (frequency x) and column values (recency t_x). */
  readonly frequencies: readonly number[];
  readonly recencies: readonly number[];
  /** [row = frequency][column = recency]. */
  readonly probabilityAlive: readonly (readonly number[])[];
  readonly expectedTransactions: readonly (readonly number[])[];
}

export interface RfmMatrixOptions {
  readonly maxFrequency: number;
  readonly T: number;
  readonly horizon: number;
  /** At most this many values per axis (whole-number steps); default 50. */
  readonly maxCells?: number;
}

/** 0, step, 2 step, ... up to max (whole numbers), with at most `cells` values. */
function axis(max: number, cells: number): number[] {
  const top = Math.max(0, Math.floor(max + 1e-9));
  const step = Math.max(1, Math.ceil((top + 1) / cells));
  const out: number[] = [];
  for (let v = 0; v <= top; v += step) out.push(v);
  return out;
}

/** @example rfmMatrices(TRANSACTION_MODELS.bgnbd, params, { maxFrequency: 20, T: 38.86, horizon: 1 }) */
export function rfmMatrices(model: TransactionModel, params: Params, options: RfmMatrixOptions): RfmMatrices {
  const cells = options.maxCells ?? 50;
  const frequencies = axis(options.maxFrequency, cells);
  const recencies = axis(options.T, cells);
  const { T, horizon } = options;
  const probabilityAlive = frequencies.map((x) =>
    recencies.map((tx) => model.probabilityAlive(params, x, x === 0 ? 0 : tx, T)),
  );
  const expectedTransactions = frequencies.map((x) =>
    recencies.map((tx) => model.conditionalExpected(params, horizon, x, x === 0 ? 0 : tx, T)),
  );
  return { T, horizon, frequencies, recencies, probabilityAlive, expectedTransactions };
}
