/**
 * Churned vs retained customers on every attribute (DOMAIN 5.4), with a test per attribute: Welch's t
 * test for numeric columns (means, missing values left out) and Pearson's chi-square test of
 * independence for categorical ones (missing as its own level), sorted by p-value. Effect sizes say how
 * big a difference is: the standardised mean difference (pooled sd) and Cramér's V.
 */
import type { LabelledTable } from '../../models/learn/feature-table.js';
import { chiSquareSurvival, studentTTwoSidedP } from '../../models/special/distributions.js';

export interface GroupMoments {
  readonly n: number;
  readonly missing: number;
  readonly mean: number;
  readonly sd: number;
}

export interface NumericComparison {
  readonly column: string;
  readonly kind: 'numeric';
  readonly churned: GroupMoments;
  readonly retained: GroupMoments;
  readonly difference: number;
  readonly standardizedDifference: number;
  readonly test: 'welch-t';
  readonly statistic: number;
  readonly df: number;
  readonly p: number;
}

export interface CategoricalComparison {
  readonly column: string;
  readonly kind: 'categorical';
  readonly levels: readonly {
    readonly level: string;
    readonly churned: number;
    readonly retained: number;
    readonly churnRate: number;
  }[];
  readonly test: 'chi-square';
  readonly statistic: number;
  readonly df: number;
  readonly p: number;
  readonly cramersV: number;
}

export type AttributeComparison = NumericComparison | CategoricalComparison;

function moments(values: Float64Array, labels: Uint8Array, cls: number): GroupMoments {
  let n = 0;
  let missing = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    if (labels[i] !== cls) continue;
    const v = values[i]!;
    if (Number.isNaN(v)) missing++;
    else {
      n++;
      sum += v;
    }
  }
  const mean = n > 0 ? sum / n : NaN;
  let ss = 0;
  for (let i = 0; i < values.length; i++)
    if (labels[i] === cls && !Number.isNaN(values[i]!)) ss += (values[i]! - mean) ** 2;
  return { n, missing, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN };
}

export function compareChurned(data: LabelledTable): AttributeComparison[] {
  const labels = data.labels;
  const out: AttributeComparison[] = [];
  for (const c of data.features.columns) {
    if (c.kind === 'numeric') {
      const a = moments(c.values, labels, 1);
      const b = moments(c.values, labels, 0);
      const va = (a.sd * a.sd) / a.n;
      const vb = (b.sd * b.sd) / b.n;
      const se = Math.sqrt(va + vb);
      const t = se > 0 ? (a.mean - b.mean) / se : 0;
      const df = se > 0 ? (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1)) : NaN;
      const pooled = Math.sqrt(((a.n - 1) * a.sd ** 2 + (b.n - 1) * b.sd ** 2) / (a.n + b.n - 2));
      out.push({
        column: c.name,
        kind: 'numeric',
        churned: a,
        retained: b,
        difference: a.mean - b.mean,
        standardizedDifference: pooled > 0 ? (a.mean - b.mean) / pooled : 0,
        test: 'welch-t',
        statistic: t,
        df,
        p: se > 0 && Number.isFinite(df) ? studentTTwoSidedP(t, df) : 1,
      });
      continue;
    }
    const k = c.levels.length + 1; // + missing
    const counts = Array.from({ length: k }, () => [0, 0]);
    for (let i = 0; i < labels.length; i++) {
      const code = c.codes[i]!;
      counts[code < 0 ? k - 1 : code]![labels[i]!]!++;
    }
    const used = counts.map((x, j) => ({ x, j })).filter(({ x }) => x[0]! + x[1]! > 0);
    const n = labels.length;
    const churned = labels.reduce((s, y) => s + y, 0);
    let chi = 0;
    for (const { x } of used) {
      const row = x[0]! + x[1]!;
      for (const cls of [0, 1]) {
        const expected = (row * (cls === 1 ? churned : n - churned)) / n;
        if (expected > 0) chi += (x[cls]! - expected) ** 2 / expected;
      }
    }
    const df = used.length - 1;
    out.push({
      column: c.name,
      kind: 'categorical',
      levels: used.map(({ x, j }) => ({
        level: j === k - 1 ? '(missing)' : c.levels[j]!,
        churned: x[1]!,
        retained: x[0]!,
        churnRate: x[1]! / (x[0]! + x[1]!),
      })),
      test: 'chi-square',
      statistic: chi,
      df,
      p: df > 0 ? chiSquareSurvival(chi, df) : 1,
      cramersV: df > 0 && churned > 0 && churned < n ? Math.sqrt(chi / n) : 0,
    });
  }
  const effect = (c: AttributeComparison) =>
    c.kind === 'numeric' ? Math.abs(c.standardizedDifference) : c.cramersV;
  return out.sort((a, b) => a.p - b.p || effect(b) - effect(a) || (a.column < b.column ? -1 : 1));
}
