/**
 * `retain churn train`: a churn model from any customer table with a label column, or from the
 * workspace at an as-of date (one model per horizon, labels = churned within the horizon).
 */
import { readFileSync } from 'node:fs';
import type { Engine } from '../../engine/engine.js';
import { tableFromRecords, type TableFromRecordsOptions } from '../../models/learn/table-from-records.js';
import { readTextTable } from '../../data/read-text-table.js';
import { UserError } from '../../util/errors.js';
import type { ChurnModelKind } from './churn-learner.js';
import { CHURN_MODEL_FORMAT, type ChurnModelDocument, type ChurnModelEntry } from './churn-model-file.js';
import { trainChurn, type TrainedChurn, type TrainChurnOptions } from './train-churn.js';
import { featureNames, featureTableOf } from './workspace-table.js';

export interface ChurnTrainCommon {
  readonly kind?: ChurnModelKind;
  readonly seed?: number;
  readonly classWeight?: 'balanced' | null;
  readonly penalty?: 'l1' | 'l2' | 'elasticnet';
  readonly C?: number;
  readonly l1Ratio?: number;
  readonly exclude?: readonly string[];
  readonly folds?: number;
  readonly threshold?: number;
  readonly volume?: number;
}

export interface ChurnTrainResult {
  readonly document: ChurnModelDocument;
  /** One per model of the document, in the same order. */
  readonly runs: readonly (TrainedChurn & {
    readonly horizonDays: number | null;
    readonly asOf: string | null;
  })[];
}

/** Ids from a file, one per line; a first line that is not among the table's ids is taken as a header. */
export function readIdsFile(file: string, known: ReadonlySet<string>): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`${file}: cannot read the id list (${(error as Error).message})`);
  }
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length > 0 && !known.has(lines[0]!)) lines.shift();
  const ids = new Set(lines);
  if (ids.size === 0) throw new UserError(`${file}: no ids`);
  const unknown = [...ids].filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new UserError(
      `${file}: ${unknown.length} id(s) are not in the table, e.g. "${unknown.slice(0, 3).join('", "')}"`,
    );
  return ids;
}

/** A trained run as an entry of the model file. */
export function entryOf(run: TrainedChurn, horizonDays: number | null, asOf: string | null): ChurnModelEntry {
  const t = run.test;
  return {
    horizonDays,
    kind: run.model.kind,
    asOf,
    trainRows: run.train.rows,
    trainPositives: run.train.positives,
    test: t && {
      rows: t.rows,
      rocAuc: t.rocAuc,
      prAuc: t.prAuc,
      logLoss: t.logLoss,
      brier: t.brier,
      liftTopDecile: t.liftTopDecile,
    },
    model: run.model.toJson(),
  };
}

/** The learner options of the common train options. */
export function trainOptions(o: ChurnTrainCommon): TrainChurnOptions {
  return {
    kind: o.kind ?? 'logistic',
    seed: o.seed ?? 42,
    classWeight: o.classWeight ?? null,
    ...(o.penalty ? { penalty: o.penalty } : {}),
    ...(o.C !== undefined ? { C: o.C } : {}),
    ...(o.l1Ratio !== undefined ? { l1Ratio: o.l1Ratio } : {}),
    ...(o.folds !== undefined ? { folds: o.folds } : {}),
    ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
    ...(o.volume !== undefined ? { volume: o.volume } : {}),
  };
}

export interface TableTrainOptions extends ChurnTrainCommon {
  readonly file: string;
  readonly idColumn: string;
  readonly labelColumn: string;
  readonly positive: string;
  /** A file of test ids (one per line); without it a seeded stratified 30 % split. */
  readonly testIdsFile?: string;
}

/** A labelled customer table from a delimited file; problems are UserErrors naming the file. */
export async function readLabelledTable(
  file: string,
  options: TableFromRecordsOptions,
): Promise<ReturnType<typeof tableFromRecords>> {
  const text = await readTextTable(file);
  try {
    return tableFromRecords(text.header, text.rows, options);
  } catch (error) {
    throw new UserError(`${file}: ${(error as Error).message.replace(/^tableFromRecords: /, '')}`);
  }
}

export async function trainChurnFromTable(options: TableTrainOptions): Promise<ChurnTrainResult> {
  const records = await readLabelledTable(options.file, {
    idColumn: options.idColumn,
    labelColumn: options.labelColumn,
    positive: options.positive,
    exclude: options.exclude ?? [],
  });
  const testIds = options.testIdsFile ? readIdsFile(options.testIdsFile, new Set(records.ids)) : null;
  const run = trainChurn(records.table, records.ids, { ...trainOptions(options), testIds });
  return {
    document: {
      format: CHURN_MODEL_FORMAT,
      version: 1,
      createdAt: new Date().toISOString(),
      source: {
        type: 'table',
        idColumn: options.idColumn,
        labelColumn: options.labelColumn,
        positive: options.positive,
      },
      exclude: options.exclude ?? [],
      models: [entryOf(run, null, null)],
    },
    runs: [{ ...run, horizonDays: null, asOf: null }],
  };
}

export interface WorkspaceTrainOptions extends ChurnTrainCommon {
  /** Horizons in days (default 30, 90, 180). */
  readonly horizons?: readonly number[];
  /** Training day; default for each horizon the last data day minus the horizon. */
  readonly asOf?: string;
  readonly lostDays?: number;
  /** Share of customers held out for testing (default 0.3). */
  readonly testFraction?: number;
  readonly onHorizon?: (done: number, total: number) => void;
}

export async function trainChurnFromWorkspace(
  engine: Engine,
  options: WorkspaceTrainOptions = {},
): Promise<ChurnTrainResult> {
  const horizons = options.horizons ?? [30, 90, 180];
  if (horizons.length === 0) throw new UserError('--horizon needs at least one number of days');
  const exclude = new Set(options.exclude ?? []);
  const runs: ChurnTrainResult['runs'][number][] = [];
  let population = 'subscriptions';
  for (const [k, H] of horizons.entries()) {
    const cols = await engine.churnFeatures({
      horizonDays: H,
      ...(options.asOf ? { asOf: options.asOf } : {}),
      ...(options.lostDays !== undefined ? { lostDays: options.lostDays } : {}),
    });
    population = cols.population;
    const names = new Set(featureNames(cols));
    for (const x of exclude)
      if (!names.has(x))
        throw new UserError(`--exclude: no feature "${x}" (features: ${[...names].join(', ')})`);
    if (cols.customerIds.length < 20)
      throw new UserError(
        `only ${cols.customerIds.length} customers at risk on ${cols.asOf}: too few to train`,
      );
    const run = trainChurn(
      { features: featureTableOf(cols, exclude), labels: cols.labels! },
      cols.customerIds,
      {
        ...trainOptions(options),
        testFraction: options.testFraction ?? 0.3,
      },
    );
    runs.push({ ...run, horizonDays: H, asOf: cols.asOf });
    options.onHorizon?.(k + 1, horizons.length);
  }
  return {
    document: {
      format: CHURN_MODEL_FORMAT,
      version: 1,
      createdAt: new Date().toISOString(),
      source: { type: 'workspace', population, lostDays: options.lostDays ?? 60 },
      exclude: [...exclude],
      models: runs.map((r) => entryOf(r, r.horizonDays, r.asOf)),
    },
    runs,
  };
}

/** `retain churn train --json` (and the API's): the first horizon at the top, every horizon listed. */
export function trainSummary(result: ChurnTrainResult, saved: string | null) {
  const horizons = result.runs.map((r) => ({
    horizonDays: r.horizonDays,
    asOf: r.asOf,
    model: r.model.kind,
    train: r.train,
    test: r.test,
    crossValidation: r.crossValidation,
    importance: r.importance,
  }));
  const first = horizons[0]!;
  return {
    model: first.model,
    source: result.document.source,
    train: first.train,
    test: first.test,
    crossValidation: first.crossValidation,
    importance: first.importance,
    horizons,
    saved,
  };
}
