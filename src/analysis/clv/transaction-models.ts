/**
 * The non-contractual transaction models behind one interface, so fitting, prediction and evaluation
 * treat BG/NBD, MBG/NBD and Pareto/NBD alike.
 */
import {
  bgNbdConditionalExpected,
  bgNbdExpectedTransactions,
  bgNbdProbabilityAlive,
  bgNbdProbabilityOfN,
  fitBgNbd,
  type BgNbdParams,
} from '../../models/bg-nbd.js';
import {
  fitMbgNbd,
  mbgNbdConditionalExpected,
  mbgNbdExpectedTransactions,
  mbgNbdProbabilityAlive,
  mbgNbdProbabilityOfN,
} from '../../models/mbg-nbd.js';
import {
  fitParetoNbd,
  paretoNbdConditionalExpected,
  paretoNbdExpectedTransactions,
  paretoNbdProbabilityAlive,
  paretoNbdProbabilityOfN,
  type ParetoNbdParams,
} from '../../models/pareto-nbd.js';
import type { MaximumLikelihoodFit } from '../../models/fit/maximum-likelihood.js';
import { bgNbdConditionalProbabilityOfN } from '../../models/bg-nbd-conditional-pmf.js';
import { mbgNbdConditionalProbabilityOfN } from '../../models/mbg-nbd-conditional-pmf.js';
import { paretoNbdConditionalProbabilityOfN } from '../../models/pareto-nbd-conditional-pmf.js';
import type { RfmRows } from '../../models/summary-stats.js';

export type Params = Readonly<Record<string, number>>;

export interface TransactionModel {
  readonly kind: TransactionModelKind;
  readonly label: string;
  readonly names: readonly string[];
  fit(rows: RfmRows, options: { penalty?: number; maxIterations?: number }): MaximumLikelihoodFit;
  probabilityAlive(p: Params, x: number, tx: number, T: number): number;
  /** Expected transactions in (T, T + t] given the history. */
  conditionalExpected(p: Params, t: number, x: number, tx: number, T: number): number;
  /** Expected transactions in (0, t] for a new customer. */
  expectedTransactions(p: Params, t: number): number;
  /** P(X(t) = n) for a new customer. */
  probabilityOfN(p: Params, n: number, t: number): number;
  /** P(n transactions in (T, T + t]) given the history. */
  conditionalProbabilityOfN(p: Params, n: number, t: number, x: number, tx: number, T: number): number;
}

export const TRANSACTION_MODEL_KINDS = ['bgnbd', 'pnbd', 'mbgnbd'] as const;
export type TransactionModelKind = (typeof TRANSACTION_MODEL_KINDS)[number];

const bg = (p: Params) => p as unknown as BgNbdParams;
const pn = (p: Params) => p as unknown as ParetoNbdParams;

export const TRANSACTION_MODELS: Record<TransactionModelKind, TransactionModel> = {
  bgnbd: {
    kind: 'bgnbd',
    label: 'BG/NBD',
    names: ['r', 'alpha', 'a', 'b'],
    fit: (rows, o) => fitBgNbd(rows, o) as unknown as MaximumLikelihoodFit,
    probabilityAlive: (p, x, tx, T) => bgNbdProbabilityAlive(bg(p), x, tx, T),
    conditionalExpected: (p, t, x, tx, T) => bgNbdConditionalExpected(bg(p), t, x, tx, T),
    expectedTransactions: (p, t) => bgNbdExpectedTransactions(bg(p), t),
    probabilityOfN: (p, n, t) => bgNbdProbabilityOfN(bg(p), n, t),
    conditionalProbabilityOfN: (p, n, t, x, tx, T) => bgNbdConditionalProbabilityOfN(bg(p), n, t, x, tx, T),
  },
  mbgnbd: {
    kind: 'mbgnbd',
    label: 'MBG/NBD',
    names: ['r', 'alpha', 'a', 'b'],
    fit: (rows, o) => fitMbgNbd(rows, o) as unknown as MaximumLikelihoodFit,
    probabilityAlive: (p, x, tx, T) => mbgNbdProbabilityAlive(bg(p), x, tx, T),
    conditionalExpected: (p, t, x, tx, T) => mbgNbdConditionalExpected(bg(p), t, x, tx, T),
    expectedTransactions: (p, t) => mbgNbdExpectedTransactions(bg(p), t),
    probabilityOfN: (p, n, t) => mbgNbdProbabilityOfN(bg(p), n, t),
    conditionalProbabilityOfN: (p, n, t, x, tx, T) => mbgNbdConditionalProbabilityOfN(bg(p), n, t, x, tx, T),
  },
  pnbd: {
    kind: 'pnbd',
    label: 'Pareto/NBD',
    names: ['r', 'alpha', 's', 'beta'],
    fit: (rows, o) => fitParetoNbd(rows, o) as unknown as MaximumLikelihoodFit,
    probabilityAlive: (p, x, tx, T) => paretoNbdProbabilityAlive(pn(p), x, tx, T),
    conditionalExpected: (p, t, x, tx, T) => paretoNbdConditionalExpected(pn(p), t, x, tx, T),
    expectedTransactions: (p, t) => paretoNbdExpectedTransactions(pn(p), t),
    probabilityOfN: (p, n, t) => paretoNbdProbabilityOfN(pn(p), n, t),
    conditionalProbabilityOfN: (p, n, t, x, tx, T) =>
      paretoNbdConditionalProbabilityOfN(pn(p), n, t, x, tx, T),
  },
};

export function isTransactionModelKind(kind: string): kind is TransactionModelKind {
  return (TRANSACTION_MODEL_KINDS as readonly string[]).includes(kind);
}
