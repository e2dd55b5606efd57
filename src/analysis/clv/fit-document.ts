/**
 * A fitted CLV model as a self-describing JSON document: what was fitted, on which data (fingerprint,
 * calibration end, time unit), with which result. Stored in the workspace and written by `--save`.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../../util/errors.js';

export const CLV_MODEL_KINDS = ['bgnbd', 'pnbd', 'mbgnbd', 'bgbb', 'gg', 'sbg'] as const;
export type ClvModelKind = (typeof CLV_MODEL_KINDS)[number];

export const PARAM_NAMES: Record<ClvModelKind, readonly string[]> = {
  bgnbd: ['r', 'alpha', 'a', 'b'],
  mbgnbd: ['r', 'alpha', 'a', 'b'],
  pnbd: ['r', 'alpha', 's', 'beta'],
  bgbb: ['alpha', 'beta', 'gamma', 'delta'],
  gg: ['p', 'q', 'v'],
  sbg: ['alpha', 'beta'],
};

export interface FitDocument {
  readonly format: 'retain-model-fit';
  readonly version: 1;
  readonly model: ClvModelKind;
  readonly params: Readonly<Record<string, number>>;
  readonly standardErrors: Readonly<Record<string, number>>;
  /** Covariance of the parameters in `PARAM_NAMES` order (natural scale). */
  readonly covariance: readonly (readonly number[])[];
  /** Total log-likelihood over the fitted units (customers, or cohort members for sBG). */
  readonly logLikelihood: number;
  /** Customers (or cohort members) the model was fitted on. */
  readonly customers: number;
  readonly converged: boolean;
  readonly message: string;
  readonly timeUnit: string | null;
  readonly calibrationEnd: string | null;
  /** Transactions fingerprint at fit time; null when fitted on data given directly. */
  readonly fingerprint: string | null;
  readonly penalty: number;
  readonly fittedAt: string;
  /** Model-specific extras (e.g. sBG survivors, BG/BB period, customers left out and why). */
  readonly details: Readonly<Record<string, unknown>>;
}

export function isClvModelKind(kind: string): kind is ClvModelKind {
  return (CLV_MODEL_KINDS as readonly string[]).includes(kind);
}

/** Read and check a document written by `--save`. */
export function readFitDocument(file: string): FitDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${file}: cannot read a model fit (${(error as Error).message})`);
  }
  return checkFitDocument(doc, file);
}

export function checkFitDocument(doc: unknown, source: string): FitDocument {
  const d = doc as Partial<FitDocument> | null;
  if (!d || d.format !== 'retain-model-fit' || d.version !== 1)
    throw new UserError(
      `${source}: not a Retain model fit (expected "format": "retain-model-fit", "version": 1)`,
    );
  if (typeof d.model !== 'string' || !isClvModelKind(d.model))
    throw new UserError(
      `${source}: unknown model "${String(d.model)}" (models: ${CLV_MODEL_KINDS.join(', ')})`,
    );
  for (const name of PARAM_NAMES[d.model]) {
    const v = d.params?.[name];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
      throw new UserError(
        `${source}: parameter ${name} of ${d.model} must be a positive number, got ${String(v)}`,
      );
  }
  return d as FitDocument;
}
