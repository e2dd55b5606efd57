/**
 * The lifecycle page's transitions: customers moving between stages from one recorded month end to another
 * (`GET /api/lifecycle/transitions`), as a from x to matrix and a Sankey diagram. The month ends are those
 * recorded (`GET /api/lifecycle/mix`); the choice lives in the hash (`?from=&to=`).
 */
import { apiGet } from '../api.js';
import { h } from '../dom.js';
import { fmtDate, fmtNumber, t, tValue } from '../i18n/i18n.js';
import type { LifecycleMixResponse } from '../types.js';
import { card, chart } from '../ui.js';

interface TransitionsResponse {
  model: string;
  from: string;
  to: string;
  transitions: { from: string; to: string; customers: number }[];
}

const NOT_YET = '(not yet a customer)';
const stageLabel = (s: string): string =>
  s === NOT_YET ? t('lifecycle.notYetCustomer') : tValue('stage', s);

function matrix(r: TransitionsResponse): HTMLElement {
  const froms = [...new Set(r.transitions.map((x) => x.from))];
  const tos = [...new Set(r.transitions.map((x) => x.to))];
  const cell = (f: string, to: string) =>
    r.transitions.find((x) => x.from === f && x.to === to)?.customers ?? 0;
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: 'data compact', 'data-testid': 'table-transitions' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, t('lifecycle.fromTo', { from: fmtDate(r.from), to: fmtDate(r.to) })),
          tos.map((to) => h('th', { 'data-stage': to }, stageLabel(to))),
        ),
      ),
      h(
        'tbody',
        {},
        froms.map((f) =>
          h(
            'tr',
            { 'data-stage': f },
            h('th', {}, stageLabel(f)),
            tos.map((to) => h('td', { class: f === to ? 'num same' : 'num' }, fmtNumber(cell(f, to)))),
          ),
        ),
      ),
    ),
  );
}

function sankey(r: TransitionsResponse): HTMLElement {
  // a stage at each end is its own node: suffix the side so that "active -> active" is not a cycle
  const left = (s: string) => `${stageLabel(s)} · ${fmtDate(r.from)}`;
  const right = (s: string) => `${stageLabel(s)} · ${fmtDate(r.to)}`;
  const names = [
    ...new Set([...r.transitions.map((x) => left(x.from)), ...r.transitions.map((x) => right(x.to))]),
  ];
  return chart(
    {
      tooltip: { trigger: 'item', valueFormatter: (v) => fmtNumber(Number(v)) },
      series: [
        {
          type: 'sankey',
          left: 8,
          right: 160,
          nodeGap: 10,
          emphasis: { focus: 'adjacency' },
          data: names.map((name) => ({ name })),
          links: r.transitions
            .filter((x) => x.customers > 0)
            .map((x) => ({ source: left(x.from), target: right(x.to), value: x.customers })),
        },
      ],
    },
    'chart-transitions',
    360,
  );
}

export function transitionsCard(model: string, query: URLSearchParams): HTMLElement {
  return card(
    t('lifecycle.transitions'),
    async () => {
      const mix = await apiGet<LifecycleMixResponse>('/lifecycle/mix', { model });
      const months = mix.months;
      if (months.length < 2)
        return h('p', { 'data-testid': 'transitions-empty' }, t('lifecycle.noTransitions'));
      const from = months.includes(query.get('from') ?? '') ? query.get('from')! : months[months.length - 2]!;
      const to = months.includes(query.get('to') ?? '') ? query.get('to')! : months[months.length - 1]!;
      const pick = (name: 'from' | 'to', value: string): HTMLElement =>
        h(
          'label',
          { class: 'inline' },
          t(name === 'from' ? 'lifecycle.from' : 'lifecycle.to'),
          h(
            'select',
            {
              'data-testid': `transitions-${name}`,
              onchange: (e: Event) => {
                const q = new URLSearchParams({ from, to });
                q.set(name, (e.target as HTMLSelectElement).value);
                location.hash = `#/lifecycle/${model}?${q.toString()}`;
              },
            },
            months.map((m) => h('option', { value: m, selected: m === value }, fmtDate(m))),
          ),
        );
      const r = await apiGet<TransitionsResponse>('/lifecycle/transitions', { model, from, to });
      return [h('div', { class: 'toolbar' }, pick('from', from), pick('to', to)), matrix(r), sankey(r)];
    },
    'card-lifecycle-transitions',
  );
}
