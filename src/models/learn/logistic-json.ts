/**
 * Saving and loading a fitted logistic model. The model is plain data, so saving is JSON.stringify; loading
 * validates everything a scorer relies on (format, version, encoder shape, one finite coefficient per
 * encoded feature) and says which field is wrong, because a silently malformed model would score every
 * customer wrongly rather than fail.
 */
import { encodedFeatures, type EncodedColumn, type Encoder } from './encoder.js';
import type { ClassWeight } from './class-weights.js';
import type { LogisticModel, Penalty } from './logistic-regression.js';

const FORMAT = 'retain.logistic-regression';
const VERSION = 1;

/**
 * The model as JSON text.
 *
 * @example logisticModelFromJson(logisticModelToJson(model)) // deep-equals model
 */
export function logisticModelToJson(model: LogisticModel): string {
  return JSON.stringify(model);
}

/** Thrown by logisticModelFromJson for a document that is not a valid model. */
export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

function fail(path: string, what: string): never {
  throw new ModelFormatError(`logistic model JSON: ${path} ${what}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finite(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'must be a finite number');
  return v;
}

function string(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, 'must be a string');
  return v;
}

function readColumn(v: unknown, path: string): EncodedColumn {
  if (!isObject(v)) fail(path, 'must be an object');
  const name = string(v.name, `${path}.name`);
  if (v.kind === 'numeric') {
    const sd = finite(v.sd, `${path}.sd`);
    if (!(sd > 0)) fail(`${path}.sd`, 'must be positive');
    if (typeof v.indicator !== 'boolean') fail(`${path}.indicator`, 'must be true or false');
    return { kind: 'numeric', name, mean: finite(v.mean, `${path}.mean`), sd, indicator: v.indicator };
  }
  if (v.kind === 'categorical') {
    if (!Array.isArray(v.levels)) fail(`${path}.levels`, 'must be an array');
    const levels = v.levels.map((l, k) => string(l, `${path}.levels[${k}]`));
    if (new Set(levels).size !== levels.length) fail(`${path}.levels`, 'has a duplicate level');
    const droppedLevel = v.droppedLevel === null ? null : string(v.droppedLevel, `${path}.droppedLevel`);
    return { kind: 'categorical', name, levels, droppedLevel };
  }
  return fail(`${path}.kind`, 'must be "numeric" or "categorical"');
}

function readEncoder(v: unknown): Encoder {
  if (!isObject(v)) fail('encoder', 'must be an object');
  if (!Array.isArray(v.columns)) fail('encoder.columns', 'must be an array');
  if (typeof v.dropFirst !== 'boolean') fail('encoder.dropFirst', 'must be true or false');
  const columns = v.columns.map((c, k) => readColumn(c, `encoder.columns[${k}]`));
  if (new Set(columns.map((c) => c.name)).size !== columns.length)
    fail('encoder.columns', 'has a duplicate name');
  return { columns, dropFirst: v.dropFirst };
}

function readClassWeight(v: unknown): ClassWeight {
  if (v === null || v === 'balanced') return v;
  if (isObject(v)) {
    const negative = finite(v.negative, 'classWeight.negative');
    const positive = finite(v.positive, 'classWeight.positive');
    return { negative, positive };
  }
  return fail('classWeight', 'must be null, "balanced" or { negative, positive }');
}

/**
 * Load a model from JSON text (or an already parsed value), validating it.
 *
 * @example const model = logisticModelFromJson(readText('churn-model.json'))
 */
export function logisticModelFromJson(input: string | unknown): LogisticModel {
  let v: unknown = input;
  if (typeof input === 'string') {
    try {
      v = JSON.parse(input);
    } catch (e) {
      throw new ModelFormatError(`logistic model JSON: not valid JSON (${(e as Error).message})`);
    }
  }
  if (!isObject(v)) fail('the document', 'must be an object');
  if (v.format !== FORMAT) fail('format', `must be "${FORMAT}", got ${JSON.stringify(v.format)}`);
  if (v.version !== VERSION)
    fail('version', `${JSON.stringify(v.version)} is not supported (expected ${VERSION})`);
  const encoder = readEncoder(v.encoder);
  if (!Array.isArray(v.coefficients)) fail('coefficients', 'must be an array');
  const coefficients = v.coefficients.map((c, k) => finite(c, `coefficients[${k}]`));
  const expected = encodedFeatures(encoder).length;
  if (coefficients.length !== expected) {
    fail('coefficients', `has ${coefficients.length} entries but the encoder defines ${expected} features`);
  }
  const penalty = v.penalty;
  if (penalty !== 'l2' && penalty !== 'l1' && penalty !== 'elasticnet') {
    fail('penalty', 'must be "l2", "l1" or "elasticnet"');
  }
  const C = finite(v.C, 'C');
  if (!(C > 0)) fail('C', 'must be positive');
  const l1Ratio = finite(v.l1Ratio, 'l1Ratio');
  if (!(l1Ratio >= 0 && l1Ratio <= 1)) fail('l1Ratio', 'must be in [0, 1]');
  if (!isObject(v.fit)) fail('fit', 'must be an object');
  if (typeof v.fit.converged !== 'boolean') fail('fit.converged', 'must be true or false');
  return {
    format: FORMAT,
    version: VERSION,
    encoder,
    intercept: finite(v.intercept, 'intercept'),
    coefficients,
    penalty: penalty as Penalty,
    C,
    l1Ratio,
    classWeight: readClassWeight(v.classWeight),
    fit: {
      iterations: finite(v.fit.iterations, 'fit.iterations'),
      converged: v.fit.converged,
      objective: finite(v.fit.objective, 'fit.objective'),
    },
  };
}
