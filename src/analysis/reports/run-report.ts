/**
 * Run a report definition: load its dataset from the engine, filter, aggregate each section's cells, compute
 * the formula measures, draw the charts, and return the `ReportDocument` every writer and the dashboard use.
 */
import type {
  ReportCell,
  ReportColumn,
  ReportDocument,
  ReportSection,
  ReportTable,
} from '../../export/report-document.js';
import type { Engine } from '../../engine/engine.js';
import {
  CHURN_TYPES,
  TENURE_BANDS,
  type ChurnReportOptions,
  type ReportDimension,
} from '../../engine/report-types.js';
import { reportChartSvg } from '../../charts/report-charts.js';
import {
  DATASETS,
  loadDataset,
  type DatasetDef,
  type DatasetRecord,
  type LoadedDataset,
  type MeasureDef,
} from './datasets.js';
import type { ReportSectionSpec, ReportSpec } from './spec.js';

export interface RunReportOptions {
  readonly from?: string;
  readonly to?: string;
  /** Overrides the definition's groupBy (null: no grouping). */
  readonly by?: ReportDimension | null;
  readonly revenueKinds?: readonly string[] | null;
  readonly matchDays?: number;
  /** Extra parameters to print (e.g. the workspace). */
  readonly parameters?: readonly (readonly [string, string])[];
  /** Leave the charts out (faster; JSON output). */
  readonly charts?: boolean;
  /** Creation time (default now). */
  readonly createdAt?: string;
}

export interface ReportRun {
  readonly document: ReportDocument;
  readonly dataset: string;
  readonly from: string;
  readonly to: string;
  readonly by: ReportDimension | null;
}

type Dims = Readonly<Record<string, string>>;

interface Bucket {
  readonly dims: Dims;
  readonly records: DatasetRecord[];
}

const keyOf = (r: DatasetRecord, keys: readonly string[]) => JSON.stringify(keys.map((k) => String(r[k])));

function bucketsBy(records: readonly DatasetRecord[], keys: readonly string[]): Map<string, Bucket> {
  const out = new Map<string, Bucket>();
  for (const r of records) {
    const k = keyOf(r, keys);
    let b = out.get(k);
    if (!b) {
      b = { dims: Object.fromEntries(keys.map((d) => [d, String(r[d])])), records: [] };
      out.set(k, b);
    }
    b.records.push(r);
  }
  return out;
}

/** The value of a measure over a bucket's records (see `MeasureRule`). */
export function measureValue(
  ds: DatasetDef,
  name: string,
  bucket: Bucket,
  range: { readonly from: string; readonly to: string },
): number | null {
  const def: MeasureDef | undefined = ds.measures[name];
  if (!def) throw new Error(`unknown measure ${name}`);
  const rule = def.rule;
  const total = (rs: readonly DatasetRecord[], field = name) =>
    rs.reduce((s, r) => s + Number(r[field] ?? 0), 0);
  if ('agg' in rule) {
    if (rule.agg === 'sum') return total(bucket.records, rule.of ?? name);
    const month = bucket.dims.month ?? (rule.agg === 'first' ? range.from : range.to);
    return total(bucket.records.filter((r) => r.month === month));
  }
  if ('ratio' in rule) {
    const num = measureValue(ds, rule.ratio[0], bucket, range);
    const den = measureValue(ds, rule.ratio[1], bucket, range);
    return num === null || den === null || den === 0 ? null : num / den;
  }
  let s = 0;
  for (const [coef, m] of rule.terms) {
    const v = measureValue(ds, m, bucket, range);
    if (v === null) return null;
    s += coef * v;
  }
  return s;
}

function cell(def: MeasureDef, v: number | null): ReportCell {
  if (v === null || !Number.isFinite(v)) return null;
  switch (def.type) {
    case 'integer':
      return Math.round(v);
    case 'money':
      return Math.round(v * 100) / 100;
    case 'percent':
      return Math.round(v * 1e6) / 1e6;
    default:
      return Math.round(v * 1e4) / 1e4;
  }
}

const ORDERS: Readonly<Record<string, readonly string[]>> = { type: CHURN_TYPES, tenure: TENURE_BANDS };

function sortValues(dim: string, by: ReportDimension | null, values: Iterable<string>): string[] {
  const order = ORDERS[dim === 'group' ? (by ?? '') : dim];
  const rank = (v: string) => (order ? order.indexOf(v) + 1 || order.length + 1 : 0);
  return [...new Set(values)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function compareDims(keys: readonly string[], by: ReportDimension | null) {
  return (a: Dims, b: Dims): number => {
    for (const k of keys) {
      const [x, y] = [a[k]!, b[k]!];
      if (x === y) continue;
      const sorted = sortValues(k, by, [x, y]);
      return sorted[0] === x ? -1 : 1;
    }
    return 0;
  };
}

interface Context {
  readonly ds: DatasetDef;
  readonly records: readonly DatasetRecord[];
  readonly range: { readonly from: string; readonly to: string };
  readonly by: ReportDimension | null;
  /** Display label of a dimension value (reason codes get their reason). */
  readonly valueLabel: (dim: string, value: string) => string;
}

function dimLabel(ctx: Context, dim: string): string {
  return dim === 'group' ? (ctx.by ?? 'group') : (ctx.ds.dimensions[dim]?.label ?? dim);
}

function buildTable(ctx: Context, s: ReportSectionSpec): ReportTable {
  const rows = s.rows.filter((d) => d !== 'group' || ctx.by !== null);
  const { ds, range } = ctx;
  const pivotValues = s.pivot
    ? sortValues(
        s.pivot.dimension,
        ctx.by,
        ctx.records.map((r) => String(r[s.pivot!.dimension])),
      )
    : [];
  const pivotKey = (v: string) => `${s.pivot!.measure}:${v}`;
  const columns: ReportColumn[] = [
    ...rows.map((d): ReportColumn => ({ key: d, label: dimLabel(ctx, d), type: 'text' })),
    ...pivotValues.map((v): ReportColumn => ({
      key: pivotKey(v),
      label: ctx.valueLabel(s.pivot!.dimension, v),
      type: ds.measures[s.pivot!.measure]!.type,
    })),
    ...s.measures.map((m): ReportColumn => ({
      key: m,
      label: s.pivot && m === s.pivot.measure ? `total ${ds.measures[m]!.label}` : ds.measures[m]!.label,
      type: ds.measures[m]!.type,
    })),
  ];
  const pivoted = s.pivot ? bucketsBy(ctx.records, [...rows, s.pivot.dimension]) : new Map<string, Bucket>();
  const line = (b: Bucket, pivotLookup: (v: string) => Bucket | undefined) => {
    const out: Record<string, ReportCell> = {};
    for (const d of rows) out[d] = b.dims[d] ?? 'total';
    for (const v of pivotValues) {
      const pb = pivotLookup(v);
      const m = ds.measures[s.pivot!.measure]!;
      out[pivotKey(v)] = pb
        ? cell(m, measureValue(ds, s.pivot!.measure, pb, range))
        : m.type === 'percent'
          ? null
          : 0;
    }
    for (const m of s.measures) out[m] = cell(ds.measures[m]!, measureValue(ds, m, b, range));
    return out;
  };
  const buckets = [...bucketsBy(ctx.records, rows).values()].sort((a, b) =>
    compareDims(rows, ctx.by)(a.dims, b.dims),
  );
  const tableRows = buckets.map((b) =>
    line(b, (v) => pivoted.get(JSON.stringify([...rows.map((d) => b.dims[d]!), v]))),
  );
  let totals: Record<string, ReportCell> | undefined;
  if (s.totals && rows.length > 0) {
    const all: Bucket = { dims: {}, records: [...ctx.records] };
    const perPivot = s.pivot ? bucketsBy(ctx.records, [s.pivot.dimension]) : new Map<string, Bucket>();
    totals = line(all, (v) => perPivot.get(JSON.stringify([v])));
    rows.forEach((d, i) => (totals![d] = i === 0 ? 'total' : ''));
  }
  return { columns, rows: tableRows, ...(totals ? { totals } : {}) };
}

function buildChart(ctx: Context, s: ReportSectionSpec, subtitle: string): string {
  const c = s.chart!;
  const { ds, range } = ctx;
  const categories = sortValues(
    c.x,
    ctx.by,
    ctx.records.map((r) => String(r[c.x])),
  );
  const value = (b: Bucket | undefined, m: string) => (b ? measureValue(ds, m, b, range) : null);
  let series;
  if (c.series !== undefined) {
    const seriesDim = c.series;
    const buckets = bucketsBy(ctx.records, [c.x, seriesDim]);
    const names = sortValues(
      seriesDim,
      ctx.by,
      ctx.records.map((r) => String(r[seriesDim])),
    );
    series = names.map((n) => ({
      name: ctx.valueLabel(seriesDim, n),
      values: categories.map((x) => value(buckets.get(JSON.stringify([x, n])), c.y[0]!)),
    }));
  } else {
    const buckets = bucketsBy(ctx.records, [c.x]);
    series = c.y.map((m) => ({
      name: ds.measures[m]!.label,
      values: categories.map((x) => value(buckets.get(JSON.stringify([x])), m)),
    }));
  }
  return reportChartSvg({
    kind: c.type,
    title: c.title ?? s.heading,
    subtitle,
    xLabel: dimLabel(ctx, c.x),
    yLabel: c.y.map((m) => ds.measures[m]!.label).join(', '),
    categories: categories.map((x) => ctx.valueLabel(c.x, x)),
    series,
    percent: c.y.every((m) => ds.measures[m]!.type === 'percent'),
  });
}

/** Build the document from a loaded dataset (no engine; deterministic given `createdAt`). */
export function buildReport(
  spec: ReportSpec,
  loaded: LoadedDataset,
  options: RunReportOptions = {},
): ReportRun {
  const ds = DATASETS[spec.dataset];
  if (!ds) throw new Error(`unknown dataset ${spec.dataset}`);
  const records = loaded.records.filter((r) =>
    (spec.filters ?? []).every((f) => f.values.includes(String(r[f.dimension]))),
  );
  const reasons = new Map<string, string>();
  for (const r of loaded.records)
    if (typeof r.reasonCode === 'string' && typeof r.reason === 'string') reasons.set(r.reasonCode, r.reason);
  const ctx: Context = {
    ds,
    records,
    range: { from: loaded.from, to: loaded.to },
    by: loaded.by,
    valueLabel: (dim, v) =>
      dim === 'reasonCode' && reasons.has(v) && v !== '(none)' ? `${v} ${reasons.get(v)}` : v,
  };
  const subtitle = `${loaded.from} to ${loaded.to}${loaded.by ? `, by ${loaded.by}` : ''}`;
  const sections: ReportSection[] = spec.sections.map((s, i) => {
    const notes = [...(s.notes ?? []), ...(i === 0 ? loaded.notes : [])];
    return {
      heading: s.heading,
      table: buildTable(ctx, s),
      ...(s.chart && options.charts !== false ? { chartSvg: buildChart(ctx, s, subtitle) } : {}),
      ...(notes.length > 0 ? { notes } : {}),
    };
  });
  const parameters: (readonly [string, string])[] = [
    ['report', spec.name],
    ['dataset', spec.dataset],
    ['from', loaded.from],
    ['to', loaded.to],
    ['groupBy', loaded.by ?? 'none'],
    ...(spec.filters ?? []).map((f): [string, string] => [`filter ${f.dimension}`, f.values.join(', ')]),
    ...(options.parameters ?? []),
  ];
  return {
    document: {
      name: spec.name,
      title: spec.title,
      ...(spec.description ? { subtitle: spec.description } : {}),
      parameters,
      sections,
      createdAt: options.createdAt ?? new Date().toISOString(),
    },
    dataset: spec.dataset,
    from: loaded.from,
    to: loaded.to,
    by: loaded.by,
  };
}

/** Run a report definition on a workspace. */
export async function runReport(
  engine: Engine,
  spec: ReportSpec,
  options: RunReportOptions = {},
): Promise<ReportRun> {
  const by = options.by === undefined ? (spec.groupBy ?? null) : options.by;
  const query: ChurnReportOptions = {
    by,
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
    ...(options.revenueKinds !== undefined ? { revenueKinds: options.revenueKinds } : {}),
    ...(options.matchDays !== undefined ? { matchDays: options.matchDays } : {}),
  };
  const loaded = await loadDataset(engine, spec.dataset, query);
  return buildReport(spec, loaded, options);
}

/** The document as JSON for machines: everything but the chart SVGs (a flag says a chart was drawn). */
export function reportJson(run: ReportRun): unknown {
  const d = run.document;
  return {
    name: d.name,
    title: d.title,
    dataset: run.dataset,
    from: run.from,
    to: run.to,
    by: run.by,
    parameters: Object.fromEntries(d.parameters),
    sections: d.sections.map((s) => ({
      heading: s.heading,
      columns: s.table?.columns ?? [],
      rows: s.table?.rows ?? [],
      ...(s.table?.totals ? { totals: s.table.totals } : {}),
      notes: s.notes ?? [],
    })),
    createdAt: d.createdAt,
  };
}
