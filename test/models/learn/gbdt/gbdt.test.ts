import { describe, expect, it } from 'vitest';
import { Random } from '../../../../src/models/random.js';
import type { FeatureTable } from '../../../../src/models/learn/feature-table.js';
import { binTable, fitBinning, missingBin, numericBin } from '../../../../src/models/learn/gbdt/binning.js';
import { fitGbdt, resolveGbdtOptions } from '../../../../src/models/learn/gbdt/boost.js';
import {
  buildHistogram,
  histogramLayout,
  newHistogram,
  subtractHistogram,
} from '../../../../src/models/learn/gbdt/histogram.js';
import { gbdtFromJson, gbdtToJson } from '../../../../src/models/learn/gbdt/json.js';
import { predictMargin, predictProbability } from '../../../../src/models/learn/gbdt/predict.js';
import { findBestSplit, inBinSet } from '../../../../src/models/learn/gbdt/split.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** n rows: x numeric (NaN 10 %), colour categorical (4 levels, code -1 5 %), noise numeric. */
function synthetic(n: number, seed: number): { features: FeatureTable; labels: Uint8Array } {
  const rng = new Random(seed);
  const x = new Float64Array(n);
  const colour = new Int32Array(n);
  const noise = new Float64Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.uniform() < 0.1 ? NaN : rng.normal();
    colour[i] = rng.uniform() < 0.05 ? -1 : Math.floor(rng.uniform() * 4);
    noise[i] = rng.normal();
    // Missing x means likely positive; blue (1) and red (3) raise the odds.
    const z = Number.isNaN(x[i]!) ? 2 : 1.5 * x[i]!;
    const c = colour[i] === 1 || colour[i] === 3 ? 1 : colour[i] === -1 ? 0 : -1;
    labels[i] = rng.uniform() < 1 / (1 + Math.exp(-(z + c))) ? 1 : 0;
  }
  return {
    features: {
      rows: n,
      columns: [
        { kind: 'numeric', name: 'x', values: x },
        {
          kind: 'categorical',
          name: 'colour',
          levels: ['green', 'blue', 'yellow', 'red'].sort(),
          codes: colour,
        },
        { kind: 'numeric', name: 'noise', values: noise },
      ],
    },
    labels,
  };
}

describe('binning', () => {
  it('cuts between distinct values, keeps repeated values in one bin and NaN in the missing bin', () => {
    const values = Float64Array.from([1, 1, 1, 2, 3, 3, NaN, 10]);
    const table: FeatureTable = { rows: 8, columns: [{ kind: 'numeric', name: 'v', values }] };
    const [b] = fitBinning(table, range(8), { maxBins: 255, subsample: 1000, seed: 0 });
    if (b?.kind !== 'numeric') throw new Error('numeric expected');
    expect(Array.from(b.thresholds)).toEqual([1.5, 2.5, 6.5]);
    expect(missingBin(b)).toBe(4);
    expect(Array.from(binTable([b], table).bins[0]!)).toEqual([0, 0, 0, 1, 2, 2, 4, 3]);
    expect(numericBin(b.thresholds, -Infinity)).toBe(0);
    expect(numericBin(b.thresholds, Infinity)).toBe(3);
  });

  it('makes at most maxBins quantile bins of roughly equal size', () => {
    const rng = new Random(3);
    const values = Float64Array.from({ length: 10_000 }, () => rng.normal());
    const table: FeatureTable = { rows: values.length, columns: [{ kind: 'numeric', name: 'v', values }] };
    const [b] = fitBinning(table, range(values.length), { maxBins: 10, subsample: 1e6, seed: 0 });
    const bins = binTable([b!], table).bins[0]!;
    const counts = new Array<number>(11).fill(0);
    for (const v of bins) counts[v]!++;
    expect(counts.slice(0, 10).every((c) => Math.abs(c - 1000) <= 2)).toBe(true);
    expect(counts[10]).toBe(0);
  });

  it('matches categorical levels by text, sending unseen levels and -1 to the missing bin', () => {
    const train: FeatureTable = {
      rows: 4,
      columns: [
        { kind: 'categorical', name: 'c', levels: ['a', 'b', 'z'], codes: Int32Array.of(0, 1, 1, -1) },
      ],
    };
    const binning = fitBinning(train, range(4), { maxBins: 255, subsample: 100, seed: 0 });
    // 'z' never occurs in training rows, so it gets no bin.
    expect(binning[0]).toEqual({ kind: 'categorical', name: 'c', levels: ['a', 'b'] });
    const other: FeatureTable = {
      rows: 4,
      columns: [
        { kind: 'categorical', name: 'c', levels: ['b', 'new', 'z'], codes: Int32Array.of(0, 1, 2, -1) },
      ],
    };
    expect(Array.from(binTable(binning, other).bins[0]!)).toEqual([1, 2, 2, 2]);
  });

  it('rejects a table that lacks a model column or has it with the other kind', () => {
    const { features } = synthetic(50, 1);
    const binning = fitBinning(features, range(50), { maxBins: 255, subsample: 100, seed: 0 });
    expect(() => binTable(binning, { rows: 50, columns: features.columns.slice(1) })).toThrow(/'x'/);
    const swapped: FeatureTable = {
      rows: 50,
      columns: [
        { kind: 'categorical', name: 'x', levels: [], codes: new Int32Array(50) },
        ...features.columns.slice(1),
      ],
    };
    expect(() => binTable(binning, swapped)).toThrow(/categorical here but numeric/);
  });
});

describe('histograms and splits', () => {
  const { features } = synthetic(500, 2);
  const binning = fitBinning(features, range(500), { maxBins: 16, subsample: 1000, seed: 0 });
  const table = binTable(binning, features);
  const layout = histogramLayout(binning.map((b) => missingBin(b) + 1));
  const rng = new Random(9);
  const grad = Float64Array.from({ length: 500 }, () => rng.normal());
  const hess = Float64Array.from({ length: 500 }, () => 0.05 + rng.uniform());
  const ordered = new Float64Array(1000);

  it('subtraction from the parent equals the histogram built from the larger child', () => {
    const rows = Uint32Array.from(range(500));
    const parent = newHistogram(layout);
    buildHistogram(parent, table, layout, rows, 0, 500, true, grad, hess, ordered);
    const small = newHistogram(layout);
    buildHistogram(small, table, layout, rows, 0, 180, false, grad, hess, ordered);
    const large = newHistogram(layout);
    buildHistogram(large, table, layout, rows, 180, 500, false, grad, hess, ordered);
    const subtracted = newHistogram(layout);
    subtractHistogram(subtracted, parent, small);
    for (let i = 0; i < large.length; i++) expect(Math.abs(subtracted[i]! - large[i]!)).toBeLessThan(1e-12);
  });

  it('finds the split of largest gain, as an exhaustive search over numeric cuts and missing sides does', () => {
    const rows = Uint32Array.from(range(500));
    const hist = newHistogram(layout);
    buildHistogram(hist, table, layout, rows, 0, 500, true, grad, hess, ordered);
    const G = grad.reduce((a, b) => a + b, 0);
    const H = hess.reduce((a, b) => a + b, 0);
    const options = {
      l2: 1,
      minSamplesLeaf: 20,
      minHessian: 1e-3,
      categorical: { maxOneHot: 4, maxThreshold: 32, smoothing: 10, l2: 10, minCount: 10 },
    };
    const shape = {
      categorical: Uint8Array.from(binning, (b) => (b.kind === 'categorical' ? 1 : 0)),
      missingBin: Int32Array.from(binning, missingBin),
      offsets: layout.offsets,
    };
    // Compare against every (cut, missing side) partition of the numeric features, from the raw rows.
    const split = findBestSplit(hist, shape, G, H, 500, options)!;
    let bestGain = 0;
    for (const f of [0, 2]) {
      const nb = missingBin(binning[f]!);
      for (let t = -1; t < nb; t++) {
        for (const missLeft of [false, true]) {
          let gl = 0;
          let hl = 0;
          let cl = 0;
          for (let i = 0; i < 500; i++) {
            const b = table.bins[f]![i]!;
            if (b === nb ? missLeft : b <= t) {
              gl += grad[i]!;
              hl += hess[i]!;
              cl++;
            }
          }
          if (cl < 20 || 500 - cl < 20) continue;
          const gain = (gl * gl) / (hl + 1) + ((G - gl) * (G - gl)) / (H - hl + 1) - (G * G) / (H + 1);
          bestGain = Math.max(bestGain, gain);
        }
      }
    }
    // The categorical feature may win; the numeric optimum is then no better.
    if (split.feature === 1) expect(split.gain).toBeGreaterThanOrEqual(bestGain - 1e-9);
    else expect(split.gain).toBeCloseTo(bestGain, 9);
    expect(split.leftCount).toBeGreaterThanOrEqual(20);
  });

  it('returns no split when a node is too small for two leaves', () => {
    const hist = newHistogram(layout);
    const options = {
      l2: 0,
      minSamplesLeaf: 300,
      minHessian: 1e-3,
      categorical: { maxOneHot: 4, maxThreshold: 32, smoothing: 10, l2: 10, minCount: 10 },
    };
    const shape = {
      categorical: Uint8Array.from(binning, (b) => (b.kind === 'categorical' ? 1 : 0)),
      missingBin: Int32Array.from(binning, missingBin),
      offsets: layout.offsets,
    };
    expect(findBestSplit(hist, shape, 1, 100, 500, options)).toBeNull();
  });
});

describe('fitting', () => {
  it('learns where missing values go: rows with x missing score like high x', () => {
    const data = synthetic(4000, 4);
    const model = fitGbdt(data, { seed: 3 });
    const p = predictProbability(model, data.features);
    const x = (data.features.columns[0] as { values: Float64Array }).values;
    let missing = 0;
    let nMissing = 0;
    let low = 0;
    let nLow = 0;
    for (let i = 0; i < p.length; i++) {
      if (Number.isNaN(x[i]!)) {
        missing += p[i]!;
        nMissing++;
      } else if (x[i]! < -0.5) {
        low += p[i]!;
        nLow++;
      }
    }
    expect(missing / nMissing).toBeGreaterThan(0.7);
    expect(low / nLow).toBeLessThan(0.35);
  });

  it('sends unseen categories the way of missing ones', () => {
    const data = synthetic(3000, 5);
    const model = fitGbdt(data, { earlyStopping: false, maxIterations: 30 });
    const withColour = (levels: string[], code: number): FeatureTable => ({
      rows: 1,
      columns: [
        { kind: 'numeric', name: 'x', values: Float64Array.of(0.3) },
        { kind: 'categorical', name: 'colour', levels, codes: Int32Array.of(code) },
        { kind: 'numeric', name: 'noise', values: Float64Array.of(0) },
      ],
    });
    const missing = predictMargin(model, withColour(['blue'], -1))[0];
    const unseen = predictMargin(model, withColour(['purple'], 0))[0];
    const red = predictMargin(model, withColour(['red'], 0))[0];
    expect(unseen).toBe(missing);
    expect(red).not.toBe(missing);
  });

  it('stops early on noise and keeps the trees up to the best validation loss', () => {
    const rng = new Random(8);
    const n = 3000;
    const features: FeatureTable = {
      rows: n,
      columns: range(5).map((j) => ({
        kind: 'numeric' as const,
        name: `v${j}`,
        values: Float64Array.from({ length: n }, () => rng.normal()),
      })),
    };
    const labels = Uint8Array.from({ length: n }, () => (rng.uniform() < 0.3 ? 1 : 0));
    const model = fitGbdt({ features, labels }, { maxIterations: 200, patience: 10 });
    expect(model.info.stoppedEarly).toBe(true);
    expect(model.info.iterations).toBeLessThan(200);
    expect(model.info.iterations - model.info.treesKept).toBe(10);
    expect(model.trees.length).toBe(model.info.treesKept);
    const v = model.info.validationLoss;
    expect(Math.min(...v)).toBe(v[model.info.treesKept]);
    expect(model.info.validationRows).toBe(300);
    // Without early stopping the same data runs all iterations (the lone-leaf stop aside).
    const full = fitGbdt({ features, labels }, { maxIterations: 30, earlyStopping: false });
    expect(full.info.iterations).toBe(30);
    expect(full.info.validationLoss).toEqual([]);
  });

  it('respects maxDepth, maxLeafNodes and minSamplesLeaf', () => {
    const data = synthetic(2000, 6);
    const model = fitGbdt(data, { maxDepth: 2, maxLeafNodes: 31, earlyStopping: false, maxIterations: 5 });
    const shallow = fitGbdt(data, {
      maxLeafNodes: 3,
      minSamplesLeaf: 100,
      earlyStopping: false,
      maxIterations: 5,
    });
    for (const tree of model.trees) {
      const depth = new Int32Array(tree.left.length);
      for (let j = 0; j < tree.left.length; j++) {
        if (tree.left[j]! >= 0) depth[tree.left[j]!] = depth[tree.right[j]!] = depth[j]! + 1;
      }
      expect(Math.max(...depth)).toBeLessThanOrEqual(2);
    }
    for (const tree of shallow.trees) {
      const leaves = Array.from(tree.left).filter((l) => l < 0).length;
      expect(leaves).toBeLessThanOrEqual(3);
      tree.cover.forEach((c) => expect(c).toBeGreaterThanOrEqual(100));
    }
  });

  it('validates options and data with clear errors', () => {
    const data = synthetic(100, 7);
    expect(() => resolveGbdtOptions({ maxBins: 256 })).toThrow(/maxBins/);
    expect(() => resolveGbdtOptions({ learningRate: 0 })).toThrow(/learningRate/);
    expect(() => resolveGbdtOptions({ validationFraction: 1 })).toThrow(/validationFraction/);
    expect(() => resolveGbdtOptions({ classWeight: { negative: 1, positive: -1 } })).toThrow(/classWeight/);
    expect(() => fitGbdt({ features: data.features, labels: new Uint8Array(100) })).toThrow(/both classes/);
    expect(() => fitGbdt({ features: data.features, labels: new Uint8Array(99) })).toThrow(/rows/);
  });
});

describe('JSON', () => {
  const data = synthetic(1500, 10);
  const model = fitGbdt(data, { seed: 2 });
  const json = () => JSON.parse(JSON.stringify(gbdtToJson(model)));

  it('keeps predictions identical, missing values and categorical splits included', () => {
    const loaded = gbdtFromJson(json());
    expect(Array.from(predictMargin(loaded, data.features))).toEqual(
      Array.from(predictMargin(model, data.features)),
    );
    expect(loaded.trees.map((t) => Array.from(t.leftBins))).toEqual(
      model.trees.map((t) => Array.from(t.leftBins)),
    );
  });

  it('stores categorical splits as level indices and numeric ones as bin cuts', () => {
    const j = gbdtToJson(model);
    const colourNodes = j.trees.flatMap((t) => t.feature.map((f, k) => ({ f, cats: t.categories[k] })));
    expect(colourNodes.some((n) => n.f === 1 && Array.isArray(n.cats))).toBe(true);
    expect(colourNodes.filter((n) => n.f !== 1).every((n) => n.cats === null)).toBe(true);
    // Blue (bin 0) and red (bin 2) push the same way, green (1) and yellow (3) the other: the colour
    // split over the most rows groups them so, one many-vs-many split instead of several one-hot ones.
    let top = { cover: 0, tree: model.trees[0]!, node: -1 };
    for (const t of model.trees)
      t.feature.forEach((f, k) => {
        if (f === 1 && t.cover[k]! > top.cover) top = { cover: t.cover[k]!, tree: t, node: k };
      });
    const side = (bin: number) => inBinSet(top.tree.leftBins, top.node * 8, bin);
    expect(side(0)).toBe(side(2));
    expect(side(1)).toBe(side(3));
    expect(side(0)).not.toBe(side(1));
  });

  it('refuses broken files with a message naming the problem', () => {
    expect(() => gbdtFromJson({ ...json(), format: 'xgboost' })).toThrow(/not a retain-gbdt model/);
    expect(() => gbdtFromJson({ ...json(), version: 2 })).toThrow(/unsupported retain-gbdt version 2/);
    const badChild = json();
    badChild.trees[0].left[0] = 0;
    expect(() => gbdtFromJson(badChild)).toThrow(/trees\[0\] node 0: child 0/);
    const badBin = json();
    const k = badBin.trees[0].threshold.findIndex((t: number) => t >= 0);
    badBin.trees[0].threshold[k] = 999;
    expect(() => gbdtFromJson(badBin)).toThrow(/threshold bin 999/);
    const badValue = json();
    badValue.trees[0].value[0] = null;
    expect(() => gbdtFromJson(badValue)).toThrow(/value\[0\] must be a finite number/);
    const badEdges = json();
    badEdges.features[0].thresholds = [2, 1];
    expect(() => gbdtFromJson(badEdges)).toThrow(/increase strictly/);
    const badOptions = json();
    badOptions.options.maxBins = 1000;
    expect(() => gbdtFromJson(badOptions)).toThrow(/options: maxBins/);
  });
});
