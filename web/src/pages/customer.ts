/**
 * One customer (`GET /api/customers/:id`): at a glance (stages, value tier, churn risk, latest warning and
 * the recommended action of the playbook), spend per month, then every section of the record.
 */
import { apiGet } from '../api.js';
import { h, type Child } from '../dom.js';
import {
  fmtDate,
  fmtMoney,
  fmtMonth,
  fmtNumber,
  fmtPercent,
  hasKey,
  t,
  tValue,
  type Key,
} from '../i18n/i18n.js';
import { card, chart, pageHeader } from '../ui.js';
import { definitionList, fieldLabel, ID_FIELDS, renderValue } from './customers.js';

interface CustomerView {
  customerId: string;
  transactions: {
    monthly: { month: string; count: number; amount: number }[];
    [k: string]: unknown;
  };
  churnScores: { asOf: string; horizonDays: number; probability: number }[];
  lifecycle: { monthEnd: string; state: string; fourStage: string; fiveStage: string } | null;
  alerts: { asOf: string; level: string; recency: number }[];
  value: { asOf: string; revenue365: number } | null;
  valueTier: string | null;
  recommendedActions: { states: string; fourStage: string; fiveStage: string } | null;
  [k: string]: unknown;
}

/** The default playbook in English, by `playbook.<stage>.<tier or *>` (from the server). */
const ENGLISH: Record<string, string> = {};

/**
 * A playbook action in the page's language: an action of the default playbook has a label
 * (`playbook.<stage>.<tier>`, else `playbook.<stage>.*`); an action of a user's own playbook is shown as
 * written.
 */
export function actionText(action: string, stage: string, tier: string): string {
  for (const key of [`playbook.${stage}.${tier}`, `playbook.${stage}.*`])
    if (ENGLISH[key] === action && hasKey(key)) return t(key as Key);
  return action;
}

function glance(v: CustomerView): HTMLElement {
  const item = (label: string, value: Child, testid: string): HTMLElement =>
    h(
      'div',
      { class: 'glance-item', 'data-testid': testid },
      h('div', { class: 'hint' }, label),
      h('div', {}, value),
    );
  const life = v.lifecycle;
  const score = [...v.churnScores].sort((a, b) => a.horizonDays - b.horizonDays)[0];
  const alert = v.alerts[0];
  const tier = v.valueTier ?? 'low';
  return h(
    'div',
    { class: 'glance', 'data-testid': 'customer-glance' },
    item(
      t('customer.stage'),
      life
        ? `${tValue('stage', life.state)} · ${tValue('stage', life.fourStage)} · ${tValue('stage', life.fiveStage)}`
        : t('customer.noStage'),
      'glance-stage',
    ),
    item(
      t('field.tier'),
      v.valueTier
        ? `${tValue('tier', v.valueTier)} (${fmtMoney(v.value?.revenue365 ?? 0)})`
        : t('common.notAvailable'),
      'glance-tier',
    ),
    item(
      t('customer.churnRisk'),
      score
        ? t('customer.churnWithin', { p: fmtPercent(score.probability), days: score.horizonDays })
        : t('customer.noScore'),
      'glance-churn',
    ),
    item(
      t('customer.warning'),
      alert
        ? h(
            'span',
            { class: `badge level-${alert.level}` },
            `${tValue('level', alert.level)} · ${fmtDate(alert.asOf)}`,
          )
        : t('customer.noWarning'),
      'glance-warning',
    ),
    item(
      t('customer.action'),
      v.recommendedActions && life
        ? h(
            'ul',
            { class: 'actions' },
            h(
              'li',
              { 'data-testid': 'action-states' },
              actionText(v.recommendedActions.states, life.state, tier),
            ),
            h(
              'li',
              { 'data-testid': 'action-four-stage' },
              actionText(v.recommendedActions.fourStage, life.fourStage, tier),
            ),
          )
        : t('customer.noStage'),
      'glance-action',
    ),
  );
}

function spendChart(monthly: CustomerView['transactions']['monthly']): HTMLElement | null {
  if (monthly.length === 0) return null;
  return chart(
    {
      grid: { left: 64, right: 16, top: 16, bottom: 32 },
      tooltip: { trigger: 'axis', valueFormatter: (val) => fmtMoney(Number(val)) },
      xAxis: { type: 'category', data: monthly.map((m) => fmtMonth(m.month)) },
      yAxis: { type: 'value', axisLabel: { formatter: (n: number) => fmtNumber(n) } },
      series: [{ type: 'bar', name: t('field.amount'), data: monthly.map((m) => m.amount) }],
    },
    'chart-customer-spend',
    240,
  );
}

export function customerPage(id: string): HTMLElement {
  return h(
    'div',
    { class: 'page', 'data-testid': 'page-customer' },
    pageHeader(
      t('customers.detail', { id }),
      h('a', { href: '#/customers', class: 'back' }, `← ${t('common.back')}`),
    ),
    card(
      null,
      async () => {
        const [view, english] = await Promise.all([
          apiGet<CustomerView>(`/customers/${encodeURIComponent(id)}`),
          playbookEnglish(),
        ]);
        Object.assign(ENGLISH, english);
        const { monthly, ...transactions } = view.transactions;
        const scalars: Record<string, unknown> = {};
        const sections: [string, unknown][] = [];
        for (const [k, v] of Object.entries({ ...view, transactions })) {
          if (['valueTier', 'recommendedActions'].includes(k)) continue; // shown at a glance
          if (typeof v === 'object' && v !== null) sections.push([k, v]);
          else if (!ID_FIELDS.includes(k)) scalars[k] = v; // the id is the page's title
        }
        const spend = spendChart(monthly);
        return [
          h('section', { class: 'sub' }, h('h2', {}, t('customer.glance')), glance(view)),
          spend ? h('section', { class: 'sub' }, h('h2', {}, t('customers.historyChart')), spend) : null,
          Object.keys(scalars).length > 0
            ? h('section', { class: 'sub' }, h('h2', {}, t('customers.profile')), definitionList(scalars, 0))
            : null,
          ...sections.map(([k, v]) =>
            h(
              'section',
              { class: 'sub', 'data-testid': `detail-${k}` },
              h('h2', {}, fieldLabel(k)),
              renderValue(k, v, 0),
            ),
          ),
        ];
      },
      'card-customer',
    ),
  );
}

/** The default playbook in English (`GET /api/lifecycle/rules`), to tell its actions from a user's own. */
let englishPlaybook: Promise<Record<string, string>> | null = null;
function playbookEnglish(): Promise<Record<string, string>> {
  englishPlaybook ??= apiGet<{ playbook: Record<string, Record<string, string>> }>('/lifecycle/rules').then(
    (r) =>
      Object.fromEntries(
        Object.entries(r.playbook).flatMap(([stage, tiers]) =>
          Object.entries(tiers).map(([tier, action]) => [`playbook.${stage}.${tier}`, action]),
        ),
      ),
    () => ({}),
  );
  return englishPlaybook;
}
