/** Overview: KPIs from info, lifecycle, RFM, value segments and alerts; the stage mix over time. */
import { apiGet } from '../api.js';
import { h } from '../dom.js';
import { fmtDate, fmtMoney, fmtNumber, fmtPercent, t, tValue } from '../i18n/i18n.js';
import type {
  AlertsResponse,
  InfoResponse,
  LifecycleMixResponse,
  LifecycleResponse,
  RfmResponse,
  SegmentationResponse,
} from '../types.js';
import { card, chart, kpi, once, pageHeader } from '../ui.js';
import { mixChartOption } from './lifecycle.js';
import { clvEquityKpi } from './clv.js';

/** Stages that count as active customers in the operational-states model. */
export const ACTIVE_STAGES = ['active', 'new', 'reactivated'];

export function overviewPage(): HTMLElement {
  const info = once(() => apiGet<InfoResponse>('/info'));
  const lifecycle = once(() => apiGet<LifecycleResponse>('/lifecycle', { model: 'states' }));
  const rfm = once(() => apiGet<RfmResponse>('/rfm'));
  const value = once(() => apiGet<SegmentationResponse>('/segments/value'));
  const alerts = once(() => apiGet<AlertsResponse>('/alerts'));

  const kpis = h(
    'div',
    { class: 'kpis' },
    card(
      null,
      async () => {
        const rows = (await info()).tables.find((x) => x.table === 'customers')?.rows ?? 0;
        return kpi(t('overview.kpi.customers'), fmtNumber(rows), 'kpi-customers');
      },
      'card-kpi-customers',
    ),
    card(
      null,
      async () => {
        const l = await lifecycle();
        const active = l.stages
          .filter((s) => ACTIVE_STAGES.includes(s.stage))
          .reduce((a, s) => a + s.customers, 0);
        return kpi(t('overview.kpi.active'), fmtNumber(active), 'kpi-active', t('overview.kpi.activeHint'));
      },
      'card-kpi-active',
    ),
    card(
      null,
      async () => {
        const l = await lifecycle();
        const lost = l.stages.find((s) => s.stage === 'lost')?.customers ?? 0;
        return kpi(
          t('overview.kpi.lost'),
          fmtNumber(lost),
          'kpi-lost',
          t('common.asOf', { date: fmtDate(l.asOf) }),
        );
      },
      'card-kpi-lost',
    ),
    card(
      null,
      async () => {
        const a = await alerts();
        const all = a.groups?.groups.find((g) => g.dimension === 'all');
        const to = a.groups?.periods.find((p) => p.period === 0)?.to ?? a.asOf;
        return kpi(
          t('overview.kpi.churnRate'),
          fmtPercent(all?.churnRate ?? null, 2),
          'kpi-churn-rate',
          t('overview.kpi.churnRateHint', { date: fmtDate(to) }),
        );
      },
      'card-kpi-churn-rate',
    ),
    card(
      null,
      async () => {
        const v = await value();
        const revenue = v.groups.reduce((a, g) => a + g.revenue, 0);
        return kpi(
          t('overview.kpi.revenue'),
          fmtMoney(revenue),
          'kpi-revenue',
          t('common.asOf', { date: fmtDate(v.asOf) }),
        );
      },
      'card-kpi-revenue',
    ),
    card(
      null,
      async () => {
        const r = await rfm();
        const revenue = r.segments.reduce((a, s) => a + s.revenue, 0);
        return kpi(t('overview.kpi.revenueTotal'), fmtMoney(revenue), 'kpi-revenue-total');
      },
      'card-kpi-revenue-total',
    ),
    card(null, () => clvEquityKpi(), 'card-kpi-clv'),
  );

  return h(
    'div',
    { class: 'page', 'data-testid': 'page-overview' },
    pageHeader(t('overview.title')),
    kpis,
    h(
      'div',
      { class: 'grid2' },
      card(
        t('overview.trend.title'),
        async () => {
          const mix = await apiGet<LifecycleMixResponse>('/lifecycle/mix', { model: 'states' });
          if (mix.mix.length === 0) return h('p', {}, t('lifecycle.noHistory'));
          return chart(mixChartOption(mix), 'chart-overview-trend');
        },
        'card-overview-trend',
      ),
      card(
        t('overview.rfm.title'),
        async () => {
          const r = await rfm();
          return chart(
            {
              grid: { left: 140, right: 24, top: 16, bottom: 32 },
              tooltip: { trigger: 'axis', valueFormatter: (v) => fmtMoney(Number(v)) },
              xAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmtNumber(v) } },
              yAxis: {
                type: 'category',
                inverse: true,
                data: r.segments.map((s) => tValue('rfm.seg', s.segment)),
              },
              series: [{ type: 'bar', name: t('common.revenue'), data: r.segments.map((s) => s.revenue) }],
            },
            'chart-overview-rfm',
          );
        },
        'card-overview-rfm',
      ),
    ),
    card(
      t('overview.data.title'),
      async () => {
        const i = await info();
        return [
          h(
            'table',
            { class: 'data', 'data-testid': 'table-info' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, t('overview.data.table')),
                h('th', { class: 'num' }, t('overview.data.rows')),
                h('th', {}, t('overview.data.from')),
                h('th', {}, t('overview.data.to')),
              ),
            ),
            h(
              'tbody',
              {},
              i.tables.map((x) =>
                h(
                  'tr',
                  { 'data-table': x.table },
                  h('td', {}, tValue('table', x.table)),
                  h('td', { class: 'num' }, fmtNumber(x.rows)),
                  h('td', {}, fmtDate(x.from)),
                  h('td', {}, fmtDate(x.to)),
                ),
              ),
            ),
          ),
          h('p', { class: 'hint' }, t('overview.data.schema', { version: String(i.schemaVersion) })),
        ];
      },
      'card-overview-data',
    ),
  );
}
