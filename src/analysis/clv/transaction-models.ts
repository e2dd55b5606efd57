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
import {
  bgBbConditionalExpected,
  bgBbExpectedTransactions,
  bgBbProbabilityAlive,
  bgBbProbabilityOfN,
  type BgBbParams,
} from '../../models/bg-bb.js';
import { UserError } from '../../util/errors.js';

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

export const TRANSACTION_MODEL_KINDS = ['bgnbd', 'pnbd', 'mbgnbd', 'bgbb'] as const;

/**
 * BG/BB counts discrete opportunities: a summary in whole periods (purchases merged per period) gives
 * n = the whole periods after the first purchase period and t_x = the period of the last purchase.
 * Use `opportunityAge` on the summary's T first: it measures to the end of the calibration end day.
 */
export const bgBbOpportunities = (tx: number, T: number): { tx: number; n: number } => ({
  tx: Math.round(tx),
  n: Math.floor(T + 1e-9),
});

/**
 * BG/BB's n from the summary's T (first period's start to the calibration end day, in average-length units):
 * the whole periods up to the end of that day, less the first purchase period itself. Calendar months are
 * 28-31 days against an average of 30.44, so a span of k whole months measures k +/- 0.08: 0.1 of slack
 * counts them, while a partial month (a calibration end in mid-month) stays uncounted.
 */
export function opportunityAge(T: number, daysPerUnit: number): number {
  return Math.floor((T * daysPerUnit + 1) / daysPerUnit + 0.1) - 1;
}
const bb = (p: Params) => p as unknown as BgBbParams;
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
  bgbb: {
    kind: 'bgbb',
    label: 'BG/BB',
    names: ['alpha', 'beta', 'gamma', 'delta'],
    fit: () => {
      throw new UserError('fit BG/BB through fitClvModel (it needs whole-period opportunities)');
    },
    probabilityAlive: (p, x, tx, T) => {
      const o = bgBbOpportunities(tx, T);
      return bgBbProbabilityAlive(bb(p), x, o.tx, o.n);
    },
    // t whole opportunities ahead (a fractional t counts its whole part)
    conditionalExpected: (p, t, x, tx, T) => {
      const o = bgBbOpportunities(tx, T);
      return bgBbConditionalExpected(bb(p), Math.floor(t + 1e-9), x, o.tx, o.n);
    },
    expectedTransactions: (p, t) => bgBbExpectedTransactions(bb(p), Math.floor(t + 1e-9)),
    probabilityOfN: (p, n, t) => bgBbProbabilityOfN(bb(p), n, Math.floor(t + 1e-9)),
    conditionalProbabilityOfN: () => {
      throw new UserError('--pmf is not available for BG/BB yet');
    },
  },
};

export function isTransactionModelKind(kind: string): kind is TransactionModelKind {
  return (TRANSACTION_MODEL_KINDS as readonly string[]).includes(kind);
}

/** The continuous-time models (fitted on (x, t_x, T) directly; evaluated against weekly tracking). */
export const CONTINUOUS_MODEL_KINDS = ['bgnbd', 'pnbd', 'mbgnbd'] as const;
export type ContinuousModelKind = (typeof CONTINUOUS_MODEL_KINDS)[number];

export function isContinuousModelKind(kind: string): kind is ContinuousModelKind {
  return (CONTINUOUS_MODEL_KINDS as readonly string[]).includes(kind);
}
