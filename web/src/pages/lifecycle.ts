/** Lifecycle: stage mix of a model (states, four-stage, five-stage), patterns, the mix over time, transitions. */
import type { EChartsOption } from 'echarts';
import { apiGet } from '../api.js';
import { h, table } from '../dom.js';
import { fmtDate, fmtMonth, fmtNumber, fmtPercent, t, tValue, type Key } from '../i18n/i18n.js';
import type { LifecycleMixResponse, LifecycleResponse } from '../types.js';
import { card, chart, pageHeader } from '../ui.js';
import { transitionsCard } from './lifecycle-transitions.js';

export const MODELS = ['states', 'four-stage', 'five-stage'] as const;

/** Stacked bars: customers per stage at each recorded month end. */
export function mixChartOption(mix: LifecycleMixResponse): EChartsOption {
  const months = mix.months.length > 0 ? mix.months : [...new Set(mix.mix.map((m) => m.monthEnd))].sort();
  const stages = [...new Set(mix.mix.map((m) => m.stage))];
  const index = new Map(months.map((m, i) => [m, i]));
  return {
    grid: { left: 56, right: 16, top: 40, bottom: 40 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => fmtNumber(Number(v)) },
    xAxis: { type: 'category', data: months.map(fmtMonth) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmtNumber(v) } },
    series: stages.map((stage) => {
      const data = months.map(() => 0);
      for (const m of mix.mix) if (m.stage === stage) data[index.get(m.monthEnd) ?? 0] = m.customers;
      return { type: 'bar' as const, stack: 'mix', name: tValue('stage', stage), data };
    }),
  };
}

export function lifecyclePage(modelParam: string | undefined, query: URLSearchParams): HTMLElement {
  const model = (MODELS as readonly string[]).includes(modelParam ?? '') ? modelParam! : 'states';
  const select = h(
    'select',
    {
      'data-testid': 'lifecycle-model',
      'aria-label': t('lifecycle.model'),
      onchange: (e: Event) => {
        location.hash = `#/lifecycle/${(e.target as HTMLSelectElement).value}`;
      },
    },
    MODELS.map((m) => h('option', { value: m, selected: m === model }, t(`lifecycle.model.${m}` as Key))),
  );
  return h(
    'div',
    { class: 'page', 'data-testid': 'page-lifecycle' },
    pageHeader(t('lifecycle.title'), h('label', { class: 'inline' }, t('lifecycle.model'), select)),
    card(
      t('lifecycle.stageMix'),
      async () => {
        const l = await apiGet<LifecycleResponse>('/lifecycle', { model });
        return [
          h('p', { class: 'hint' }, t('common.asOf', { date: fmtDate(l.asOf) })),
          h(
            'div',
            { class: 'grid2' },
            table(
              [
                { label: t('lifecycle.stage'), value: (s) => tValue('stage', s.stage) },
                { label: t('common.customers'), value: (s) => fmtNumber(s.customers), numeric: true },
                { label: t('common.share'), value: (s) => fmtPercent(s.share), numeric: true },
              ],
              l.stages,
              'table-stages',
            ),
            chart(
              {
                tooltip: { trigger: 'item', valueFormatter: (v) => fmtNumber(Number(v)) },
                legend: { bottom: 0 },
                series: [
                  {
                    type: 'pie',
                    radius: ['35%', '65%'],
                    data: l.stages.map((s) => ({ name: tValue('stage', s.stage), value: s.customers })),
                  },
                ],
              },
              'chart-stages',
              280,
            ),
          ),
          h('h3', {}, t('lifecycle.patterns')),
          table(
            [
              { label: t('lifecycle.pattern'), value: (p) => tValue('lifecycle.pattern', p.pattern) },
              { label: t('common.customers'), value: (p) => fmtNumber(p.customers), numeric: true },
              { label: t('common.share'), value: (p) => fmtPercent(p.share), numeric: true },
            ],
            l.patterns,
            'table-patterns',
          ),
        ];
      },
      'card-lifecycle-stages',
    ),
    card(
      t('lifecycle.mixOverTime'),
      async () => {
        const mix = await apiGet<LifecycleMixResponse>('/lifecycle/mix', { model });
        if (mix.mix.length === 0) return h('p', {}, t('lifecycle.noHistory'));
        return chart(mixChartOption(mix), 'chart-lifecycle-mix', 360);
      },
      'card-lifecycle-mix',
    ),
    transitionsCard(model, query),
  );
}
