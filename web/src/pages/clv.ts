/**
 * Customer lifetime value: the stored predictions as KPIs and a histogram (`GET /api/clv/distribution`,
 * aggregated in SQL), the customers of highest CLV a page at a time (`GET /api/clv/predictions`), the
 * fitted models with their parameters (`GET /api/clv/fits[/:id]`), and, for analysts, jobs that fit a model,
 * compute every customer's CLV and run the calibration/holdout diagnostics (`POST /api/clv/fit|predict|
 * evaluate`). A viewer sees the server's 403 message when starting one.
 */
import type { EChartsOption } from 'echarts';
import { apiGet, apiPost, ApiError, waitForJob, type Job } from '../api.js';
import { clear, h, type Child } from '../dom.js';
import { fmtDate, fmtMoney, fmtNumber, fmtPercent, t, tValue } from '../i18n/i18n.js';
import type { InfoResponse } from '../types.js';
import { card, chart, errorText, kpi, pageHeader, pager as pagerOf } from '../ui.js';

export const CLV_PAGE_SIZE = 25;

export interface ClvSource {
  savedAt: string;
  model: string;
  fitId: number | null;
  spendModel: string;
  spendFitId: number | null;
  timeUnit: string;
  calibrationEnd: string;
  horizon: number;
  discountRate: number;
  margin: number;
}
export interface ClvDistributionResponse {
  source: ClvSource;
  totals: {
    customers: number;
    clv: number;
    mean: number;
    median: number;
    expectedTransactions: number;
    shareAlive: number;
  };
  histogram: { from: number; to: number; customers: number; clv: number }[];
  history: (ClvSource & { customers: number; clv: number })[];
}
interface ClvPrediction {
  customerId: string;
  x: number;
  probabilityAlive: number;
  expectedTransactions: number;
  expectedSpend: number;
  clv: number;
}
interface PredictionsResponse {
  total: number;
  predictions: ClvPrediction[];
}
interface FitRow {
  fitId: number;
  model: string;
  fittedAt: string;
  timeUnit: string | null;
  calibrationEnd: string | null;
}
interface FitDetail extends FitRow {
  params: Record<string, number>;
  standardErrors: Record<string, number>;
  logLikelihood: number;
  customers: number;
  converged: boolean;
  penalty: number;
}
interface TrackingPoint {
  period: number;
  end: string;
  holdout: boolean;
  cumulativeActual: number;
  cumulativeExpected: number;
}
interface Evaluation {
  calibrationEnd: string;
  holdout: {
    actualTotal: number;
    predictedTotal: number;
    relativeError: number | null;
    mae: number;
    correlation: number | null;
  };
  byFrequency: { label: string; meanActual: number | null; meanPredicted: number | null }[];
  tracking: { calibrationPeriods: number; points: TrackingPoint[] };
}

const FIT_MODELS = ['bgnbd', 'gg', 'pnbd', 'mbgnbd', 'bgbb', 'sbg'] as const;
const EVALUATE_MODELS = ['bgnbd', 'pnbd', 'mbgnbd'] as const;
const TIME_UNITS = ['week', 'day', 'month'] as const;
const DAY_MS = 86_400_000;

const modelName = (model: string): string => tValue('clv.model', model);
const unitName = (unit: string): string => tValue('clv.unit', unit);

/** Whether the API said there is nothing stored yet. */
const isNotFound = (err: unknown): boolean => err instanceof ApiError && err.status === 404;

/** A slot whose content can be drawn again (after a job changed what it shows). */
function slot(render: () => HTMLElement): { el: HTMLElement; reload: () => void } {
  const el = h('div', { class: 'clv-slot' });
  const reload = (): void => {
    clear(el);
    el.append(render());
  };
  reload();
  return { el, reload };
}

/**
 * Start a job and follow it in `status` (a progress bar with its step, then the outcome); `done` gets the
 * result of a job that succeeded. The server's message is shown on failure (a viewer's 403 among them).
 */
function runJob(
  status: HTMLElement,
  button: HTMLButtonElement,
  start: () => Promise<Job>,
  labels: { running: string; failed: string },
  done: (result: unknown) => Child,
  testid: string,
): void {
  const show = (...children: Child[]): void => {
    clear(status);
    for (const c of children)
      if (c !== null && c !== undefined && c !== false) status.append(typeof c === 'number' ? String(c) : c);
  };
  const fail = (message: string): void =>
    show(
      h(
        'div',
        { class: 'error', role: 'alert', 'data-testid': `${testid}-error` },
        h('strong', {}, `${labels.failed}: `),
        message,
      ),
    );
  const progress = (job: Job): void => {
    const p = job.progress;
    const bar = h('progress', { 'data-testid': `${testid}-progress`, 'aria-label': labels.running });
    if (p?.total) {
      bar.max = p.total;
      bar.value = Math.min(p.done, p.total);
    }
    show(
      bar,
      h(
        'span',
        { class: 'hint' },
        p?.total
          ? t('clv.job.progress', { phase: tValue('clv.phase', p.phase), done: p.done, total: p.total })
          : labels.running,
      ),
    );
  };
  button.disabled = true;
  show(h('span', { class: 'hint' }, labels.running));
  start()
    .then((job) => waitForJob(job.id, progress, () => status.isConnected))
    .then((job) => {
      if (!job) return;
      if (job.status === 'succeeded') {
        // a job whose result is drawn elsewhere (the diagnostics charts) leaves no message
        const message = done(job.result);
        if (message === null) clear(status);
        else show(h('div', { class: 'success', role: 'status', 'data-testid': `${testid}-done` }, message));
      } else if (job.status === 'cancelled') fail(t('clv.job.cancelled'));
      else fail(job.error?.message || labels.failed);
    })
    .catch((err: unknown) => fail(errorText(err)))
    .finally(() => {
      button.disabled = false;
    });
}

function field(label: string, input: HTMLElement, id: string): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

function numberInput(id: string, value: string, attrs: Record<string, string> = {}): HTMLInputElement {
  return h('input', { id, type: 'number', value, 'data-testid': id, ...attrs });
}

function sourceText(s: ClvSource): string {
  return t('clv.source', {
    model: modelName(s.model),
    spend: s.spendModel === 'gg' ? modelName('gg') : t('clv.source.meanSpend'),
    horizon: s.horizon,
    unit: unitName(s.timeUnit),
    discount: fmtPercent(s.discountRate),
    margin: fmtPercent(s.margin),
    date: fmtDate(s.savedAt),
  });
}

function histogramOption(d: ClvDistributionResponse): EChartsOption {
  const bins = d.histogram;
  const labels = bins.map((b, i) =>
    i === bins.length - 1 && bins.length > 20
      ? `≥ ${fmtNumber(Math.round(b.from))} (${t('clv.histogram.top')})`
      : `${fmtNumber(Math.round(b.from))}–${fmtNumber(Math.round(b.to))}`,
  );
  return {
    grid: { left: 56, right: 16, top: 24, bottom: 72 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => fmtNumber(Number(v)) },
    xAxis: {
      type: 'category',
      data: labels,
      name: t('clv.histogram.clv'),
      nameLocation: 'middle',
      nameGap: 56,
      axisLabel: { rotate: 40, fontSize: 10 },
    },
    yAxis: { type: 'value', name: t('clv.histogram.customers') },
    series: [{ type: 'bar', name: t('clv.histogram.customers'), data: bins.map((b) => b.customers) }],
  };
}

/** The predict form: horizon, discount rate, margin (the API's defaults 52, 10 %, 100 %). */
function predictForm(onDone: () => void): HTMLElement {
  const horizon = numberInput('clv-predict-horizon', '52', { min: '1', max: '1000', step: '1' });
  const discount = numberInput('clv-predict-discount', '0.1', { min: '0', max: '10', step: 'any' });
  const margin = numberInput('clv-predict-margin', '1', { min: '0.01', max: '1', step: 'any' });
  const submit = h(
    'button',
    { type: 'submit', 'data-testid': 'clv-predict-submit' },
    t('clv.predict.submit'),
  );
  const status = h('div', {
    class: 'clv-status',
    'aria-live': 'polite',
    'data-testid': 'clv-predict-status',
  });
  const form = h(
    'form',
    {
      class: 'clv-form',
      'data-testid': 'clv-predict-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        runJob(
          status,
          submit,
          () =>
            apiPost<Job>('/clv/predict', {
              horizon: Number(horizon.value),
              discountRate: Number(discount.value),
              margin: Number(margin.value),
            }),
          { running: t('clv.predict.running'), failed: t('clv.predict.failed') },
          (result) => {
            window.setTimeout(onDone, 600);
            return t('clv.predict.done', { customers: (result as { customers: number }).customers });
          },
          'clv-predict',
        );
      },
    },
    field(t('clv.predict.horizon'), horizon, 'clv-predict-horizon'),
    field(t('clv.predict.discount'), discount, 'clv-predict-discount'),
    field(t('clv.predict.margin'), margin, 'clv-predict-margin'),
    submit,
  );
  return h('div', { class: 'clv-predict' }, h('h3', {}, t('clv.predict.title')), form, status);
}

function distributionCard(onPredicted: () => void): HTMLElement {
  return card(
    t('clv.distribution.title'),
    async () => {
      let d: ClvDistributionResponse;
      try {
        d = await apiGet<ClvDistributionResponse>('/clv/distribution');
      } catch (err) {
        if (!isNotFound(err)) throw err;
        return h(
          'div',
          { class: 'empty', 'data-testid': 'clv-empty' },
          h('p', {}, t('clv.empty')),
          h(
            'pre',
            { class: 'commands' },
            h(
              'code',
              {},
              'retain clv fit --model bgnbd --penalty 0.05\n' +
                'retain clv fit --model gg\n' +
                'retain clv predict --horizon 52 --save',
            ),
          ),
          predictForm(onPredicted),
        );
      }
      const s = d.totals;
      return [
        h(
          'div',
          { class: 'kpis clv-kpis' },
          kpi(t('clv.kpi.customers'), fmtNumber(s.customers), 'clv-kpi-customers'),
          kpi(t('clv.kpi.equity'), fmtMoney(s.clv), 'clv-kpi-equity'),
          kpi(t('clv.kpi.mean'), fmtMoney(s.mean), 'clv-kpi-mean'),
          kpi(t('clv.kpi.median'), fmtMoney(s.median), 'clv-kpi-median'),
          kpi(t('clv.kpi.expected'), fmtNumber(s.expectedTransactions, 1), 'clv-kpi-expected'),
          kpi(t('clv.kpi.alive'), fmtPercent(s.shareAlive), 'clv-kpi-alive'),
        ),
        h('p', { class: 'hint', 'data-testid': 'clv-source' }, sourceText(d.source)),
        chart(histogramOption(d), 'chart-clv-histogram'),
        h('p', { class: 'hint' }, t('clv.histogram.hint')),
        h(
          'details',
          { class: 'clv-recompute' },
          h('summary', {}, t('clv.predict.title')),
          predictForm(onPredicted),
        ),
      ];
    },
    'card-clv-distribution',
  );
}

function topHash(offset: number, search: string): string {
  const q = new URLSearchParams();
  if (offset > 0) q.set('offset', String(offset));
  if (search) q.set('search', search);
  const s = q.toString();
  return s ? `#/clv?${s}` : '#/clv';
}

function topCustomersCard(offset: number, search: string): HTMLElement {
  const input = h('input', {
    id: 'clv-search',
    type: 'search',
    value: search,
    'data-testid': 'clv-search',
  });
  const form = h(
    'form',
    {
      class: 'clv-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        location.hash = topHash(0, input.value.trim());
      },
    },
    field(t('clv.top.search'), input, 'clv-search'),
    h('button', { type: 'submit', 'data-testid': 'clv-search-submit' }, t('clv.top.searchSubmit')),
  );
  return card(
    t('clv.top.title'),
    async () => {
      const res = await apiGet<PredictionsResponse>('/clv/predictions', {
        limit: CLV_PAGE_SIZE,
        offset,
        search,
      });
      if (res.total === 0 && !search) return h('p', { class: 'hint' }, t('clv.overview.none'));
      const rows = res.predictions;
      const pager = pagerOf({
        offset,
        pageSize: CLV_PAGE_SIZE,
        more: offset + rows.length < res.total,
        hashAt: (at) => topHash(at, search),
        range:
          rows.length === 0
            ? t('clv.top.none')
            : t('clv.top.range', { from: offset + 1, to: offset + rows.length, total: res.total }),
        rangeTestId: 'clv-range',
        prevTestId: 'clv-page-prev',
        nextTestId: 'clv-page-next',
      });
      return [
        form,
        h(
          'div',
          { class: 'wide' },
          h(
            'table',
            { class: 'data', 'data-testid': 'table-clv-top' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, t('clv.top.customer')),
                h('th', { class: 'num' }, t('clv.top.x')),
                h('th', { class: 'num' }, t('clv.top.alive')),
                h('th', { class: 'num' }, t('clv.top.expected')),
                h('th', { class: 'num' }, t('clv.top.spend')),
                h('th', { class: 'num' }, t('clv.top.clv')),
              ),
            ),
            h(
              'tbody',
              {},
              rows.map((p) =>
                h(
                  'tr',
                  { 'data-id': p.customerId },
                  h(
                    'td',
                    {},
                    h('a', { href: `#/customers/${encodeURIComponent(p.customerId)}` }, p.customerId),
                  ),
                  h('td', { class: 'num' }, fmtNumber(p.x)),
                  h('td', { class: 'num', 'data-testid': 'clv-alive' }, fmtPercent(p.probabilityAlive)),
                  h('td', { class: 'num' }, fmtNumber(p.expectedTransactions, 2)),
                  h('td', { class: 'num' }, fmtMoney(p.expectedSpend)),
                  h('td', { class: 'num', 'data-testid': 'clv-value' }, fmtMoney(p.clv)),
                ),
              ),
            ),
          ),
        ),
        pager,
      ];
    },
    'card-clv-top',
  );
}

function fitDetail(id: number): HTMLElement {
  return card(
    null,
    async () => {
      const f = await apiGet<FitDetail>(`/clv/fits/${id}`);
      return [
        h(
          'h3',
          { 'data-testid': 'clv-fit-title' },
          t('clv.fit.params', { id: String(f.fitId), model: modelName(f.model) }),
        ),
        h(
          'table',
          { class: 'data compact', 'data-testid': 'table-clv-params' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, t('clv.fit.parameter')),
              h('th', { class: 'num' }, t('clv.fit.estimate')),
              h('th', { class: 'num' }, t('clv.fit.se')),
            ),
          ),
          h(
            'tbody',
            {},
            Object.entries(f.params).map(([name, value]) =>
              h(
                'tr',
                { 'data-param': name },
                h('td', {}, name),
                h('td', { class: 'num' }, fmtNumber(value, 4)),
                h('td', { class: 'num' }, fmtNumber(f.standardErrors[name], 4)),
              ),
            ),
          ),
        ),
        h(
          'dl',
          { class: 'kv' },
          h('dt', {}, t('clv.fit.logLik')),
          h('dd', { 'data-testid': 'clv-fit-loglik' }, fmtNumber(f.logLikelihood, 2)),
          h('dt', {}, t('clv.fit.customers')),
          h('dd', {}, fmtNumber(f.customers)),
          h('dt', {}, t('clv.fit.converged')),
          h('dd', {}, f.converged ? t('clv.yes') : t('clv.no')),
          h('dt', {}, t('clv.fit.penalty')),
          h('dd', {}, fmtNumber(f.penalty)),
        ),
      ];
    },
    'card-clv-fit-detail',
  );
}

function fitsCard(): HTMLElement {
  const detail = h('div', { class: 'clv-fit-detail' });
  const select = (id: number): void => {
    clear(detail);
    detail.append(fitDetail(id));
  };
  return card(
    t('clv.fits.title'),
    async () => {
      const fits = await apiGet<FitRow[]>('/clv/fits');
      if (fits.length === 0)
        return h('p', { class: 'hint', 'data-testid': 'clv-fits-empty' }, t('clv.fits.empty'));
      select(fits[0]!.fitId);
      return [
        h(
          'div',
          { class: 'wide' },
          h(
            'table',
            { class: 'data', 'data-testid': 'table-clv-fits' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { class: 'num' }, t('clv.fits.id')),
                h('th', {}, t('clv.fits.model')),
                h('th', {}, t('clv.fits.fittedAt')),
                h('th', {}, t('clv.fits.timeUnit')),
                h('th', {}, t('clv.fits.calibrationEnd')),
                h('th', {}, ''),
              ),
            ),
            h(
              'tbody',
              {},
              fits.map((f) =>
                h(
                  'tr',
                  { 'data-fit': f.fitId },
                  h('td', { class: 'num' }, String(f.fitId)),
                  h('td', {}, modelName(f.model)),
                  h('td', {}, fmtDate(f.fittedAt)),
                  h('td', {}, f.timeUnit ? unitName(f.timeUnit) : t('common.notAvailable')),
                  h('td', {}, fmtDate(f.calibrationEnd)),
                  h(
                    'td',
                    {},
                    h(
                      'button',
                      {
                        type: 'button',
                        'data-testid': `clv-fit-show-${f.fitId}`,
                        onclick: () => select(f.fitId),
                      },
                      t('clv.fits.show'),
                    ),
                  ),
                ),
              ),
            ),
          ),
        ),
        detail,
      ];
    },
    'card-clv-fits',
  );
}

function fitForm(onDone: () => void): HTMLElement {
  const model = h(
    'select',
    { id: 'clv-fit-model', 'data-testid': 'clv-fit-model' },
    FIT_MODELS.map((m) => h('option', { value: m }, modelName(m))),
  );
  const calibrationEnd = h('input', {
    id: 'clv-fit-calibration',
    type: 'date',
    'data-testid': 'clv-fit-calibration',
  });
  const timeUnit = h(
    'select',
    { id: 'clv-fit-unit', 'data-testid': 'clv-fit-unit' },
    h('option', { value: '' }, t('clv.fitForm.default')),
    TIME_UNITS.map((u) => h('option', { value: u }, unitName(u))),
  );
  const penalty = numberInput('clv-fit-penalty', '0.05', { min: '0', step: 'any' });
  const submit = h('button', { type: 'submit', 'data-testid': 'clv-fit-submit' }, t('clv.fitForm.submit'));
  const status = h('div', { class: 'clv-status', 'aria-live': 'polite', 'data-testid': 'clv-fit-status' });
  const form = h(
    'form',
    {
      class: 'clv-form',
      'data-testid': 'clv-fit-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        runJob(
          status,
          submit,
          () =>
            apiPost<Job>('/clv/fit', {
              model: model.value,
              ...(calibrationEnd.value ? { calibrationEnd: calibrationEnd.value } : {}),
              ...(timeUnit.value ? { timeUnit: timeUnit.value } : {}),
              ...(penalty.value !== '' ? { penalty: Number(penalty.value) } : {}),
            }),
          { running: t('clv.fitForm.running'), failed: t('clv.fitForm.failed') },
          (result) => {
            const r = result as { fitId: number; logLikelihood: number };
            onDone();
            return t('clv.fitForm.done', { id: String(r.fitId), ll: fmtNumber(r.logLikelihood, 2) });
          },
          'clv-fit',
        );
      },
    },
    field(t('clv.fitForm.model'), model, 'clv-fit-model'),
    field(t('clv.fitForm.calibrationEnd'), calibrationEnd, 'clv-fit-calibration'),
    field(t('clv.fitForm.timeUnit'), timeUnit, 'clv-fit-unit'),
    field(t('clv.fitForm.penalty'), penalty, 'clv-fit-penalty'),
    submit,
  );
  return h(
    'section',
    { class: 'card', 'data-testid': 'card-clv-fit-form' },
    h('h2', {}, t('clv.fitForm.title')),
    h('p', { class: 'hint' }, t('clv.fitForm.hint')),
    form,
    status,
  );
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Holdout: the last third of the transactions' range, at most a year, ending on the last transaction day. */
export function defaultEvaluationDates(
  from: string,
  to: string,
): { calibrationEnd: string; holdoutEnd: string } {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const holdoutDays = Math.max(1, Math.min(365, Math.floor((end - start) / DAY_MS / 3)));
  return { calibrationEnd: isoDay(end - holdoutDays * DAY_MS), holdoutEnd: to };
}

function trackingOption(e: Evaluation): EChartsOption {
  const points = e.tracking.points;
  const labels = points.map((p) => p.end);
  return {
    grid: { left: 64, right: 16, top: 32, bottom: 48 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => fmtNumber(Number(v), 0) },
    xAxis: { type: 'category', data: labels, axisLabel: { formatter: (v: string) => fmtDate(v) } },
    yAxis: { type: 'value' },
    series: [
      {
        type: 'line',
        name: t('clv.eval.actual'),
        showSymbol: false,
        data: points.map((p) => p.cumulativeActual),
        markLine: {
          symbol: 'none',
          label: { formatter: t('clv.eval.calibrationLine') },
          data: [{ xAxis: Math.max(0, e.tracking.calibrationPeriods - 1) }],
        },
      },
      {
        type: 'line',
        name: t('clv.eval.expected'),
        showSymbol: false,
        lineStyle: { type: 'dashed' },
        data: points.map((p) => p.cumulativeExpected),
      },
    ],
  };
}

function byFrequencyOption(e: Evaluation): EChartsOption {
  return {
    grid: { left: 56, right: 16, top: 32, bottom: 48 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => fmtNumber(Number(v), 2) },
    xAxis: {
      type: 'category',
      data: e.byFrequency.map((g) => g.label),
      name: t('clv.eval.frequency'),
      nameLocation: 'middle',
      nameGap: 28,
    },
    yAxis: { type: 'value' },
    series: [
      { type: 'bar', name: t('clv.eval.meanActual'), data: e.byFrequency.map((g) => g.meanActual) },
      { type: 'bar', name: t('clv.eval.meanPredicted'), data: e.byFrequency.map((g) => g.meanPredicted) },
    ],
  };
}

function evaluationView(e: Evaluation): HTMLElement {
  const ho = e.holdout;
  return h(
    'div',
    { 'data-testid': 'clv-evaluation' },
    h(
      'p',
      { 'data-testid': 'clv-eval-summary' },
      t('clv.eval.summary', {
        predicted: fmtNumber(ho.predictedTotal, 1),
        actual: fmtNumber(ho.actualTotal),
        error: ho.relativeError === null ? t('common.notAvailable') : fmtPercent(ho.relativeError),
        mae: fmtNumber(ho.mae, 3),
        corr: fmtNumber(ho.correlation, 3),
      }),
    ),
    h(
      'div',
      { class: 'grid2' },
      h('div', {}, h('h3', {}, t('clv.eval.tracking')), chart(trackingOption(e), 'chart-clv-tracking')),
      h(
        'div',
        {},
        h('h3', {}, t('clv.eval.byFrequency')),
        chart(byFrequencyOption(e), 'chart-clv-frequency'),
      ),
    ),
  );
}

function diagnosticsCard(): HTMLElement {
  return card(
    t('clv.eval.title'),
    async () => {
      const info = await apiGet<InfoResponse>('/info');
      const tx = info.tables.find((x) => x.table === 'transactions');
      const dates = tx?.from && tx.to ? defaultEvaluationDates(tx.from, tx.to) : null;
      const calibrationEnd = h('input', {
        id: 'clv-eval-calibration',
        type: 'date',
        required: true,
        value: dates?.calibrationEnd ?? '',
        'data-testid': 'clv-eval-calibration',
      });
      const holdoutEnd = h('input', {
        id: 'clv-eval-holdout',
        type: 'date',
        required: true,
        value: dates?.holdoutEnd ?? '',
        'data-testid': 'clv-eval-holdout',
      });
      const model = h(
        'select',
        { id: 'clv-eval-model', 'data-testid': 'clv-eval-model' },
        EVALUATE_MODELS.map((m) => h('option', { value: m }, modelName(m))),
      );
      const penalty = numberInput('clv-eval-penalty', '0.05', { min: '0', step: 'any' });
      const submit = h('button', { type: 'submit', 'data-testid': 'clv-eval-submit' }, t('clv.eval.submit'));
      const status = h('div', {
        class: 'clv-status',
        'aria-live': 'polite',
        'data-testid': 'clv-eval-status',
      });
      const charts = h('div', { class: 'clv-eval-charts' }, h('p', { class: 'hint' }, t('clv.eval.empty')));
      const form = h(
        'form',
        {
          class: 'clv-form',
          'data-testid': 'clv-eval-form',
          onsubmit: (ev: Event) => {
            ev.preventDefault();
            runJob(
              status,
              submit,
              () =>
                apiPost<Job>('/clv/evaluate', {
                  calibrationEnd: calibrationEnd.value,
                  holdoutEnd: holdoutEnd.value,
                  model: model.value,
                  ...(penalty.value !== '' ? { penalty: Number(penalty.value) } : {}),
                }),
              { running: t('clv.eval.running'), failed: t('clv.eval.failed') },
              (result) => {
                clear(charts);
                charts.append(evaluationView(result as Evaluation));
                return null;
              },
              'clv-eval',
            );
          },
        },
        field(t('clv.eval.calibrationEnd'), calibrationEnd, 'clv-eval-calibration'),
        field(t('clv.eval.holdoutEnd'), holdoutEnd, 'clv-eval-holdout'),
        field(t('clv.eval.model'), model, 'clv-eval-model'),
        field(t('clv.eval.penalty'), penalty, 'clv-eval-penalty'),
        submit,
      );
      return [h('p', { class: 'hint' }, t('clv.eval.hint')), form, status, charts];
    },
    'card-clv-diagnostics',
  );
}

export function clvPage(_rest: string[], query: URLSearchParams): HTMLElement {
  const offset = Math.max(0, Number.parseInt(query.get('offset') ?? '0', 10) || 0);
  const search = (query.get('search') ?? '').trim();
  const top = slot(() => topCustomersCard(offset, search));
  const distribution = slot(() =>
    distributionCard(() => {
      distribution.reload();
      top.reload();
    }),
  );
  const fits = slot(() => fitsCard());
  return h(
    'div',
    { class: 'page', 'data-testid': 'page-clv' },
    pageHeader(t('nav.clv')),
    distribution.el,
    top.el,
    fits.el,
    fitForm(() => fits.reload()),
    diagnosticsCard(),
  );
}

/**
 * The overview's customer-equity KPI: the sum of the stored CLV with its horizon and date, and the change
 * against the previous stored run (the trend); without stored predictions, where to compute them.
 */
export async function clvEquityKpi(): Promise<HTMLElement> {
  let d: ClvDistributionResponse;
  try {
    d = await apiGet<ClvDistributionResponse>('/clv/distribution');
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return kpi(t('overview.kpi.clv'), t('common.notAvailable'), 'kpi-clv', t('clv.overview.none'));
  }
  const previous = d.history.at(-2);
  const hint = [
    t('clv.overview.hint', {
      horizon: d.source.horizon,
      unit: unitName(d.source.timeUnit),
      date: fmtDate(d.source.savedAt),
    }),
    previous && previous.clv !== 0
      ? t('clv.overview.change', {
          change: `${d.totals.clv >= previous.clv ? '+' : ''}${fmtPercent(d.totals.clv / previous.clv - 1)}`,
        })
      : null,
  ]
    .filter(Boolean)
    .join('; ');
  return kpi(t('overview.kpi.clv'), fmtMoney(d.totals.clv), 'kpi-clv', hint);
}
