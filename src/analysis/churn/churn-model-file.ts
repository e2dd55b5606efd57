/**
 * The saved churn model: one file holding one model per horizon (or one model for a table), with what
 * it was trained on and how it tested. Versioned and checked on load; errors name the file and field.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { UserError } from '../../util/errors.js';
import {
  CHURN_MODEL_KINDS,
  churnModelFromJson,
  type ChurnModelKind,
  type FittedChurnModel,
} from './churn-learner.js';

export const CHURN_MODEL_FORMAT = 'retain.churn-model';

export interface ChurnModelEntry {
  /** null: trained on a table with a label column (no horizon). */
  readonly horizonDays: number | null;
  readonly kind: ChurnModelKind;
  /** Training as-of day (workspace models). */
  readonly asOf: string | null;
  readonly trainRows: number;
  readonly trainPositives: number;
  readonly test: {
    readonly rows: number;
    readonly rocAuc: number;
    readonly prAuc: number;
    readonly logLoss: number;
    readonly brier: number;
    readonly liftTopDecile: number;
  } | null;
  readonly model: unknown;
}

export interface ChurnModelDocument {
  readonly format: typeof CHURN_MODEL_FORMAT;
  readonly version: 1;
  readonly createdAt: string;
  readonly source:
    | {
        readonly type: 'table';
        readonly idColumn: string;
        readonly labelColumn: string;
        readonly positive: string;
      }
    | { readonly type: 'workspace'; readonly population: string; readonly lostDays: number };
  /** Columns left out of the features. */
  readonly exclude: readonly string[];
  readonly models: readonly ChurnModelEntry[];
}

export function writeChurnModel(file: string, doc: ChurnModelDocument): void {
  writeFileSync(file, JSON.stringify(doc) + '\n');
}

export interface LoadedChurnModel {
  readonly document: ChurnModelDocument;
  readonly fitted: readonly FittedChurnModel[];
}

export function readChurnModel(file: string): LoadedChurnModel {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${file}: cannot read a churn model (${(error as Error).message})`);
  }
  const fail = (field: string, what: string): never => {
    throw new UserError(
      `${file}: ${field} ${what} (is this a file written by \`retain churn train --save\`?)`,
    );
  };
  if (typeof doc !== 'object' || doc === null) return fail('the document', 'is not a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.format !== CHURN_MODEL_FORMAT) fail('format', `must be "${CHURN_MODEL_FORMAT}"`);
  if (d.version !== 1) fail('version', 'must be 1');
  if (!Array.isArray(d.models) || d.models.length === 0) fail('models', 'must be a non-empty list');
  const fitted = (d.models as unknown[]).map((m, i) => {
    if (typeof m !== 'object' || m === null) return fail(`models[${i}]`, 'is not an object');
    const e = m as Record<string, unknown>;
    if (!(CHURN_MODEL_KINDS as readonly unknown[]).includes(e.kind))
      fail(`models[${i}].kind`, `must be one of ${CHURN_MODEL_KINDS.join(', ')}`);
    if (e.horizonDays !== null && !(Number.isInteger(e.horizonDays) && (e.horizonDays as number) > 0))
      fail(`models[${i}].horizonDays`, 'must be null or a whole number > 0');
    try {
      return churnModelFromJson(e.kind as ChurnModelKind, e.model);
    } catch (error) {
      return fail(`models[${i}].model`, `is not valid: ${(error as Error).message}`);
    }
  });
  return { document: doc as ChurnModelDocument, fitted };
}
