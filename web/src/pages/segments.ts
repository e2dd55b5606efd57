/** Segments: RFM segment summary, value quadrants (current x potential), ABC analysis with its Pareto curve. */
import { apiGet } from '../api.js';
import { h, table } from '../dom.js';
import { fmtDate, fmtMoney, fmtNumber, fmtPercent, hasKey, t, tValue, type Key } from '../i18n/i18n.js';
import type { RfmResponse, SegmentationResponse, ValueGroup } from '../types.js';
import { card, chart, pageHeader } from '../ui.js';

function groupTable(groups: readonly ValueGroup[], prefix: string, testid: string): HTMLTableElement {
  return table(
    [
      { label: t('segments.group'), value: (g) => tValue(prefix, g.group) },
      { label: t('common.customers'), value: (g) => fmtNumber(g.customers), numeric: true },
      { label: t('common.customerShare'), value: (g) => fmtPercent(g.customerShare), numeric: true },
      { label: t('common.revenue'), value: (g) => fmtMoney(g.revenue), numeric: true },
      { label: t('common.revenueShare'), value: (g) => fmtPercent(g.revenueShare), numeric: true },
      { label: t('common.profit'), value: (g) => fmtMoney(g.profit), numeric: true },
    ],
    groups,
    testid,
  );
}

function quadrants(groups: readonly ValueGroup[]): HTMLElement {
  const cell = (name: string, cls: string): HTMLElement => {
    const g = groups.find((x) => x.group === name);
    return h(
      'div',
      { class: `quadrant ${cls}`, 'data-testid': 'quadrant', 'data-group': name },
      h('div', { class: 'q-name' }, tValue('segments.value.group', name)),
      h('div', { class: 'q-count', 'data-testid': 'quadrant-customers' }, fmtNumber(g?.customers ?? 0)),
      h('div', { class: 'q-share' }, `${fmtPercent(g?.customerShare ?? 0)} · ${fmtMoney(g?.revenue ?? 0)}`),
    );
  };
  return h(
    'div',
    { class: 'quadrants' },
    h('div', { class: 'q-axis-y' }, `↑ ${t('segments.value.potential')}`),
    h(
      'div',
      { class: 'q-grid' },
      cell('II iron', 'q-iron'),
      cell('IV gold', 'q-gold'),
      cell('I lead', 'q-lead'),
      cell('III silver', 'q-silver'),
    ),
    h('div', { class: 'q-axis-x' }, `${t('segments.value.current')} →`),
  );
}

export function segmentsPage(): HTMLElement {
  return h(
    'div',
    { class: 'page', 'data-testid': 'page-segments' },
    pageHeader(t('segments.title')),
    card(
      t('rfm.title'),
      async () => {
        const r = await apiGet<RfmResponse>('/rfm');
        return [
          h(
            'p',
            { class: 'hint' },
            t('common.asOf', { date: fmtDate(r.asOf) }),
            r.withoutPurchases > 0 ? ` · ${t('rfm.withoutPurchases', { count: r.withoutPurchases })}` : null,
          ),
          chart(
            {
              grid: { left: 140, right: 56, top: 32, bottom: 32 },
              legend: { top: 0 },
              tooltip: { trigger: 'axis', valueFormatter: (v) => fmtPercent(Number(v)) },
              xAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmtPercent(v, 0) } },
              yAxis: {
                type: 'category',
                inverse: true,
                data: r.segments.map((s) => tValue('rfm.seg', s.segment)),
              },
              series: [
                {
                  type: 'bar',
                  name: t('common.customerShare'),
                  data: r.segments.map((s) => s.customerShare),
                },
                { type: 'bar', name: t('common.revenueShare'), data: r.segments.map((s) => s.revenueShare) },
              ],
            },
            'chart-rfm',
            360,
          ),
          table(
            [
              { label: t('rfm.segment'), value: (s) => tValue('rfm.seg', s.segment) },
              { label: t('common.customers'), value: (s) => fmtNumber(s.customers), numeric: true },
              { label: t('common.customerShare'), value: (s) => fmtPercent(s.customerShare), numeric: true },
              { label: t('common.revenue'), value: (s) => fmtMoney(s.revenue), numeric: true },
              { label: t('common.revenueShare'), value: (s) => fmtPercent(s.revenueShare), numeric: true },
              { label: t('rfm.meanRecency'), value: (s) => fmtNumber(s.meanRecency, 1), numeric: true },
              { label: t('rfm.meanFrequency'), value: (s) => fmtNumber(s.meanFrequency, 1), numeric: true },
              { label: t('rfm.meanMonetary'), value: (s) => fmtMoney(s.meanMonetary), numeric: true },
            ],
            r.segments,
            'table-rfm',
          ),
        ];
      },
      'card-rfm',
    ),
    h(
      'div',
      { class: 'grid2' },
      card(
        t('segments.value.title'),
        async () => {
          const v = await apiGet<SegmentationResponse>('/segments/value');
          const th = v.details.thresholds;
          return [
            quadrants(v.groups),
            th
              ? h(
                  'p',
                  { class: 'hint' },
                  t('segments.value.threshold', {
                    current: fmtMoney(th.current),
                    potential: fmtMoney(th.potential),
                  }),
                )
              : null,
            groupTable(v.groups, 'segments.value.group', 'table-value'),
          ];
        },
        'card-value',
      ),
      card(
        t('segments.abc.title'),
        async () => {
          const a = await apiGet<SegmentationResponse>('/segments/abc');
          const byKey = `segments.abc.by.${a.details.by ?? 'revenue'}`;
          const by = hasKey(byKey) ? t(byKey as Key) : (a.details.by ?? '');
          const curve = a.details.curve ?? [];
          return [
            chart(
              {
                grid: { left: 56, right: 24, top: 32, bottom: 48 },
                tooltip: { trigger: 'axis', valueFormatter: (v) => fmtPercent(Number(v)) },
                xAxis: {
                  type: 'value',
                  min: 0,
                  max: 1,
                  name: t('segments.abc.customerShare'),
                  nameLocation: 'middle',
                  nameGap: 28,
                  axisLabel: { formatter: (v: number) => fmtPercent(v, 0) },
                },
                yAxis: {
                  type: 'value',
                  min: 0,
                  max: 1,
                  axisLabel: { formatter: (v: number) => fmtPercent(v, 0) },
                },
                series: [
                  {
                    type: 'line',
                    name: t('segments.abc.curve', { by }),
                    showSymbol: false,
                    data: [[0, 0], ...curve.map((p) => [p.customerShare, p.valueShare])],
                    areaStyle: { opacity: 0.15 },
                  },
                ],
              },
              'chart-abc',
              280,
            ),
            groupTable(a.groups, 'segments.abc.group', 'table-abc'),
          ];
        },
        'card-abc',
      ),
    ),
  );
}
