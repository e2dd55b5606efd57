/**
 * Churn reports: the built-in reports (`/api/reports`), one of them run for a month range and an optional
 * split (`/api/reports/:name?from=&to=&by=`) with its tables and a chart per table, and its export as CSV,
 * XLSX or PDF (`/api/reports/:name/export`, downloaded with the token). The server aggregates; the page only
 * formats. Without a range the page asks for the last 12 months of data. The choice lives in the hash:
 * `#/reports/churn-flow?from=2025-01&to=2025-12&by=region`.
 */
import type { EChartsOption } from 'echarts';
import { apiDownload, apiGet } from '../api.js';
import { h } from '../dom.js';
import { fmtMoney, fmtNumber, fmtPercent, hasKey, t, tValue, type Key } from '../i18n/i18n.js';
import type { InfoResponse } from '../types.js';
import { card, chart, errorText, once, pageHeader } from '../ui.js';

export const REPORT_DIMENSIONS = ['region', 'plan', 'channel', 'segment', 'stage', 'tenure'] as const;
export const EXPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
const DEFAULT_REPORT = 'churn-flow';
const MONTH = /^\d{4}-\d{2}$/;

interface ReportListItem {
  name: string;
  title: string;
  dataset: string;
  groupBy: string | null;
  description: string;
}
interface ReportList {
  reports: ReportListItem[];
}
type Cell = string | number | null;
interface ReportColumn {
  key: string;
  label: string;
  type: 'text' | 'integer' | 'number' | 'percent' | 'money' | 'date';
}
interface ReportSection {
  heading: string;
  columns: ReportColumn[];
  rows: Record<string, Cell>[];
  totals?: Record<string, Cell>;
  notes: string[];
}
export interface ReportResponse {
  name: string;
  title: string;
  from: string;
  to: string;
  by: string | null;
  sections: ReportSection[];
}

/** A cell as shown: counts whole, money with two decimals, rates as percentages with two decimals. */
export function fmtCell(column: ReportColumn, value: Cell): string {
  if (value === null || value === undefined) return t('common.notAvailable');
  if (typeof value === 'string') return column.type === 'text' ? textValue(column.key, value) : value;
  switch (column.type) {
    case 'integer':
      return fmtNumber(value, 0);
    case 'money':
      return fmtMoney(value);
    case 'percent':
      return fmtPercent(value, 2);
    default:
      return fmtNumber(value, 2);
  }
}

/** The translation of `key`, or `fallback` (the server's own English label) for what has none. */
const known = (key: string, fallback: string): string => (hasKey(key) ? t(key as Key) : fallback);

/** A dimension value in words: `total`, churn types, reasons, cause families and bands are translated. */
function textValue(key: string, value: string): string {
  if (value === 'total') return t('common.total');
  if (key === 'month' || key === 'reasonCode') return value;
  return tValue('reports.value', value);
}

/** A column heading: a known measure or dimension translated, a pivot column as its value. */
function columnLabel(c: ReportColumn, by: string | null): string {
  if (c.key === 'group') return by ? tValue('reports.by', by) : known('reports.column.group', c.label);
  const pivot = /^([^:]+):(.*)$/.exec(c.key);
  if (pivot) {
    // a reason code pivot is labelled "101 price": keep the code, translate the reason
    const code = /^(\S+) (.+)$/.exec(c.label);
    if (code && code[1] === pivot[2]) return `${code[1]} ${tValue('reports.value', code[2]!)}`;
    return tValue('reports.value', c.label);
  }
  const measure = known(`reports.column.${c.key}`, c.label);
  return c.label.startsWith('total ') ? t('reports.totalOf', { measure }) : measure;
}

/** The month `YYYY-MM` `months` months before (negative) or after. */
export function addMonths(month: string, months: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The last 12 months of churn data: up to the month of the latest subscription start or churn event. */
async function defaultRange(): Promise<{ from: string; to: string } | null> {
  const info = await apiGet<InfoResponse>('/info');
  const last = info.tables
    .filter((x) => x.table === 'subscriptions' || x.table === 'churn_events')
    .map((x) => x.to)
    .filter((d): d is string => d !== null)
    .sort()
    .pop();
  if (!last) return null;
  const to = last.slice(0, 7);
  return { from: addMonths(to, -11), to };
}

function reportHash(name: string, q: { from?: string; to?: string; by?: string }): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) params.set(k, v);
  const s = params.toString();
  return `#/reports/${encodeURIComponent(name)}${s ? `?${s}` : ''}`;
}

/** A section's table with its totals row last. */
function sectionTable(s: ReportSection, by: string | null, testid: string): HTMLElement {
  const row = (r: Record<string, Cell>, total: boolean) =>
    h(
      'tr',
      { class: total ? 'reports-total' : undefined },
      s.columns.map((c) =>
        h(
          'td',
          { class: c.type === 'text' ? undefined : 'num', 'data-key': c.key },
          fmtCell(c, r[c.key] ?? null),
        ),
      ),
    );
  return h(
    'div',
    { class: 'wide' },
    h(
      'table',
      { class: 'data reports-table', 'data-testid': testid },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          s.columns.map((c) =>
            h('th', { class: c.type === 'text' ? undefined : 'num', 'data-key': c.key }, columnLabel(c, by)),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        s.rows.map((r) => row(r, false)),
      ),
      s.totals ? h('tfoot', {}, row(s.totals, true)) : null,
    ),
  );
}

/**
 * A chart of a section, when it has rows to compare: pivot columns as stacked bars; else the rates as lines
 * (one per group when the table is split by group); else the first measure as bars.
 */
function sectionChart(s: ReportSection, by: string | null, testid: string): HTMLElement | null {
  const dims = s.columns.filter((c) => c.type === 'text');
  const measures = s.columns.filter((c) => c.type !== 'text');
  const x = dims[0];
  if (!x || s.rows.length < 2 || measures.length === 0) return null;
  const pivots = measures.filter((c) => c.key.includes(':'));
  const percents = measures.filter((c) => c.type === 'percent' && !c.key.includes(':'));
  const split = dims.length > 1 && dims[1]!.key === 'group';
  const categories = [...new Set(s.rows.map((r) => String(r[x.key])))];
  const value = (r: Record<string, Cell> | undefined, key: string): number | null =>
    r && typeof r[key] === 'number' ? (r[key] as number) : null;
  const percentAxis = !pivots.length && percents.length > 0;
  let series: EChartsOption['series'];
  if (split) {
    const measure = percents[0] ?? measures[0]!;
    const groups = [...new Set(s.rows.map((r) => String(r.group)))];
    series = groups.map((g) => ({
      type: 'line',
      name: g,
      data: categories.map((cat) =>
        value(
          s.rows.find((r) => String(r[x.key]) === cat && String(r.group) === g),
          measure.key,
        ),
      ),
    }));
  } else {
    const row = (cat: string) => s.rows.find((r) => String(r[x.key]) === cat);
    const shown = pivots.length ? pivots : percents.length ? percents : measures.slice(0, 1);
    series = shown.map((c) => ({
      type: pivots.length || !percents.length ? 'bar' : 'line',
      ...(pivots.length ? { stack: 'pivot' } : {}),
      name: columnLabel(c, by),
      data: categories.map((cat) => value(row(cat), c.key)),
    }));
  }
  return chart(
    {
      grid: { left: 64, right: 24, top: 40, bottom: 40 },
      legend: { top: 0, type: 'scroll' },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v) =>
          v === null || v === undefined ? '' : percentAxis ? fmtPercent(Number(v), 2) : fmtNumber(Number(v)),
      },
      xAxis: { type: 'category', data: categories.map((cat) => textValue(x.key, cat)) },
      yAxis: {
        type: 'value',
        axisLabel: { formatter: (v: number) => (percentAxis ? fmtPercent(v, 1) : fmtNumber(v)) },
      },
      series,
    },
    testid,
    300,
  );
}

function exportButtons(name: string, query: Record<string, string | undefined>): HTMLElement {
  const status = h('span', { class: 'hint', 'data-testid': 'export-status', role: 'status' });
  const buttons = EXPORT_FORMATS.map((format) =>
    h(
      'button',
      {
        type: 'button',
        'data-testid': `export-${format}`,
        onclick: () => {
          for (const b of buttons) b.disabled = true;
          status.textContent = t('reports.export.running');
          apiDownload(
            `/reports/${encodeURIComponent(name)}/export`,
            { ...query, format },
            `${name}.${format}`,
          )
            .then((file) => (status.textContent = t('reports.export.done', { file })))
            .catch((err: unknown) => (status.textContent = errorText(err)))
            .finally(() => {
              for (const b of buttons) b.disabled = false;
            });
        },
      },
      t(`reports.export.${format}` as Key),
    ),
  );
  return h(
    'div',
    { class: 'reports-export', 'data-testid': 'reports-export' },
    t('reports.export'),
    buttons,
    status,
  );
}

export function reportsPage(rest: string[], query: URLSearchParams): HTMLElement {
  const name = rest[0] ?? DEFAULT_REPORT;
  const from = MONTH.test(query.get('from') ?? '') ? query.get('from')! : '';
  const to = MONTH.test(query.get('to') ?? '') ? query.get('to')! : '';
  const byParam = query.get('by') ?? '';
  const by = byParam === 'none' || (REPORT_DIMENSIONS as readonly string[]).includes(byParam) ? byParam : '';
  const list = once(() => apiGet<ReportList>('/reports'));
  const range = once(async () => (from && to ? { from, to } : await defaultRange()));

  const reportSelect = h('select', { id: 'reports-name', 'data-testid': 'reports-name' });
  const fromInput = h('input', {
    type: 'month',
    id: 'reports-from',
    'data-testid': 'reports-from',
    value: from,
  });
  const toInput = h('input', { type: 'month', id: 'reports-to', 'data-testid': 'reports-to', value: to });
  const bySelect = h(
    'select',
    { id: 'reports-by', 'data-testid': 'reports-by' },
    h('option', { value: '', selected: by === '' }, t('reports.by.default')),
    h('option', { value: 'none', selected: by === 'none' }, t('reports.by.none')),
    REPORT_DIMENSIONS.map((d) => h('option', { value: d, selected: d === by }, tValue('reports.by', d))),
  );
  const field = (id: string, label: Key, control: HTMLElement) =>
    h('div', { class: 'field' }, h('label', { for: id }, t(label)), control);
  const form = h(
    'form',
    {
      class: 'import-form',
      'data-testid': 'reports-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        location.hash = reportHash(reportSelect.value || name, {
          from: fromInput.value,
          to: toInput.value,
          by: bySelect.value,
        });
      },
    },
    field('reports-name', 'reports.report', reportSelect),
    field('reports-from', 'reports.from', fromInput),
    field('reports-to', 'reports.to', toInput),
    field('reports-by', 'reports.by', bySelect),
    h('button', { type: 'submit', 'data-testid': 'reports-run' }, t('reports.run')),
  );

  const chooser = card(
    t('reports.choose'),
    async () => {
      const [reports, r] = await Promise.all([list(), range()]);
      reportSelect.replaceChildren(
        ...reports.reports.map((x) =>
          h(
            'option',
            { value: x.name, selected: x.name === name },
            known(`reports.def.${x.name}.title`, x.title),
          ),
        ),
      );
      if (r) {
        fromInput.value = r.from;
        toInput.value = r.to;
      }
      const chosen = reports.reports.find((x) => x.name === name);
      return [
        form,
        chosen
          ? h(
              'p',
              { class: 'hint', 'data-testid': 'reports-description' },
              known(`reports.def.${name}.description`, chosen.description),
            )
          : null,
      ];
    },
    'card-reports-choose',
  );

  const result = card(
    null,
    async () => {
      const r = await range();
      const q = { ...(r ? { from: r.from, to: r.to } : {}), ...(by ? { by } : {}) };
      const report = await apiGet<ReportResponse>(`/reports/${encodeURIComponent(name)}`, q);
      const parts: HTMLElement[] = [
        h(
          'p',
          { class: 'hint', 'data-testid': 'reports-range' },
          t('reports.range', { from: report.from, to: report.to }),
          report.by ? ` · ${t('reports.splitBy', { by: tValue('reports.by', report.by) })}` : '',
        ),
        exportButtons(name, { from: report.from, to: report.to, ...(by ? { by } : {}) }),
      ];
      report.sections.forEach((s, i) => {
        const graph = sectionChart(s, report.by, `chart-report-${i}`);
        parts.push(
          h(
            'section',
            { class: 'reports-section', 'data-testid': `report-section-${i}` },
            h('h2', {}, known(`reports.def.${name}.s${i}`, s.heading)),
            graph,
            sectionTable(s, report.by, `table-report-${i}`),
          ),
        );
      });
      return parts;
    },
    'card-report',
  );

  return h(
    'div',
    { class: 'page', 'data-testid': 'page-reports' },
    pageHeader(t('nav.reports')),
    chooser,
    result,
  );
}
