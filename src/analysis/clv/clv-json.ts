/**
 * The stable JSON shapes of the CLV commands (`retain clv fit|evaluate|predict --json`), shared by the CLI
 * and the REST API so that both answer the same.
 */
import type { ClvEvaluation } from './evaluate-clv.js';
import type { FitDocument } from './fit-document.js';
import type { ClvPrediction } from './predict-clv.js';

/** `retain clv fit --json` (other tools depend on it). */
export function fitJson(doc: FitDocument, fitId: number | null): Record<string, unknown> {
  return {
    model: doc.model,
    params: doc.params,
    logLikelihood: doc.logLikelihood,
    standardErrors: doc.standardErrors,
    customers: doc.customers,
    converged: doc.converged,
    timeUnit: doc.timeUnit,
    calibrationEnd: doc.calibrationEnd,
    penalty: doc.penalty,
    fitId,
    details: doc.details,
  };
}

/** `retain clv evaluate --json`: everything but the per-customer arrays. */
export function evaluationJson(
  e: ClvEvaluation,
  files: { plots: readonly string[]; out: string | null },
): Record<string, unknown> {
  const { perCustomer: _omit, ...rest } = e;
  return { ...rest, files };
}

/** One listed customer of `retain clv predict --json`. */
export interface PredictedCustomer {
  readonly customerId: string;
  readonly x: number;
  readonly t_x: number;
  readonly T: number;
  readonly probabilityAlive: number;
  readonly expectedTransactions: number;
  readonly expectedSpend: number;
  readonly clv: number;
  readonly clvInterval?: readonly [number, number];
  readonly probabilityOfN?: readonly number[];
}

/** The `limit` customers of highest CLV, highest first. */
export function topPredictedCustomers(result: ClvPrediction, limit: number): PredictedCustomer[] {
  const c = result.perCustomer;
  const order = Array.from(c.clv.keys())
    .sort((a, b) => c.clv[b]! - c.clv[a]!)
    .slice(0, limit);
  return order.map((i) => ({
    customerId: c.customerIds[i]!,
    x: c.x[i]!,
    t_x: c.tx[i]!,
    T: c.T[i]!,
    probabilityAlive: c.probabilityAlive[i]!,
    expectedTransactions: c.expectedTransactions[i]!,
    expectedSpend: c.expectedSpend[i]!,
    clv: c.clv[i]!,
    ...(c.clvLower ? { clvInterval: [c.clvLower[i]!, c.clvUpper![i]!] as const } : {}),
    ...(c.probabilityOfN ? { probabilityOfN: c.probabilityOfN.map((p) => p[i]!) } : {}),
  }));
}

/**
 * `retain clv predict --json`: the run without per-customer arrays, the top customers, the CSV written
 * (`out`) and, with `--save`, what was stored (`saved`).
 */
export function predictionJson(
  result: ClvPrediction,
  options: { limit: number; out: string | null; saved?: Record<string, unknown> },
): Record<string, unknown> {
  const { perCustomer: _omit, ...summary } = result;
  return {
    ...summary,
    out: options.out,
    ...(options.saved ? { saved: options.saved } : {}),
    topCustomers: topPredictedCustomers(result, options.limit),
  };
}

/** One stored fit (`retain clv fits --id N --json`, `GET /api/clv/fits/:id`): the fit with its provenance. */
export function storedFitJson(doc: FitDocument, fitId: number): Record<string, unknown> {
  return {
    ...fitJson(doc, fitId),
    fittedAt: doc.fittedAt,
    fingerprint: doc.fingerprint,
    message: doc.message,
    covariance: doc.covariance,
  };
}
