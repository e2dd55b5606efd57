/** Early warnings: customers per level, the listed alerts with their reasons (filter by level), group and product warnings. */
import { apiGet } from '../api.js';
import { h, table } from '../dom.js';
import { fmtDate, fmtMoney, fmtNumber, fmtPercent, t, tValue } from '../i18n/i18n.js';
import type { AlertReasonDetail, AlertsResponse, GroupReport, GroupWarning } from '../types.js';
import { card, chart, once, pageHeader } from '../ui.js';
import { fieldLabel } from './customers.js';

export const LEVELS = ['yellow', 'orange', 'red', 'lost'] as const;
const LEVEL_COLOURS: Record<string, string> = {
  yellow: '#E6C000',
  orange: '#E69F00',
  red: '#D55E00',
  lost: '#666666',
};

function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? t('common.notAvailable') : fmtPercent(v / 100);
}

/** A customer's reason in the chosen language, from its code and numbers. */
export function reasonText(d: AlertReasonDetail): string {
  switch (d.code) {
    case 'lost':
      return t('alerts.reason.lost', { days: d.recencyDays, after: d.lostAfterDays });
    case 'recency':
      return t('alerts.reason.recency', { days: d.recencyDays, from: d.from, to: d.to });
    case 'frequency_down':
    case 'monetary_down': {
      const band =
        d.upTo === null
          ? t('alerts.band.above', { above: d.above })
          : t('alerts.band.between', { above: d.above, upTo: d.upTo });
      const money = d.code === 'monetary_down';
      return t(money ? 'alerts.reason.monetary' : 'alerts.reason.frequency', {
        percent: percent(d.percent),
        band,
        recent: money ? fmtMoney(d.recent) : fmtNumber(d.recent),
        days: d.days,
        baseline: money ? fmtMoney(d.baselineMonthly) : fmtNumber(d.baselineMonthly, 2),
      });
    }
  }
}

/** A group or product warning in words, from its numbers. */
function warningText(w: GroupWarning): string {
  if (w.metric === 'spend')
    return t('alerts.reason.spend', {
      current: fmtMoney(w.current),
      baseline: fmtMoney(w.baseline),
      z: fmtNumber(w.z, 2),
    });
  const product = w.dimension === 'product' || w.dimension === 'category';
  return t(product ? 'alerts.reason.productLapse' : 'alerts.reason.groupChurn', {
    rate: fmtPercent(w.current, 2),
    active: w.active,
    baseline: fmtPercent(w.baseline, 2),
    z: fmtNumber(w.z, 2),
  });
}

function warningsTable(report: GroupReport | null, testid: string): HTMLElement {
  const warnings = report?.warnings ?? [];
  if (warnings.length === 0) return h('p', { 'data-testid': `${testid}-empty` }, t('alerts.noWarnings'));
  return table(
    [
      {
        label: t('alerts.dimension'),
        value: (w) => (w.dimension === 'all' ? t('common.all') : fieldLabel(w.dimension)),
      },
      { label: t('alerts.group'), value: (w) => w.group },
      { label: t('alerts.metric'), value: (w) => tValue('alerts.metric', w.metric) },
      {
        label: t('alerts.current'),
        value: (w) => (w.metric === 'churn_rate' ? fmtPercent(w.current, 2) : fmtNumber(w.current, 2)),
        numeric: true,
      },
      {
        label: t('alerts.baseline'),
        value: (w) => (w.metric === 'churn_rate' ? fmtPercent(w.baseline, 2) : fmtNumber(w.baseline, 2)),
        numeric: true,
      },
      { label: t('alerts.changePercent'), value: (w) => percent(w.changePercent), numeric: true },
      { label: 'z', value: (w) => fmtNumber(w.z, 2), numeric: true },
      { label: t('alerts.change'), value: (w) => (w.change ? tValue('change', w.change) : '') },
      { label: t('field.reason'), value: (w) => h('span', { title: w.reason }, warningText(w)) },
    ],
    warnings,
    testid,
  );
}

export function alertsPage(query: URLSearchParams): HTMLElement {
  const level = (LEVELS as readonly string[]).includes(query.get('level') ?? '') ? query.get('level')! : '';
  const select = h(
    'select',
    {
      'data-testid': 'alerts-level',
      'aria-label': t('alerts.filter'),
      onchange: (e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        location.hash = v ? `#/alerts?level=${v}` : '#/alerts';
      },
    },
    h('option', { value: '', selected: level === '' }, t('common.all')),
    LEVELS.map((l) => h('option', { value: l, selected: l === level }, tValue('level', l))),
  );
  const data = once(() => apiGet<AlertsResponse>('/alerts'));
  return h(
    'div',
    { class: 'page', 'data-testid': 'page-alerts' },
    pageHeader(t('alerts.title'), h('label', { class: 'inline' }, t('alerts.filter'), select)),
    h(
      'div',
      { class: 'grid2' },
      card(
        t('alerts.levels'),
        async () => {
          const a = await data();
          const c = a.customers;
          return [
            h('p', { class: 'hint' }, t('common.asOf', { date: fmtDate(a.asOf) })),
            h(
              'div',
              { class: 'levels' },
              c.levels.map((l) =>
                h(
                  'div',
                  {
                    class: `level level-${l.level}${level && level !== l.level ? ' dim' : ''}`,
                    'data-testid': 'level-count',
                    'data-level': l.level,
                  },
                  h('div', { class: 'level-name' }, tValue('level', l.level)),
                  h(
                    'div',
                    { class: 'level-value', 'data-testid': 'level-count-value' },
                    fmtNumber(l.customers),
                  ),
                  h(
                    'div',
                    { class: 'level-by' },
                    `${t('alerts.byRecency')} ${fmtNumber(l.byRecency)} · ${t('alerts.byFrequency')} ${fmtNumber(l.byFrequency)} · ${t('alerts.byMonetary')} ${fmtNumber(l.byMonetary)}`,
                  ),
                ),
              ),
            ),
            c.shortHistory > 0
              ? h('p', { class: 'hint' }, t('alerts.shortHistory', { count: c.shortHistory }))
              : null,
          ];
        },
        'card-alert-levels',
      ),
      card(
        null,
        async () => {
          const c = (await data()).customers;
          return chart(
            {
              grid: { left: 56, right: 16, top: 16, bottom: 32 },
              tooltip: { trigger: 'axis', valueFormatter: (v) => fmtNumber(Number(v)) },
              xAxis: { type: 'category', data: c.levels.map((l) => tValue('level', l.level)) },
              yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmtNumber(v) } },
              series: [
                {
                  type: 'bar',
                  name: t('common.customers'),
                  data: c.levels.map((l) => ({
                    value: l.customers,
                    itemStyle: { color: LEVEL_COLOURS[l.level] ?? '#0072B2' },
                  })),
                },
              ],
            },
            'chart-alert-levels',
            260,
          );
        },
        'card-alert-chart',
      ),
    ),
    card(
      t('alerts.list'),
      async () => {
        const list = (await data()).customers.list.filter((a) => !level || a.level === level);
        if (list.length === 0) return h('p', { 'data-testid': 'alerts-empty' }, t('alerts.noneListed'));
        return [
          h('p', { class: 'hint' }, t('alerts.listNote')),
          table(
            [
              {
                label: t('field.customerId'),
                value: (a) =>
                  h('a', { href: `#/customers/${encodeURIComponent(a.customerId)}` }, a.customerId),
              },
              {
                label: t('field.level'),
                value: (a) => h('span', { class: `badge level-${a.level}` }, tValue('level', a.level)),
              },
              { label: t('alerts.change'), value: (a) => (a.change ? tValue('change', a.change) : '') },
              { label: t('field.lastTransaction'), value: (a) => fmtDate(a.lastTransaction) },
              { label: t('alerts.recency'), value: (a) => fmtNumber(a.recency), numeric: true },
              { label: t('alerts.fDown'), value: (a) => percent(a.frequencyDownPercent), numeric: true },
              { label: t('alerts.mDown'), value: (a) => percent(a.monetaryDownPercent), numeric: true },
              {
                label: t('field.reasons'),
                value: (a) =>
                  h(
                    'ul',
                    { class: 'reasons' },
                    a.reasonDetails.map((d) => h('li', { 'data-code': d.code }, reasonText(d))),
                  ),
              },
            ],
            list,
            'table-alerts',
          ),
        ];
      },
      'card-alert-list',
    ),
    h(
      'div',
      { class: 'grid2' },
      card(
        t('alerts.groupWarnings'),
        async () => warningsTable((await data()).groups, 'table-group-warnings'),
        'card-group-warnings',
      ),
      card(
        t('alerts.productWarnings'),
        async () => warningsTable((await data()).products, 'table-product-warnings'),
        'card-product-warnings',
      ),
    ),
  );
}
