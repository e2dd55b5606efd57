/**
 * A boosted tree model as plain JSON (format 'retain-gbdt', version 1) and back. The bin edges and
 * category levels travel with the trees, so a loaded model re-bins new raw tables exactly as the fitted
 * one did; numbers survive JSON exactly (JavaScript prints the shortest round-tripping decimal), so
 * predictions of a loaded model are bit-identical.
 *
 * Loading validates everything a corrupt or hand-edited file could break (tree shape, child indices,
 * features and bins in range, finite numbers, consistent covers) and throws an Error naming the first
 * problem, instead of returning a model that would mis-score silently.
 */
import type { FeatureBinning } from './binning.js';
import { MAX_BINS, missingBin } from './binning.js';
import { resolveGbdtOptions } from './boost.js';
import type { GbdtFitInfo, GbdtModel, GbdtOptions } from './model.js';
import { BITSET_WORDS } from './split.js';
import type { GbdtTree } from './tree.js';

export const GBDT_FORMAT = 'retain-gbdt';
export const GBDT_VERSION = 1;

export interface GbdtTreeJson {
  readonly left: number[];
  readonly right: number[];
  readonly feature: number[];
  /** Numeric splits: bins 0..threshold go left; -1 at leaves and categorical splits. */
  readonly threshold: number[];
  /** 1 when missing values (and, for categorical splits, unseen levels) go left. */
  readonly missingLeft: number[];
  /** Categorical splits: the bins (level indices; the missing bin included if it goes left) going left. */
  readonly categories: (number[] | null)[];
  readonly value: number[];
  readonly cover: number[];
  readonly gain: number[];
}

export type FeatureBinningJson =
  | { readonly kind: 'numeric'; readonly name: string; readonly thresholds: number[] }
  | { readonly kind: 'categorical'; readonly name: string; readonly levels: string[] };

export interface GbdtJson {
  readonly format: typeof GBDT_FORMAT;
  readonly version: typeof GBDT_VERSION;
  readonly baseline: number;
  readonly features: FeatureBinningJson[];
  readonly trees: GbdtTreeJson[];
  readonly options: Record<string, unknown>;
  readonly info: GbdtFitInfo;
}

/** @example JSON.stringify(gbdtToJson(model)) */
export function gbdtToJson(model: GbdtModel): GbdtJson {
  return {
    format: GBDT_FORMAT,
    version: GBDT_VERSION,
    baseline: model.baseline,
    features: model.binning.map((b) =>
      b.kind === 'numeric'
        ? { kind: 'numeric', name: b.name, thresholds: Array.from(b.thresholds) }
        : { kind: 'categorical', name: b.name, levels: [...b.levels] },
    ),
    trees: model.trees.map((t) => treeToJson(t, model.binning)),
    options: { ...model.options },
    info: model.info,
  };
}

function treeToJson(t: GbdtTree, binning: readonly FeatureBinning[]): GbdtTreeJson {
  const categories = Array.from(t.feature, (f, j) => {
    const b = f >= 0 ? binning[f]! : null;
    if (!b || b.kind !== 'categorical') return null;
    const out: number[] = [];
    for (let bin = 0; bin <= missingBin(b); bin++)
      if ((t.leftBins[j * BITSET_WORDS + (bin >>> 5)]! >>> (bin & 31)) & 1) out.push(bin);
    return out;
  });
  return {
    left: Array.from(t.left),
    right: Array.from(t.right),
    feature: Array.from(t.feature),
    threshold: Array.from(t.threshold),
    missingLeft: Array.from(t.missingLeft),
    categories,
    value: Array.from(t.value),
    cover: Array.from(t.cover),
    gain: Array.from(t.gain),
  };
}

/**
 * Rebuild a model from gbdtToJson output (parsed), validating it.
 *
 * @example const model = gbdtFromJson(JSON.parse(text))
 */
export function gbdtFromJson(json: unknown): GbdtModel {
  const o = asRecord(json, 'model');
  if (o.format !== GBDT_FORMAT) throw new Error(`not a ${GBDT_FORMAT} model (format: ${String(o.format)})`);
  if (o.version !== GBDT_VERSION)
    throw new Error(
      `unsupported ${GBDT_FORMAT} version ${String(o.version)} (this build reads ${GBDT_VERSION})`,
    );
  const baseline = finite(o.baseline, 'baseline');
  const features = asArray(o.features, 'features');
  if (features.length === 0) throw new Error('features: the model has no features');
  const names = new Set<string>();
  const binning = features.map((raw, f): FeatureBinning => {
    const b = asRecord(raw, `features[${f}]`);
    const name = b.name;
    if (typeof name !== 'string') throw new Error(`features[${f}].name must be a string`);
    if (names.has(name)) throw new Error(`features[${f}]: duplicate name '${name}'`);
    names.add(name);
    if (b.kind === 'numeric') {
      const t = asArray(b.thresholds, `features[${f}].thresholds`).map((v, i) =>
        finite(v, `features[${f}].thresholds[${i}]`),
      );
      if (t.length > MAX_BINS - 1) throw new Error(`features[${f}]: more than ${MAX_BINS} bins`);
      for (let i = 1; i < t.length; i++)
        if (!(t[i]! > t[i - 1]!)) throw new Error(`features[${f}].thresholds must increase strictly`);
      return { kind: 'numeric', name, thresholds: Float64Array.from(t) };
    }
    if (b.kind === 'categorical') {
      const levels = asArray(b.levels, `features[${f}].levels`).map((v, i) => {
        if (typeof v !== 'string') throw new Error(`features[${f}].levels[${i}] must be a string`);
        return v;
      });
      if (levels.length > MAX_BINS) throw new Error(`features[${f}]: more than ${MAX_BINS} levels`);
      if (new Set(levels).size !== levels.length) throw new Error(`features[${f}].levels has duplicates`);
      return { kind: 'categorical', name, levels };
    }
    throw new Error(`features[${f}].kind must be 'numeric' or 'categorical'`);
  });
  const trees = asArray(o.trees, 'trees').map((t, i) => treeFromJson(t, binning, `trees[${i}]`));
  const opts = asRecord(o.options, 'options');
  let options;
  try {
    options = resolveGbdtOptions({ ...opts, maxDepth: opts.maxDepth ?? undefined } as GbdtOptions);
  } catch (e) {
    throw new Error(`options: ${(e as Error).message}`);
  }
  return { binning, baseline, trees, options, info: infoFromJson(o.info, trees.length) };
}

function infoFromJson(raw: unknown, trees: number): GbdtFitInfo {
  const i = asRecord(raw, 'info');
  const count = (key: string): number => {
    const v = i[key];
    if (!Number.isInteger(v) || (v as number) < 0) throw new Error(`info.${key} must be a count`);
    return v as number;
  };
  const losses = (key: string): number[] =>
    asArray(i[key], `info.${key}`).map((v, k) => finite(v, `info.${key}[${k}]`));
  if (typeof i.stoppedEarly !== 'boolean') throw new Error('info.stoppedEarly must be a boolean');
  const info: GbdtFitInfo = {
    iterations: count('iterations'),
    treesKept: count('treesKept'),
    stoppedEarly: i.stoppedEarly,
    trainLoss: losses('trainLoss'),
    validationLoss: losses('validationLoss'),
    trainRows: count('trainRows'),
    validationRows: count('validationRows'),
  };
  if (info.treesKept !== trees)
    throw new Error(`info.treesKept is ${info.treesKept} but the model has ${trees} trees`);
  return info;
}

function treeFromJson(raw: unknown, binning: readonly FeatureBinning[], at: string): GbdtTree {
  const t = asRecord(raw, at);
  const left = intArray(t.left, `${at}.left`);
  const n = left.length;
  if (n === 0) throw new Error(`${at}: a tree needs at least one node`);
  const field = (key: string): unknown[] => {
    const a = asArray(t[key], `${at}.${key}`);
    if (a.length !== n) throw new Error(`${at}.${key} has ${a.length} entries, left has ${n}`);
    return a;
  };
  const right = intArray(field('right'), `${at}.right`);
  const feature = intArray(field('feature'), `${at}.feature`);
  const threshold = intArray(field('threshold'), `${at}.threshold`);
  const missingLeft = intArray(field('missingLeft'), `${at}.missingLeft`);
  const categories = field('categories');
  const value = field('value').map((v, j) => finite(v, `${at}.value[${j}]`));
  const cover = field('cover').map((v, j) => finite(v, `${at}.cover[${j}]`));
  const gain = field('gain').map((v, j) => finite(v, `${at}.gain[${j}]`));
  const leftBins = new Uint32Array(n * BITSET_WORDS);
  const parents = new Int32Array(n).fill(-1);
  for (let j = 0; j < n; j++) {
    const where = `${at} node ${j}`;
    if (!(cover[j]! > 0)) throw new Error(`${where}: cover must be positive`);
    if (left[j]! < 0) {
      if (right[j] !== -1 || left[j] !== -1) throw new Error(`${where}: a leaf has left = right = -1`);
      continue;
    }
    for (const c of [left[j]!, right[j]!]) {
      // Children after the parent and each node with one parent: a tree, no cycles.
      if (!(c > j && c < n)) throw new Error(`${where}: child ${c} must be in (${j}, ${n})`);
      if (parents[c] !== -1) throw new Error(`${where}: node ${c} has two parents`);
      parents[c] = j;
    }
    if (Math.abs(cover[left[j]!]! + cover[right[j]!]! - cover[j]!) > 1e-9 * cover[j]!)
      throw new Error(`${where}: cover is not the sum of the children's covers`);
    const f = feature[j]!;
    const b = binning[f];
    if (!b) throw new Error(`${where}: feature ${f} out of range`);
    const nb = missingBin(b);
    const set = (bin: number): void => {
      leftBins[j * BITSET_WORDS + (bin >>> 5)]! |= 1 << (bin & 31);
    };
    if (missingLeft[j] !== 0 && missingLeft[j] !== 1) throw new Error(`${where}: missingLeft must be 0 or 1`);
    if (b.kind === 'numeric') {
      const th = threshold[j]!;
      if (!(th >= 0 && th < nb)) throw new Error(`${where}: threshold bin ${th} out of [0, ${nb - 1}]`);
      for (let bin = 0; bin <= th; bin++) set(bin);
      if (missingLeft[j]) set(nb);
    } else {
      const cats = asArray(categories[j], `${where} categories`);
      for (const c of cats) {
        if (!Number.isInteger(c) || (c as number) < 0 || (c as number) > nb)
          throw new Error(`${where}: category bin ${String(c)} out of [0, ${nb}]`);
        set(c as number);
      }
      const missingIn = ((leftBins[j * BITSET_WORDS + (nb >>> 5)]! >>> (nb & 31)) & 1) === 1;
      if (missingIn !== (missingLeft[j] === 1))
        throw new Error(`${where}: missingLeft disagrees with categories`);
    }
  }
  for (let j = 1; j < n; j++) if (parents[j] === -1) throw new Error(`${at} node ${j} is unreachable`);
  return {
    left,
    right,
    feature,
    threshold,
    missingLeft: Uint8Array.from(missingLeft),
    leftBins,
    value: Float64Array.from(value),
    cover: Float64Array.from(cover),
    gain: Float64Array.from(gain),
  };
}

function asRecord(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function asArray(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${what} must be an array`);
  return v;
}

function finite(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what} must be a finite number`);
  return v;
}

function intArray(v: unknown, what: string): Int32Array {
  const a = asArray(v, what);
  return Int32Array.from(a, (x, i) => {
    if (!Number.isInteger(x)) throw new Error(`${what}[${i}] must be an integer`);
    return x as number;
  });
}
