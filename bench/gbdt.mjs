// Histogram gradient-boosted trees at scale: N rows (default 1,000,000) x 50 synthetic features
// (40 numeric, 5 % of them missing in 10 columns; 10 categorical with 3 to 30 levels), a seeded
// nonlinear logistic label, 100 boosting iterations with the default tree settings (31 leaves, 255 bins)
// and early stopping off so that every run builds all 100 trees. Prints one JSON line: fit and predict
// seconds and the peak resident set size. Run after `npm run build`: node bench/gbdt.mjs [rows]
import { cpus, totalmem } from 'node:os';
import { Random } from '../dist/models/random.js';
import { fitGbdt } from '../dist/models/learn/gbdt/boost.js';
import { predictProbability } from '../dist/models/learn/gbdt/predict.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const iterations = Number(process.argv[3] ?? 100);
const NUMERIC = 40;
const CATEGORICAL = 10;
const rng = new Random(20_240_601);

const columns = [];
const margin = new Float64Array(rows);
for (let f = 0; f < NUMERIC; f++) {
  const values = new Float64Array(rows);
  const missing = f < 10 ? 0.05 : 0;
  const weight = f < 12 ? 1 / (1 + f) : 0; // 12 informative columns, the rest noise
  for (let i = 0; i < rows; i++) {
    const x = f % 3 === 0 ? rng.exponential(1) : rng.normal();
    if (missing > 0 && rng.uniform() < missing) {
      values[i] = NaN;
      margin[i] += 0.3 * weight;
    } else {
      values[i] = x;
      // Nonlinear effects: a step, a square and a plain slope, in turn.
      margin[i] += weight * (f % 3 === 0 ? (x > 1 ? 1 : -0.5) : f % 3 === 1 ? x * x - 1 : x);
    }
  }
  columns.push({ kind: 'numeric', name: `x${f}`, values });
}
for (let f = 0; f < CATEGORICAL; f++) {
  const k = 3 + Math.round((27 * f) / (CATEGORICAL - 1));
  const levels = Array.from({ length: k }, (_, i) => `c${String(i).padStart(2, '0')}`);
  const effect = Array.from({ length: k }, () => (f < 4 ? 0.6 * rng.normal() : 0));
  const codes = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = Math.min(k - 1, Math.floor(rng.uniform() * k));
    codes[i] = c;
    margin[i] += effect[c];
  }
  columns.push({ kind: 'categorical', name: `c${f}`, levels, codes });
}
const labels = new Uint8Array(rows);
for (let i = 0; i < rows; i++) labels[i] = rng.uniform() < 1 / (1 + Math.exp(-(margin[i] - 1))) ? 1 : 0;
const features = { rows, columns };

const t0 = performance.now();
const model = fitGbdt({ features, labels }, { maxIterations: iterations, earlyStopping: false, seed: 1 });
const fitSeconds = (performance.now() - t0) / 1000;
const t1 = performance.now();
const p = predictProbability(model, features);
const predictSeconds = (performance.now() - t1) / 1000;
let logLoss = 0;
for (let i = 0; i < rows; i++) logLoss -= Math.log(labels[i] ? p[i] : 1 - p[i]);

console.log(
  JSON.stringify({
    bench: 'gbdt',
    rows,
    features: columns.length,
    iterations: model.trees.length,
    fitSeconds: Number(fitSeconds.toFixed(2)),
    predictSeconds: Number(predictSeconds.toFixed(2)),
    trainLogLoss: Number((logLoss / rows).toFixed(4)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  }),
);
