/**
 * Survival: Kaplan-Meier curves by a chosen group with their intervals, medians, survival at round times and
 * the log-rank test (`/api/survival/km`); the acquisition-cohort retention heatmap (`/api/survival/cohorts`);
 * a Cox model on chosen covariates (`/api/survival/cox`); and Kaplan-Meier or Cox on an uploaded table
 * (`POST /api/survival/table`, analysts). Every number is aggregated on the server: the curves are one point
 * per distinct time, whatever the number of customers. The choices live in the hash:
 * `#/survival?by=plan&unit=months&cohort=month&cox=plan,age`.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import { apiGet, apiPostForm } from '../api.js';
import { clear, h, table } from '../dom.js';
import { fmtDate, fmtNumber, fmtPercent, t, tValue, type Key } from '../i18n/i18n.js';
import { card, chart, errorText, pageHeader, PALETTE } from '../ui.js';
import { fieldLabel } from './customers.js';

export const SURVIVAL_GROUPS = ['region', 'plan', 'channel', 'segment', 'gender'] as const;
export const SURVIVAL_COVARIATES = [...SURVIVAL_GROUPS, 'monthly_fee', 'age'] as const;
const UNITS = ['months', 'days'] as const;
const COHORT_PERIODS = ['month', 'quarter', 'year'] as const;
/** Periods since acquisition shown in the heatmap (the API has them all). */
const COHORT_PERIODS_SHOWN = 24;
const DEFAULT_COX = ['plan', 'age'];

interface SurvivalAt {
  time: number;
  nRisk: number;
  survival: number | null;
  lower: number | null;
  upper: number | null;
}
interface KmCurve {
  time: number[];
  survival: (number | null)[];
  lower: (number | null)[];
  upper: (number | null)[];
}
interface KmGroup {
  group: string;
  n: number;
  events: number;
  median: number | null;
  medianLower: number | null;
  medianUpper: number | null;
  survival: SurvivalAt[];
  curve?: KmCurve;
}
export interface KmResponse {
  source: string;
  file: string | null;
  asOf: string | null;
  unit: string | null;
  time: string;
  event: string;
  by: string | null;
  confLevel: number;
  subjects: number;
  events: number;
  at: number[];
  groups: KmGroup[];
  logRank?: { chisq: number; df: number; p: number };
}
interface CoxCoefficient {
  coef: number;
  se: number;
  z: number;
  p: number;
  hr: number;
  hrLower: number;
  hrUpper: number;
}
export interface CoxResponse {
  file: string | null;
  asOf: string | null;
  covariates: string[];
  n: number;
  events: number;
  excluded: number;
  confLevel: number;
  terms: string[];
  coefficients: Record<string, CoxCoefficient>;
  references: Record<string, string>;
  concordance: number;
  tests: { likelihoodRatio: { statistic: number; df: number; p: number } };
  warnings: string[];
}
interface CohortRow {
  cohort: string;
  size: number;
  share: (number | null)[];
}
interface CohortResponse {
  asOf: string;
  period: string;
  periods: number[];
  cohorts: CohortRow[];
}

/** A p-value: four decimals, or scientific below 0.0001 (as the CLI prints). */
export function fmtP(p: number): string {
  if (p === 0) return '< 1e-300';
  return p < 1e-4 ? p.toExponential(2) : fmtNumber(p, 4);
}

/** A time on the analysis's own scale (days, months, or the table's unit). */
const fmtTime = (v: number | null): string => fmtNumber(v);

const interval = (lo: number | null, hi: number | null, f: (v: number | null) => string): string =>
  lo === null && hi === null ? t('common.notAvailable') : `${f(lo)} – ${f(hi)}`;

/** A reading time with its unit (`12 months`); a table's times are in the table's own unit. */
const timeWithUnit = (time: number, unit: string | null): string =>
  unit === 'days' || unit === 'months' ? t(`survival.time.${unit}`, { time: fmtTime(time) }) : fmtTime(time);

const groupLabel = (g: string): string => tValue('survival.group', g);

/** One enum value from the hash, or the default. */
function pick<T extends string>(value: string | null, values: readonly T[], fallback: T): T {
  return (values as readonly string[]).includes(value ?? '') ? (value as T) : fallback;
}

function survivalHash(q: URLSearchParams): string {
  return `#/survival?${q.toString()}`;
}

/** The curves as step lines from (0, 1), each with its interval as thin dashed lines of the same colour. */
export function kmChart(r: KmResponse, testid: string): HTMLElement {
  const series: LineSeriesOption[] = [];
  r.groups.forEach((g, i) => {
    const c = g.curve;
    if (!c) return;
    const color = PALETTE[i % PALETTE.length]!;
    const line = (ys: (number | null)[]): [number, number | null][] => [
      [0, 1],
      ...c.time.map((x, k): [number, number | null] => [x, ys[k] ?? null]),
    ];
    const name = groupLabel(g.group);
    series.push({ type: 'line', name, step: 'end', showSymbol: false, color, data: line(c.survival) });
    for (const bound of [c.lower, c.upper])
      series.push({
        type: 'line',
        name,
        step: 'end',
        showSymbol: false,
        color,
        silent: true,
        lineStyle: { width: 1, type: 'dashed', opacity: 0.45 },
        tooltip: { show: false },
        data: line(bound),
      });
  });
  const option: EChartsOption = {
    grid: { left: 56, right: 24, top: 40, bottom: 48 },
    legend: { top: 0, data: r.groups.map((g) => groupLabel(g.group)) },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (v === null || v === undefined ? '' : fmtPercent(Number(v))),
    },
    xAxis: {
      type: 'value',
      name: r.unit ? t(`survival.unit.${r.unit}` as Key) : r.time,
      nameLocation: 'middle',
      nameGap: 28,
      min: 0,
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 1,
      name: t('survival.km.survival'),
      axisLabel: { formatter: (v: number) => fmtPercent(v, 0) },
    },
    series,
  };
  return chart(option, testid, 360);
}

/** The groups: subjects, events, median with its interval, survival at the reading times. */
export function kmTable(r: KmResponse, testid: string): HTMLTableElement {
  const level = fmtPercent(r.confLevel, 0);
  return table<KmGroup>(
    [
      { label: t('survival.km.group'), value: (g) => groupLabel(g.group) },
      {
        label: t('survival.km.subjects'),
        value: (g) => h('span', { 'data-testid': 'km-n' }, fmtNumber(g.n)),
        numeric: true,
      },
      {
        label: t('survival.km.events'),
        value: (g) => h('span', { 'data-testid': 'km-events' }, fmtNumber(g.events)),
        numeric: true,
      },
      {
        label: t('survival.km.median'),
        value: (g) => h('span', { 'data-testid': 'km-median' }, fmtTime(g.median)),
        numeric: true,
      },
      {
        label: t('survival.km.medianCi', { level }),
        value: (g) => interval(g.medianLower, g.medianUpper, fmtTime),
        numeric: true,
      },
      ...r.at.map((time, k) => ({
        label: t('survival.km.at', { time: timeWithUnit(time, r.unit) }),
        value: (g: KmGroup) =>
          h('span', { 'data-testid': 'km-at', 'data-time': time }, fmtPercent(g.survival[k]?.survival)),
        numeric: true,
      })),
    ],
    r.groups,
    testid,
  );
}

function logRankLine(r: KmResponse): HTMLElement {
  if (!r.logRank)
    return h('p', { class: 'hint', 'data-testid': 'km-logrank-none' }, t('survival.km.noLogRank'));
  return h(
    'p',
    { 'data-testid': 'km-logrank' },
    t('survival.km.logRank', {
      chisq: fmtNumber(r.logRank.chisq, 2),
      df: String(r.logRank.df),
      p: fmtP(r.logRank.p),
    }),
  );
}

function kmCard(by: string | null, unit: string): HTMLElement {
  return card(
    t('survival.km.title'),
    async () => {
      const r = await apiGet<KmResponse>('/survival/km', { ...(by ? { by } : {}), unit, curve: 'true' });
      return [
        h(
          'p',
          { class: 'hint' },
          t('survival.km.hint', {
            subjects: fmtNumber(r.subjects),
            events: fmtNumber(r.events),
            date: fmtDate(r.asOf),
          }),
        ),
        kmChart(r, 'chart-km'),
        h('div', { class: 'wide' }, kmTable(r, 'table-km')),
        logRankLine(r),
      ];
    },
    'card-km',
  );
}

function cohortCard(period: string, query: URLSearchParams): HTMLElement {
  const select = h(
    'select',
    {
      'data-testid': 'cohort-period',
      'aria-label': t('survival.cohorts.period'),
      onchange: (e: Event) => {
        query.set('cohort', (e.target as HTMLSelectElement).value);
        location.hash = survivalHash(query);
      },
    },
    COHORT_PERIODS.map((p) =>
      h('option', { value: p, selected: p === period }, t(`survival.cohorts.period.${p}` as Key)),
    ),
  );
  const body = card(
    t('survival.cohorts.title'),
    async () => {
      const r = await apiGet<CohortResponse>('/survival/cohorts', {
        by: period,
        months: COHORT_PERIODS_SHOWN,
      });
      const periods = r.periods;
      const cohorts = r.cohorts;
      const data = cohorts.flatMap((c, y) =>
        periods.flatMap((p, x) => {
          const s = c.share[p];
          return s === null || s === undefined ? [] : [[x, y, s]];
        }),
      );
      const sinceLabel = t(`survival.cohorts.since.${period}` as Key);
      const heatmap = chart(
        {
          grid: { left: 80, right: 24, top: 16, bottom: 90 },
          tooltip: {
            formatter: (p) => {
              const v = (p as unknown as { value: [number, number, number] }).value;
              return `${cohorts[v[1]]!.cohort} · ${sinceLabel} ${periods[v[0]]}: ${fmtPercent(v[2])}`;
            },
          },
          xAxis: {
            type: 'category',
            data: periods.map(String),
            name: sinceLabel,
            nameLocation: 'middle',
            nameGap: 28,
          },
          yAxis: { type: 'category', data: cohorts.map((c) => c.cohort), inverse: true },
          visualMap: {
            min: 0,
            max: 1,
            calculable: false,
            orient: 'horizontal',
            left: 'center',
            bottom: 0,
            itemHeight: 160,
            text: [fmtPercent(1, 0), fmtPercent(0, 0)],
            inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] },
            formatter: (v) => fmtPercent(Number(v), 0),
          },
          series: [{ type: 'heatmap', data, progressive: 0 }],
        },
        'chart-cohorts',
        Math.max(260, 120 + cohorts.length * 14),
      );
      const cells = table<CohortRow>(
        [
          { label: t('survival.cohorts.cohort'), value: (c) => c.cohort },
          { label: t('survival.cohorts.size'), value: (c) => fmtNumber(c.size), numeric: true },
          ...periods.map((p) => ({
            label: String(p),
            value: (c: CohortRow) => {
              const s = c.share[p];
              return h(
                'span',
                { 'data-testid': 'cohort-cell', 'data-cohort': c.cohort, 'data-period': p },
                s === null || s === undefined ? '' : fmtPercent(s),
              );
            },
            numeric: true,
          })),
        ],
        cohorts,
        'table-cohorts',
      );
      cells.classList.add('compact');
      return [
        h('p', { class: 'hint' }, t('survival.cohorts.hint', { date: fmtDate(r.asOf) })),
        heatmap,
        h(
          'details',
          { class: 'survival-cohort-table' },
          h('summary', {}, t('survival.cohorts.table')),
          h('div', { class: 'scroll' }, cells),
        ),
      ];
    },
    'card-cohorts',
  );
  body
    .querySelector('h2')
    ?.after(h('label', { class: 'inline survival-control' }, t('survival.cohorts.period'), select));
  return body;
}

/** A design term in words: `planPremium` is "Plan: Premium", a numeric covariate its field label. */
function termLabel(term: string, covariates: readonly string[]): string {
  const c = [...covariates].sort((a, b) => b.length - a.length).find((x) => term.startsWith(x));
  if (c === undefined) return term;
  if (term === c) return fieldLabel(c);
  return `${fieldLabel(c)}: ${term.slice(c.length)}`;
}

/** Hazard ratios with their interval and p, the concordance and the likelihood-ratio test. */
export function coxResult(r: CoxResponse, testid: string, label = fieldLabel): HTMLElement[] {
  const level = fmtPercent(r.confLevel, 0);
  const terms = r.terms.map((term) => ({ term, ...r.coefficients[term]! }));
  const refs = Object.entries(r.references).map(([c, ref]) => `${label(c)} = ${ref}`);
  const lr = r.tests.likelihoodRatio;
  return [
    h(
      'p',
      { 'data-testid': `${testid}-summary` },
      t('survival.cox.summary', {
        n: fmtNumber(r.n),
        events: fmtNumber(r.events),
        c: fmtNumber(r.concordance, 3),
        lr: fmtNumber(lr.statistic, 2),
        df: String(lr.df),
        p: fmtP(lr.p),
      }),
    ),
    h(
      'div',
      { class: 'wide' },
      table(
        [
          {
            label: t('survival.cox.term'),
            value: (x) => (label === fieldLabel ? termLabel(x.term, r.covariates) : x.term),
          },
          {
            label: t('survival.cox.hr'),
            value: (x) => h('span', { 'data-testid': 'cox-hr', 'data-term': x.term }, fmtNumber(x.hr, 3)),
            numeric: true,
          },
          {
            label: t('survival.cox.ci', { level }),
            value: (x) => interval(x.hrLower, x.hrUpper, (v) => fmtNumber(v, 3)),
            numeric: true,
          },
          { label: t('survival.cox.p'), value: (x) => fmtP(x.p), numeric: true },
        ],
        terms,
        testid,
      ),
    ),
    refs.length > 0
      ? h('p', { class: 'hint' }, t('survival.cox.references', { list: refs.join('; ') }))
      : null,
    r.excluded > 0
      ? h('p', { class: 'hint' }, t('survival.cox.excluded', { count: fmtNumber(r.excluded) }))
      : null,
    h('p', { class: 'hint' }, t('survival.cox.hint')),
  ].filter((x): x is HTMLParagraphElement | HTMLDivElement => x !== null);
}

/**
 * The Cox section: the fit runs on the chosen covariates when the hash names them (`cox=plan,age`) or on the
 * button, not on every visit (a fit reads one row per customer, seconds at a million customers).
 */
function coxCard(
  unit: string,
  chosen: readonly string[],
  fitNow: boolean,
  query: URLSearchParams,
): HTMLElement {
  const result = h('div', { 'data-testid': 'cox-result' });
  const boxes = SURVIVAL_COVARIATES.map((c) =>
    h('input', { type: 'checkbox', value: c, checked: chosen.includes(c), 'data-testid': `cox-${c}` }),
  );
  const fit = (covariates: string[]): void => {
    clear(result);
    if (covariates.length === 0) {
      result.append(h('p', { class: 'hint' }, t('survival.cox.none')));
      return;
    }
    result.append(
      card(
        null,
        async () => {
          const params = new URLSearchParams({ unit });
          for (const c of covariates) params.append('covariates', c);
          const r = await apiGet<CoxResponse>(`/survival/cox?${params.toString()}`);
          return coxResult(r, 'table-cox');
        },
        'card-cox-result',
      ),
    );
  };
  const form = h(
    'form',
    {
      class: 'survival-form',
      'data-testid': 'cox-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const covariates = boxes.filter((b) => b.checked).map((b) => b.value);
        query.set('cox', covariates.join(','));
        // the choice is kept in the hash without rendering the other cards again
        history.replaceState(null, '', survivalHash(query));
        fit(covariates);
      },
    },
    h(
      'fieldset',
      {},
      h('legend', {}, t('survival.cox.covariates')),
      SURVIVAL_COVARIATES.map((c, i) => h('label', { class: 'inline' }, boxes[i]!, fieldLabel(c))),
    ),
    h('button', { type: 'submit', 'data-testid': 'cox-submit' }, t('survival.cox.fit')),
  );
  if (fitNow) fit([...chosen]);
  else result.append(h('p', { class: 'hint', 'data-testid': 'cox-choose' }, t('survival.cox.choose')));
  return h(
    'section',
    { class: 'card', 'data-testid': 'card-cox' },
    h('h2', {}, t('survival.cox.title')),
    form,
    result,
  );
}

/** "line 3 (data row 2), column t" from the CLI's `file: row N, column "C"` message. */
function whereText(message: string): string | null {
  const m = /: row (\d+), column "(.*?)"/.exec(message);
  if (!m) return null;
  const row = Number(m[1]);
  return t('survival.upload.where', { line: String(row + 1), row: String(row), field: m[2]! });
}

function uploadCard(): HTMLElement {
  const status = h('div', { class: 'survival-upload-status', 'data-testid': 'upload-status' });
  const input = (name: string, attrs: Record<string, string | boolean> = {}) =>
    h('input', { type: 'text', id: `upload-${name}`, name, 'data-testid': `upload-${name}`, ...attrs });
  const file = h('input', {
    type: 'file',
    id: 'upload-file',
    accept: '.csv,.tsv,.txt,.gz',
    required: true,
    'data-testid': 'upload-file',
  });
  const analysis = h(
    'select',
    { id: 'upload-analysis', 'data-testid': 'upload-analysis' },
    h('option', { value: 'km' }, t('survival.upload.km')),
    h('option', { value: 'cox' }, t('survival.upload.cox')),
  );
  const time = input('time', { required: true, placeholder: 'tenure' });
  const eventColumn = input('eventColumn', { required: true, placeholder: 'Churn' });
  const eventValue = input('eventValue', { required: true, placeholder: 'Yes' });
  const group = input('by', { placeholder: 'Contract' });
  const covariates = input('covariates', { placeholder: 'MonthlyCharges,Contract' });
  const at = input('at', { placeholder: '12,24' });
  const submit = h('button', { type: 'submit', 'data-testid': 'upload-submit' }, t('survival.upload.submit'));
  const field = (id: string, label: Key, control: HTMLElement) =>
    h('div', { class: 'field' }, h('label', { for: id }, t(label)), control);

  const show = (...nodes: (Node | null)[]): void => {
    clear(status);
    for (const n of nodes) if (n) status.append(n);
  };
  const form = h(
    'form',
    {
      class: 'import-form',
      'data-testid': 'upload-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const chosen = file.files?.[0];
        if (!chosen) return;
        const body = new FormData();
        const kind = analysis.value;
        body.append('analysis', kind);
        body.append('time', time.value.trim());
        body.append('event', `${eventColumn.value.trim()}=${eventValue.value.trim()}`);
        if (kind === 'km' && group.value.trim()) body.append('by', group.value.trim());
        if (kind === 'km' && at.value.trim()) body.append('at', at.value.trim());
        if (kind === 'km') body.append('curve', 'true');
        if (kind === 'cox') body.append('covariates', covariates.value.trim());
        body.append('file', chosen, chosen.name);
        submit.disabled = true;
        show(h('span', { class: 'hint' }, t('survival.upload.running')));
        apiPostForm<KmResponse | CoxResponse>('/survival/table', body)
          .then((r) => {
            if (kind === 'cox') {
              const cox = r as CoxResponse;
              show(
                h('p', { class: 'success', 'data-testid': 'upload-success' }, cox.file ?? ''),
                ...coxResult(cox, 'table-upload-cox', (c) => c),
              );
            } else {
              const km = r as KmResponse;
              show(
                h(
                  'p',
                  { class: 'success', 'data-testid': 'upload-success' },
                  t('survival.upload.result', {
                    file: km.file ?? '',
                    subjects: fmtNumber(km.subjects),
                    events: fmtNumber(km.events),
                  }),
                ),
                kmChart(km, 'chart-upload-km'),
                h('div', { class: 'wide' }, kmTable(km, 'table-upload-km')),
                logRankLine(km),
              );
            }
          })
          .catch((err: unknown) => {
            const message = err instanceof Error ? err.message : '';
            const where = whereText(message);
            show(
              h(
                'div',
                { class: 'error', role: 'alert', 'data-testid': 'upload-error' },
                h('strong', {}, `${t('survival.upload.failed')}: `),
                where ? h('span', { 'data-testid': 'upload-where' }, `${where}. `) : null,
                h('span', { class: 'message' }, errorText(err)),
              ),
            );
          })
          .finally(() => {
            submit.disabled = false;
          });
      },
    },
    field('upload-file', 'survival.upload.file', file),
    field('upload-analysis', 'survival.upload.analysis', analysis),
    field('upload-time', 'survival.upload.time', time),
    field('upload-eventColumn', 'survival.upload.eventColumn', eventColumn),
    field('upload-eventValue', 'survival.upload.eventValue', eventValue),
    field('upload-by', 'survival.upload.group', group),
    field('upload-at', 'survival.upload.at', at),
    field('upload-covariates', 'survival.upload.covariates', covariates),
    submit,
  );
  return h(
    'section',
    { class: 'card', 'data-testid': 'card-upload' },
    h('h2', {}, t('survival.upload.title')),
    h('p', { class: 'hint' }, t('survival.upload.hint')),
    form,
    status,
  );
}

export function survivalPage(_rest: string[], query: URLSearchParams): HTMLElement {
  const byParam = query.get('by');
  const by = byParam === 'none' ? null : pick(byParam, SURVIVAL_GROUPS, 'plan');
  const unit = pick(query.get('unit'), UNITS, 'months');
  const period = pick(query.get('cohort'), COHORT_PERIODS, 'month');
  const coxParam = query.get('cox');
  const chosen =
    coxParam === null
      ? DEFAULT_COX
      : coxParam.split(',').filter((c) => (SURVIVAL_COVARIATES as readonly string[]).includes(c));
  const navigate = (name: string, value: string): void => {
    query.set(name, value);
    location.hash = survivalHash(query);
  };
  const bySelect = h(
    'select',
    {
      'data-testid': 'survival-by',
      'aria-label': t('survival.by'),
      onchange: (e: Event) => navigate('by', (e.target as HTMLSelectElement).value),
    },
    h('option', { value: 'none', selected: by === null }, t('survival.byNone')),
    SURVIVAL_GROUPS.map((g) => h('option', { value: g, selected: g === by }, fieldLabel(g))),
  );
  const unitSelect = h(
    'select',
    {
      'data-testid': 'survival-unit',
      'aria-label': t('survival.unit'),
      onchange: (e: Event) => navigate('unit', (e.target as HTMLSelectElement).value),
    },
    UNITS.map((u) => h('option', { value: u, selected: u === unit }, t(`survival.unit.${u}` as Key))),
  );
  return h(
    'div',
    { class: 'page', 'data-testid': 'page-survival' },
    pageHeader(
      t('nav.survival'),
      h('label', { class: 'inline' }, t('survival.by'), bySelect),
      h('label', { class: 'inline' }, t('survival.unit'), unitSelect),
    ),
    kmCard(by, unit),
    cohortCard(period, query),
    coxCard(unit, chosen, coxParam !== null, query),
    uploadCard(),
  );
}
