/**
 * Report definitions as data (docs/reports.md): a JSON or YAML document naming a dataset, an optional
 * groupBy, filters and sections (table rows, measures, an optional pivot, totals, a chart). Files are checked
 * against a JSON Schema and against the dataset catalog; every problem names the file, line and field.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { UserError } from '../../util/errors.js';
import { REPORT_DIMENSIONS, type ReportDimension } from '../../engine/report-types.js';
import { validateSchema, type JsonSchema, type SchemaIssue } from '../alerts/rules-schema.js';
import { formatPath } from '../alerts/rules-file.js';
import { DATASETS, DATASET_NAMES } from './datasets.js';

export const CHART_TYPES = ['line', 'bar', 'stacked-bar'] as const;
export type ReportChartType = (typeof CHART_TYPES)[number];

export interface ReportChartSpec {
  readonly type: ReportChartType;
  /** Dimension on the x axis. */
  readonly x: string;
  /** Measures on the y axis (one series each), or one measure split by `series`. */
  readonly y: readonly string[];
  /** A dimension whose values become the series (with exactly one y measure). */
  readonly series?: string;
  readonly title?: string;
}

export interface ReportSectionSpec {
  readonly heading: string;
  /** Dimensions forming the rows; empty: one row. `group` is left out when the report has no groupBy. */
  readonly rows: readonly string[];
  /** Measures as columns (after the pivot columns). */
  readonly measures: readonly string[];
  /** One column per value of `dimension`, holding `measure`. */
  readonly pivot?: { readonly dimension: string; readonly measure: string };
  /** Add a totals row. */
  readonly totals?: boolean;
  readonly chart?: ReportChartSpec;
  readonly notes?: readonly string[];
}

export interface ReportFilter {
  readonly dimension: string;
  readonly values: readonly string[];
}

export interface ReportSpec {
  readonly version?: 1;
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  readonly dataset: string;
  readonly groupBy?: ReportDimension | null;
  readonly filters?: readonly ReportFilter[];
  readonly sections: readonly ReportSectionSpec[];
}

const name = (description: string) => ({ type: 'string', minLength: 1, maxLength: 60, description });

export const REPORT_SPEC_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Retain report definition',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'title', 'dataset', 'sections'],
  properties: {
    $schema: { type: 'string' },
    version: { const: 1 },
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,59}$', description: 'Short machine name.' },
    title: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string' },
    dataset: { enum: DATASET_NAMES },
    groupBy: { enum: [...REPORT_DIMENSIONS, null] },
    filters: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['dimension', 'values'],
        properties: {
          dimension: name('A dimension of the dataset.'),
          values: { type: 'array', minItems: 1, items: { type: 'string' } },
        },
      },
    },
    sections: { type: 'array', minItems: 1, maxItems: 20, items: { $ref: '#/$defs/section' } },
  },
  $defs: {
    section: {
      type: 'object',
      additionalProperties: false,
      required: ['heading', 'rows', 'measures'],
      properties: {
        heading: { type: 'string', minLength: 1, maxLength: 200 },
        rows: { type: 'array', maxItems: 4, uniqueItems: true, items: name('A dimension.') },
        measures: { type: 'array', uniqueItems: true, items: name('A measure.') },
        pivot: {
          type: 'object',
          additionalProperties: false,
          required: ['dimension', 'measure'],
          properties: { dimension: name('A dimension.'), measure: name('A measure.') },
        },
        totals: { type: 'boolean' },
        chart: { $ref: '#/$defs/chart' },
        notes: { type: 'array', items: { type: 'string' } },
      },
    },
    chart: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'x', 'y'],
      properties: {
        type: { enum: [...CHART_TYPES] },
        x: name('A dimension.'),
        y: { type: 'array', minItems: 1, maxItems: 8, uniqueItems: true, items: name('A measure.') },
        series: name('A dimension.'),
        title: { type: 'string' },
      },
    },
  },
};

type Path = readonly (string | number)[];

/** Checks the schema cannot express: names of dimensions and measures of the chosen dataset. */
export function checkReportSpec(spec: ReportSpec): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const ds = DATASETS[spec.dataset];
  if (!ds) return issues;
  const dims = Object.keys(ds.dimensions);
  const measures = Object.keys(ds.measures);
  const add = (path: Path, message: string) => issues.push({ path, atKey: false, message });
  const dim = (path: Path, v: string | undefined) => {
    if (v !== undefined && !dims.includes(v))
      add(path, `"${v}" is not a dimension of ${spec.dataset} (dimensions: ${dims.join(', ')})`);
  };
  const measure = (path: Path, v: string) => {
    if (!measures.includes(v))
      add(path, `"${v}" is not a measure of ${spec.dataset} (measures: ${measures.join(', ')})`);
  };
  spec.filters?.forEach((f, i) => dim(['filters', i, 'dimension'], f.dimension));
  spec.sections.forEach((s, i) => {
    const at = ['sections', i] as const;
    s.rows.forEach((d, j) => dim([...at, 'rows', j], d));
    s.measures.forEach((m, j) => measure([...at, 'measures', j], m));
    if (s.pivot) {
      dim([...at, 'pivot', 'dimension'], s.pivot.dimension);
      measure([...at, 'pivot', 'measure'], s.pivot.measure);
      if (s.rows.includes(s.pivot.dimension))
        add([...at, 'pivot', 'dimension'], `"${s.pivot.dimension}" is already a row dimension`);
    }
    if (!s.pivot && s.measures.length === 0) add([...at, 'measures'], 'a section needs measures or a pivot');
    if (s.chart) {
      dim([...at, 'chart', 'x'], s.chart.x);
      dim([...at, 'chart', 'series'], s.chart.series);
      s.chart.y.forEach((m, j) => measure([...at, 'chart', 'y', j], m));
      if (s.chart.series !== undefined && s.chart.y.length !== 1)
        add([...at, 'chart', 'y'], 'a chart with series takes exactly one y measure');
    }
  });
  return issues;
}

/** Offset in the text of the node at `path` (or of its key), else of the nearest ancestor that exists. */
function offsetOf(doc: Document, path: Path, atKey: boolean): number | null {
  let node: unknown = doc.contents;
  let offset: number | null = (node as Node | null)?.range?.[0] ?? null;
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return offset;
      if (i === path.length - 1 && atKey && isScalar(pair.key)) return pair.key.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') node = node.items[step];
    else return offset;
    offset = (node as Node | null)?.range?.[0] ?? offset;
  }
  return offset;
}

/** Parse and check a report definition (YAML or JSON text); a UserError lists every problem with its line. */
export function parseReportSpec(text: string, source: string): ReportSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const where = (offset: number | null): string => {
    if (offset === null) return source;
    const { line, col } = lines.linePos(offset);
    return `${source}:${line}:${col}`;
  };
  const fail = (messages: readonly string[]) => {
    const shown = messages.slice(0, 20).map((m) => `  ${m}`);
    return new UserError(
      [`report definition ${source} has ${messages.length} problem(s):`, ...shown].join('\n'),
    );
  };
  if (doc.errors.length > 0)
    throw fail(doc.errors.map((e) => `${where(e.pos[0])}: ${e.message.split('\n')[0]}`));
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) throw new UserError(`${source}: the report definition is empty`);
  let issues = validateSchema(value, REPORT_SPEC_SCHEMA, REPORT_SPEC_SCHEMA);
  if (issues.length === 0) issues = checkReportSpec(value as ReportSpec);
  if (issues.length > 0)
    throw fail(
      issues.map((i) => `${where(offsetOf(doc, i.path, i.atKey))}: ${formatPath(i.path)}: ${i.message}`),
    );
  return value as ReportSpec;
}

export function readReportSpec(file: string): ReportSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read the report definition ${file}: ${(error as Error).message}`);
  }
  return parseReportSpec(text, file);
}
