/**
 * Retention: the value at risk (`GET /api/plans/matrix`), a retention plan and a win-back plan made under a
 * budget (`POST /api/plans/retention|winback`, jobs polled with their progress), the stored plans
 * (`GET /api/plans`, one plan's contacted customers paged by the server at `#/retention/plans/<id>`),
 * campaigns made from a plan with a control group (`POST /api/campaigns`), their outcomes
 * (`POST /api/campaigns/:id/outcomes`) and the measured uplift per action with its interval
 * (`GET /api/campaigns/:id/evaluation`). Forms need the analyst role; a viewer sees the server's 403.
 */
import type { EChartsOption } from 'echarts';
import { apiGet, apiPost, apiPostForm, waitForJob, type Job } from '../api.js';
import { clear, h, table, type Child } from '../dom.js';
import { fmtDate, fmtMoney, fmtNumber, fmtPercent, t, tValue } from '../i18n/i18n.js';
import { card, chart, errorText, kpi, pageHeader, pager as pagerOf } from '../ui.js';
import { loadMatrix, matrixGrid } from './churn.js';

export const PLAN_PAGE_SIZE = 50;

interface ByAction {
  action: string;
  customers: number;
  cost: number;
  expectedSavedValue: number;
  expectedNet: number;
}
/** The job result of `POST /api/plans/retention` (`retain plan retention --json`). */
export interface RetentionPlanResult {
  kind: 'retention';
  planId: string | null;
  asOf: string;
  horizonDays: number;
  budget: number;
  customers: number;
  contacted: number;
  spent: number;
  expectedSavedValue: number;
  expectedSavedCustomers: number;
  expectedNet: number;
  valueAtStake: number;
  byAction: ByAction[];
  letGo: { customers: number; valueAtStake: number };
  notFunded: { customers: number };
}
interface Rate {
  mean: number;
  lower: number;
  upper: number;
  attempts: number;
  successes: number;
}
/** The job result of `POST /api/plans/winback` (`retain plan winback --json`). */
export interface WinbackPlanResult {
  kind: 'winback';
  planId: string | null;
  asOf: string;
  budget: number;
  leavers: number;
  returned: number;
  excluded: number;
  contacted: number;
  spent: number;
  expectedReturns: number;
  expectedValue: number;
  expectedNet: number;
  overallRate: Rate;
  letGo: { customers: number };
  notFunded: number;
}
/** One of `GET /api/plans`. */
export interface StoredPlanRow {
  planId: string;
  kind: string;
  createdAt: string;
  asOf: string;
  budget: number;
  contacted: number;
  cost: number;
  expectedSaved: number;
  byAction: { action: string; customers: number; cost: number; expectedSaved: number }[];
}
interface PlanItem {
  customerId: string;
  action: string;
  cost: number;
  probability: number;
  value: number;
  expectedSaved: number;
}
interface PlanDetail {
  plan: StoredPlanRow;
  customers: { total: number; limit: number; offset: number; items: PlanItem[] };
}
/** One of `GET /api/campaigns`. */
export interface CampaignRow {
  campaignId: string;
  name: string | null;
  kind: string | null;
  startDate: string | null;
  planId: string | null;
  treatment: number;
  control: number;
  outcomes: number;
  source: string;
}
interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}
interface GroupStats {
  members: number;
  known: number;
  successes: number;
  rate: number | null;
  meanValue: number | null;
  cost: number;
}
export interface Uplift {
  action: string;
  treatment: GroupStats;
  control: GroupStats;
  uplift: Interval | null;
  valueUplift: Interval | null;
  netValue: number | null;
  saveRate: number | null;
  significant: boolean;
}
/** `GET /api/campaigns/:id/evaluation` (`retain campaign evaluate --json`). */
export interface Evaluation {
  campaignId: string;
  kind: string | null;
  outcomes: string;
  windowDays: number | null;
  startDate: string | null;
  level: number;
  overall: Uplift;
  byAction: Uplift[];
  pending: number;
}

/** ROI of a plan: expected net per unit spent (null when nothing is spent). */
const roi = (net: number, spent: number): number | null => (spent > 0 ? net / spent : null);

/** The commands that make churn scores, shown where a page needs them. */
function noScores(): HTMLElement {
  return h(
    'div',
    { class: 'empty', 'data-testid': 'retention-no-scores' },
    h('p', {}, t('retention.noScores')),
    h(
      'pre',
      { class: 'commands' },
      h(
        'code',
        {},
        'retain churn train --horizon 90 --model logistic --save churn-model.json\n' +
          'retain churn score --model churn-model.json',
      ),
    ),
  );
}

function valueAtRiskCard(): HTMLElement {
  return card(
    t('retention.atRisk.title'),
    async () => {
      const m = await loadMatrix();
      if (!m) return noScores();
      return [
        h(
          'div',
          { class: 'kpis' },
          kpi(t('retention.atRisk.customers'), fmtNumber(m.customers), 'var-customers'),
          kpi(t('retention.atRisk.value'), fmtMoney(m.totals.value), 'var-value'),
          kpi(t('retention.atRisk.valueAtRisk'), fmtMoney(m.totals.valueAtRisk), 'var-at-risk'),
          kpi(t('retention.atRisk.churners'), fmtNumber(m.totals.expectedChurners, 1), 'var-churners'),
        ),
        h(
          'p',
          { class: 'hint', title: m.valueSource.description },
          t('retention.atRisk.hint', {
            date: fmtDate(m.asOf),
            days: m.horizonDays,
            source: tValue('churnMatrix.source', m.valueSource.kind),
          }),
        ),
        matrixGrid(m),
      ];
    },
    'card-value-at-risk',
  );
}

function numberField(name: string, label: string, value: number, testid: string, min = 0): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: `retention-${name}` }, label),
    h('input', {
      id: `retention-${name}`,
      name,
      type: 'number',
      min,
      step: 'any',
      required: true,
      value,
      'data-testid': testid,
    }),
  );
}

function progressView(job: Job, testid: string): HTMLElement[] {
  const p = job.progress;
  const bar = h('progress', { 'data-testid': `${testid}-progress`, 'aria-label': t('retention.running') });
  if (p && p.total) {
    bar.max = p.total;
    bar.value = Math.min(p.done, p.total);
  }
  return [bar, h('span', { class: 'hint' }, tValue('job.status', job.status))];
}

/**
 * A form that starts a plan job and shows its progress, then `render(result)`; a failed job or request
 * (e.g. 403 for a viewer, 422 without churn scores) shows the server's message.
 */
function jobForm(options: {
  testid: string;
  path: string;
  fields: HTMLElement[];
  submitLabel: string;
  body: (form: HTMLFormElement) => unknown;
  render: (result: unknown) => Child | Child[];
  done: () => void;
}): HTMLElement {
  const { testid } = options;
  const status = h('div', { class: 'plan-status', 'aria-live': 'polite', 'data-testid': `${testid}-status` });
  const submit = h('button', { type: 'submit', 'data-testid': `${testid}-submit` }, options.submitLabel);
  const fail = (message: string) => {
    clear(status);
    status.append(
      h(
        'div',
        { class: 'error', role: 'alert', 'data-testid': `${testid}-error` },
        h('strong', {}, `${t('retention.failed')}: `),
        message,
      ),
    );
  };
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'plan-form',
      'data-testid': `${testid}-form`,
      onsubmit: (e: Event) => {
        e.preventDefault();
        submit.disabled = true;
        clear(status);
        status.append(h('span', { class: 'hint' }, t('retention.starting')));
        apiPost<Job>(options.path, options.body(form))
          .then((job) =>
            waitForJob(
              job.id,
              (j) => {
                clear(status);
                status.append(...progressView(j, testid));
              },
              () => status.isConnected,
            ),
          )
          .then((job) => {
            if (!job) return;
            if (job.status !== 'succeeded')
              return fail(job.error?.message || tValue('job.status', job.status));
            clear(status);
            const shown = options.render(job.result);
            for (const c of [shown].flat())
              if (c !== null && c !== undefined && c !== false)
                status.append(typeof c === 'number' ? String(c) : c);
            options.done();
          })
          .catch((err: unknown) => fail(errorText(err)))
          .finally(() => (submit.disabled = false));
      },
    },
    h('div', { class: 'plan-fields' }, options.fields, submit),
  );
  return h('div', {}, form, status);
}

const value = (form: HTMLFormElement, name: string): number =>
  Number((form.elements.namedItem(name) as HTMLInputElement).value);

function retentionResult(r: RetentionPlanResult): HTMLElement {
  const ratio = roi(r.expectedNet, r.spent);
  return h(
    'div',
    { class: 'plan-result', 'data-testid': 'retention-result', 'data-plan': r.planId ?? '' },
    h(
      'p',
      { class: 'success', role: 'status' },
      r.planId ? t('retention.plan.stored', { id: r.planId }) : t('retention.plan.notStored'),
    ),
    h(
      'div',
      { class: 'kpis' },
      kpi(
        t('retention.plan.contacted'),
        fmtNumber(r.contacted),
        'retention-contacted',
        t('retention.plan.ofCustomers', { customers: fmtNumber(r.customers) }),
      ),
      kpi(
        t('retention.plan.cost'),
        fmtMoney(r.spent),
        'retention-cost',
        t('retention.plan.ofBudget', { budget: fmtMoney(r.budget) }),
      ),
      kpi(t('retention.plan.saved'), fmtMoney(r.expectedSavedValue), 'retention-saved'),
      kpi(t('retention.plan.net'), fmtMoney(r.expectedNet), 'retention-net'),
      kpi(t('retention.plan.roi'), fmtPercent(ratio), 'retention-roi'),
      kpi(
        t('retention.plan.letGo'),
        fmtNumber(r.letGo.customers),
        'retention-let-go',
        t('retention.plan.letGoStake', { value: fmtMoney(r.letGo.valueAtStake) }),
      ),
    ),
    r.byAction.length === 0
      ? h('p', { class: 'hint' }, t('retention.plan.nobody'))
      : table(
          [
            {
              label: t('retention.action'),
              value: (a: ByAction) => tValue('retention.actionName', a.action),
            },
            { label: t('retention.customers'), value: (a) => fmtNumber(a.customers), numeric: true },
            { label: t('retention.plan.cost'), value: (a) => fmtMoney(a.cost), numeric: true },
            { label: t('retention.plan.saved'), value: (a) => fmtMoney(a.expectedSavedValue), numeric: true },
            { label: t('retention.plan.net'), value: (a) => fmtMoney(a.expectedNet), numeric: true },
          ],
          r.byAction,
          'retention-by-action',
        ),
    r.notFunded.customers > 0
      ? h(
          'p',
          { class: 'hint' },
          t('retention.plan.notFunded', { customers: fmtNumber(r.notFunded.customers) }),
        )
      : null,
  );
}

function winbackResult(r: WinbackPlanResult): HTMLElement {
  const ratio = roi(r.expectedNet, r.spent);
  return h(
    'div',
    { class: 'plan-result', 'data-testid': 'winback-result', 'data-plan': r.planId ?? '' },
    h(
      'p',
      { class: 'success', role: 'status' },
      r.planId ? t('retention.plan.stored', { id: r.planId }) : t('retention.plan.notStored'),
    ),
    h(
      'div',
      { class: 'kpis' },
      kpi(
        t('retention.plan.contacted'),
        fmtNumber(r.contacted),
        'winback-contacted',
        t('retention.winback.ofLeavers', { leavers: fmtNumber(r.leavers) }),
      ),
      kpi(
        t('retention.plan.cost'),
        fmtMoney(r.spent),
        'winback-cost',
        t('retention.plan.ofBudget', { budget: fmtMoney(r.budget) }),
      ),
      kpi(t('retention.winback.returns'), fmtNumber(r.expectedReturns, 1), 'winback-returns'),
      kpi(t('retention.winback.value'), fmtMoney(r.expectedValue), 'winback-value'),
      kpi(t('retention.plan.net'), fmtMoney(r.expectedNet), 'winback-net'),
      kpi(t('retention.plan.roi'), fmtPercent(ratio), 'winback-roi'),
      kpi(t('retention.plan.letGo'), fmtNumber(r.letGo.customers), 'winback-let-go'),
    ),
    h(
      'p',
      { class: 'hint', 'data-testid': 'winback-rate' },
      t('retention.winback.rate', {
        rate: fmtPercent(r.overallRate.mean),
        lower: fmtPercent(r.overallRate.lower),
        upper: fmtPercent(r.overallRate.upper),
        successes: fmtNumber(r.overallRate.successes),
        attempts: fmtNumber(r.overallRate.attempts),
      }),
    ),
    h(
      'p',
      { class: 'hint' },
      t('retention.winback.excluded', {
        returned: fmtNumber(r.returned),
        excluded: fmtNumber(r.excluded),
        notFunded: fmtNumber(r.notFunded),
      }),
    ),
  );
}

function plansTable(plans: StoredPlanRow[]): HTMLElement {
  return h(
    'div',
    { class: 'scroll' },
    table(
      [
        {
          label: t('retention.plans.id'),
          value: (p: StoredPlanRow) =>
            h('a', { href: `#/retention/plans/${encodeURIComponent(p.planId)}` }, p.planId),
        },
        { label: t('retention.plans.kind'), value: (p) => tValue('retention.kind', p.kind) },
        { label: t('retention.plans.created'), value: (p) => fmtDate(p.createdAt) },
        { label: t('retention.plans.asOf'), value: (p) => fmtDate(p.asOf) },
        { label: t('retention.plans.budget'), value: (p) => fmtMoney(p.budget), numeric: true },
        {
          label: t('retention.plan.contacted'),
          value: (p) => h('span', { 'data-testid': 'plan-contacted' }, fmtNumber(p.contacted)),
          numeric: true,
        },
        { label: t('retention.plan.cost'), value: (p) => fmtMoney(p.cost), numeric: true },
        {
          label: t('retention.plans.expected'),
          value: (p) => h('span', { 'data-testid': 'plan-expected' }, fmtMoney(p.expectedSaved)),
          numeric: true,
        },
      ],
      plans,
      'table-plans',
    ),
  );
}

/** Make a campaign from a stored plan: the plan, the control share and the seed of the draw. */
function campaignForm(plans: StoredPlanRow[], done: (id: string) => void): HTMLElement {
  const status = h('div', { 'aria-live': 'polite', 'data-testid': 'campaign-create-status' });
  const plan = h(
    'select',
    { id: 'campaign-plan', name: 'plan', 'data-testid': 'campaign-plan' },
    plans.map((p) => h('option', { value: p.planId }, `${p.planId} · ${tValue('retention.kind', p.kind)}`)),
  );
  const submit = h(
    'button',
    { type: 'submit', 'data-testid': 'campaign-create-submit' },
    t('retention.campaign.create'),
  );
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'plan-form',
      'data-testid': 'campaign-create-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        submit.disabled = true;
        clear(status);
        apiPost<{ campaignId: string; treatment: number; control: number }>('/campaigns', {
          plan: plan.value,
          holdout: value(form, 'holdout'),
          seed: Math.round(value(form, 'seed')),
        })
          .then((c) => {
            clear(status);
            status.append(
              h(
                'p',
                { class: 'success', role: 'status', 'data-testid': 'campaign-created' },
                t('retention.campaign.created', {
                  id: c.campaignId,
                  treatment: fmtNumber(c.treatment),
                  control: fmtNumber(c.control),
                }),
              ),
            );
            done(c.campaignId);
          })
          .catch((err: unknown) => {
            clear(status);
            status.append(
              h(
                'div',
                { class: 'error', role: 'alert', 'data-testid': 'campaign-create-error' },
                errorText(err),
              ),
            );
          })
          .finally(() => (submit.disabled = false));
      },
    },
    h(
      'div',
      { class: 'plan-fields' },
      h('div', { class: 'field' }, h('label', { for: 'campaign-plan' }, t('retention.campaign.plan')), plan),
      numberField('holdout', t('retention.campaign.holdout'), 0.2, 'campaign-holdout'),
      numberField('seed', t('retention.campaign.seed'), 42, 'campaign-seed'),
      submit,
    ),
  );
  return h('div', {}, h('h3', {}, t('retention.campaign.createTitle')), form, status);
}

function storedPlansCard(onCampaign: (id: string) => void): HTMLElement {
  return card(
    t('retention.plans.title'),
    async () => {
      const { plans } = await apiGet<{ plans: StoredPlanRow[] }>('/plans');
      if (plans.length === 0)
        return h('p', { class: 'hint', 'data-testid': 'plans-empty' }, t('retention.plans.empty'));
      return [
        plansTable(plans),
        campaignForm(
          plans.filter((p) => p.contacted > 0),
          onCampaign,
        ),
      ];
    },
    'card-plans',
  );
}

const rateCell = (g: GroupStats) => fmtPercent(g.rate);

/** The uplift of each action with its interval, as points with error bars (percentage points). */
function upliftChart(rows: Uplift[]): HTMLElement | null {
  const shown = rows.filter((r) => r.uplift !== null);
  if (shown.length === 0) return null;
  const names = shown.map((r) =>
    r.action === '(all)' ? t('retention.uplift.overall') : tValue('retention.actionName', r.action),
  );
  const option: EChartsOption = {
    grid: { left: 60, right: 20, top: 20, bottom: 40 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'category', data: names },
    yAxis: {
      type: 'value',
      name: t('retention.uplift.axis'),
      axisLabel: { formatter: (v: number) => fmtPercent(v, 0) },
    },
    series: [
      {
        type: 'custom',
        name: t('retention.uplift.interval'),
        renderItem: (_params, api) => {
          const x = api.value(0);
          const low = api.coord([x, api.value(1)]);
          const high = api.coord([x, api.value(2)]);
          const style = { stroke: '#0072B2', lineWidth: 2 };
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: low[0]!, y1: low[1]!, x2: high[0]!, y2: high[1]! }, style },
              { type: 'line', shape: { x1: low[0]! - 8, y1: low[1]!, x2: low[0]! + 8, y2: low[1]! }, style },
              {
                type: 'line',
                shape: { x1: high[0]! - 8, y1: high[1]!, x2: high[0]! + 8, y2: high[1]! },
                style,
              },
            ],
          };
        },
        // both ends count for the axis range, so that no interval is cut off
        encode: { x: 0, y: [1, 2] },
        data: shown.map((r, i) => [i, r.uplift!.lower, r.uplift!.upper]),
        z: 1,
      },
      {
        type: 'scatter',
        name: t('retention.uplift.estimate'),
        data: shown.map((r, i) => [i, r.uplift!.estimate]),
        symbolSize: 10,
        z: 2,
      },
    ],
  };
  return chart(option, 'chart-uplift', 260);
}

function upliftTable(rows: Uplift[]): HTMLElement {
  const pct = (v: number | null | undefined) => fmtPercent(v ?? null);
  return h(
    'div',
    { class: 'wide' },
    h(
      'table',
      { class: 'data', 'data-testid': 'table-uplift' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            [t('retention.action'), false],
            [t('retention.uplift.treatment'), true],
            [t('retention.uplift.control'), true],
            [t('retention.uplift.treatmentRate'), true],
            [t('retention.uplift.controlRate'), true],
            [t('retention.uplift.uplift'), true],
            [t('retention.uplift.low'), true],
            [t('retention.uplift.high'), true],
            [t('retention.uplift.valueUplift'), true],
            [t('retention.uplift.netValue'), true],
            [t('retention.uplift.saveRate'), true],
          ].map(([label, numeric]) => h('th', { class: numeric ? 'num' : undefined }, label as string)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((u) => {
          const cell = (testid: string, text: string) =>
            h('td', { class: 'num', 'data-testid': testid }, text);
          return h(
            'tr',
            {
              'data-testid': 'uplift-row',
              'data-action': u.action,
              class: u.significant ? 'significant' : undefined,
            },
            h(
              'td',
              {},
              u.action === '(all)' ? t('retention.uplift.overall') : tValue('retention.actionName', u.action),
            ),
            cell('uplift-treatment', `${fmtNumber(u.treatment.known)} / ${fmtNumber(u.treatment.members)}`),
            cell('uplift-control', `${fmtNumber(u.control.known)} / ${fmtNumber(u.control.members)}`),
            cell('uplift-treatment-rate', rateCell(u.treatment)),
            cell('uplift-control-rate', rateCell(u.control)),
            cell('uplift-estimate', pct(u.uplift?.estimate)),
            cell('uplift-low', pct(u.uplift?.lower)),
            cell('uplift-high', pct(u.uplift?.upper)),
            cell(
              'uplift-value',
              u.valueUplift
                ? `${fmtMoney(u.valueUplift.estimate)} [${fmtMoney(u.valueUplift.lower)}, ${fmtMoney(u.valueUplift.upper)}]`
                : t('common.notAvailable'),
            ),
            cell('uplift-net', fmtMoney(u.netValue)),
            cell('uplift-save-rate', pct(u.saveRate)),
          );
        }),
      ),
    ),
  );
}

/** Upload a campaign's outcomes (CSV: customer_id, outcome, value, date); all or nothing. */
function outcomesForm(id: string, done: () => void): HTMLElement {
  const status = h('div', { 'aria-live': 'polite', 'data-testid': 'outcomes-status' });
  const file = h('input', {
    id: 'outcomes-file',
    name: 'file',
    type: 'file',
    required: true,
    accept: '.csv,.tsv,.txt',
    'data-testid': 'outcomes-file',
  });
  const submit = h(
    'button',
    { type: 'submit', 'data-testid': 'outcomes-submit' },
    t('retention.outcomes.submit'),
  );
  return h(
    'div',
    {},
    h('h3', {}, t('retention.outcomes.title')),
    h('p', { class: 'hint' }, t('retention.outcomes.hint')),
    h(
      'form',
      {
        class: 'plan-form',
        'data-testid': 'outcomes-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const chosen = file.files?.[0];
          if (!chosen) return;
          const body = new FormData();
          body.append('file', chosen, chosen.name);
          submit.disabled = true;
          clear(status);
          apiPostForm<{ rows: number; inserted: number; updated: number; unchanged: number }>(
            `/campaigns/${encodeURIComponent(id)}/outcomes`,
            body,
          )
            .then((r) => {
              clear(status);
              status.append(
                h(
                  'p',
                  { class: 'success', role: 'status', 'data-testid': 'outcomes-recorded' },
                  t('retention.outcomes.recorded', {
                    rows: fmtNumber(r.rows),
                    inserted: fmtNumber(r.inserted),
                    updated: fmtNumber(r.updated),
                    unchanged: fmtNumber(r.unchanged),
                  }),
                ),
              );
              done();
            })
            .catch((err: unknown) => {
              clear(status);
              status.append(
                h('div', { class: 'error', role: 'alert', 'data-testid': 'outcomes-error' }, errorText(err)),
              );
            })
            .finally(() => (submit.disabled = false));
        },
      },
      h('div', { class: 'plan-fields' }, h('div', { class: 'field' }, file), submit),
    ),
    status,
  );
}

function evaluationCard(c: CampaignRow): HTMLElement {
  let el: HTMLElement;
  const reload = (): void => {
    const next = evaluationCard(c);
    el.replaceWith(next);
    el = next;
  };
  el = card(
    t('retention.uplift.title', { id: c.campaignId }),
    async () => {
      const e = await apiGet<Evaluation>(`/campaigns/${encodeURIComponent(c.campaignId)}/evaluation`);
      const rows = [e.overall, ...e.byAction];
      return [
        h(
          'p',
          { class: 'hint', 'data-testid': 'uplift-source' },
          e.outcomes === 'data'
            ? t('retention.uplift.fromData', { days: e.windowDays ?? 90, date: fmtDate(e.startDate) })
            : t('retention.uplift.recorded'),
          ' ',
          t('retention.uplift.level', { level: fmtPercent(e.level, 0) }),
        ),
        upliftChart(rows),
        upliftTable(rows),
        e.pending > 0
          ? h('p', { class: 'hint' }, t('retention.uplift.pending', { count: fmtNumber(e.pending) }))
          : null,
        e.overall.control.members === 0 ? h('p', { class: 'hint' }, t('retention.uplift.noControl')) : null,
        c.source === 'members' ? outcomesForm(c.campaignId, reload) : null,
      ];
    },
    'card-uplift',
  );
  return el;
}

function campaignsCard(selected: string | null): HTMLElement {
  const holder = h('div', { 'data-testid': 'campaign-detail' });
  const el = card(
    t('retention.campaigns.title'),
    async () => {
      const { campaigns } = await apiGet<{ campaigns: CampaignRow[] }>('/campaigns');
      if (campaigns.length === 0)
        return h('p', { class: 'hint', 'data-testid': 'campaigns-empty' }, t('retention.campaigns.empty'));
      const chosen = campaigns.find((c) => c.campaignId === selected) ?? campaigns[0]!;
      clear(holder);
      holder.append(evaluationCard(chosen));
      return h(
        'div',
        { class: 'scroll' },
        table(
          [
            {
              label: t('retention.campaigns.id'),
              value: (c: CampaignRow) =>
                h(
                  'a',
                  {
                    href: `#/retention?campaign=${encodeURIComponent(c.campaignId)}`,
                    'data-testid': 'campaign-link',
                    class: c === chosen ? 'active' : undefined,
                  },
                  c.campaignId,
                ),
            },
            { label: t('retention.campaigns.name'), value: (c) => c.name ?? t('common.notAvailable') },
            {
              label: t('retention.plans.kind'),
              value: (c) => (c.kind ? tValue('retention.kind', c.kind) : t('common.notAvailable')),
            },
            { label: t('retention.campaigns.start'), value: (c) => fmtDate(c.startDate) },
            { label: t('retention.campaigns.plan'), value: (c) => c.planId ?? t('common.notAvailable') },
            {
              label: t('retention.uplift.treatment'),
              value: (c) => h('span', { 'data-testid': 'campaign-treatment' }, fmtNumber(c.treatment)),
              numeric: true,
            },
            {
              label: t('retention.uplift.control'),
              value: (c) => h('span', { 'data-testid': 'campaign-control' }, fmtNumber(c.control)),
              numeric: true,
            },
            { label: t('retention.campaigns.outcomes'), value: (c) => fmtNumber(c.outcomes), numeric: true },
            { label: t('retention.campaigns.source'), value: (c) => tValue('retention.source', c.source) },
          ],
          campaigns,
          'table-campaigns',
        ),
      );
    },
    'card-campaigns',
  );
  return h('div', {}, el, holder);
}

function planForms(refresh: () => void): HTMLElement {
  const retention = jobForm({
    testid: 'retention-plan',
    path: '/plans/retention',
    fields: [
      numberField('budget', t('retention.form.budget'), 5000, 'retention-budget'),
      numberField('horizon', t('retention.form.horizon'), 90, 'retention-horizon', 1),
    ],
    submitLabel: t('retention.form.submit'),
    body: (form) => ({ budget: value(form, 'budget'), horizon: Math.round(value(form, 'horizon')) }),
    render: (r) => retentionResult(r as RetentionPlanResult),
    done: refresh,
  });
  const winback = jobForm({
    testid: 'winback-plan',
    path: '/plans/winback',
    fields: [
      numberField('budget', t('retention.form.budget'), 2000, 'winback-budget'),
      numberField('cost', t('retention.form.attemptCost'), 20, 'winback-cost-input'),
    ],
    submitLabel: t('retention.form.winbackSubmit'),
    body: (form) => ({ budget: value(form, 'budget'), cost: value(form, 'cost') }),
    render: (r) => winbackResult(r as WinbackPlanResult),
    done: refresh,
  });
  return h(
    'div',
    { class: 'grid2' },
    h(
      'section',
      { class: 'card', 'data-testid': 'card-retention-plan' },
      h('h2', {}, t('retention.form.title')),
      h('p', { class: 'hint' }, t('retention.form.hint')),
      retention,
    ),
    h(
      'section',
      { class: 'card', 'data-testid': 'card-winback-plan' },
      h('h2', {}, t('retention.form.winbackTitle')),
      h('p', { class: 'hint' }, t('retention.form.winbackHint')),
      winback,
    ),
  );
}

/** One stored plan: its summary per action and its contacted customers, a page at a time. */
function planPage(id: string, query: URLSearchParams): HTMLElement {
  const offset = Math.max(0, Number.parseInt(query.get('offset') ?? '0', 10) || 0);
  const hash = (o: number) => `#/retention/plans/${encodeURIComponent(id)}${o > 0 ? `?offset=${o}` : ''}`;
  return h(
    'div',
    { class: 'page', 'data-testid': 'page-retention-plan' },
    pageHeader(
      t('retention.planPage.title', { id }),
      h('a', { href: '#/retention' }, `← ${t('common.back')}`),
    ),
    card(
      null,
      async () => {
        const d = await apiGet<PlanDetail>(`/plans/${encodeURIComponent(id)}`, {
          limit: PLAN_PAGE_SIZE,
          offset,
        });
        const c = d.customers;
        return [
          plansTable([d.plan]),
          h('h3', {}, t('retention.planPage.customers', { total: fmtNumber(c.total) })),
          h(
            'div',
            { class: 'scroll' },
            table(
              [
                {
                  label: t('retention.planPage.customer'),
                  value: (i: PlanItem) =>
                    h('a', { href: `#/customers/${encodeURIComponent(i.customerId)}` }, i.customerId),
                },
                { label: t('retention.action'), value: (i) => tValue('retention.actionName', i.action) },
                {
                  label:
                    d.plan.kind === 'winback' ? t('retention.planPage.rate') : t('retention.planPage.risk'),
                  value: (i) => fmtPercent(i.probability),
                  numeric: true,
                },
                { label: t('retention.planPage.value'), value: (i) => fmtMoney(i.value), numeric: true },
                { label: t('retention.plan.cost'), value: (i) => fmtMoney(i.cost), numeric: true },
                {
                  label: t('retention.plans.expected'),
                  value: (i) => fmtMoney(i.expectedSaved),
                  numeric: true,
                },
              ],
              c.items,
              'table-plan-customers',
            ),
          ),
          pagerOf({
            offset,
            pageSize: PLAN_PAGE_SIZE,
            more: offset + c.items.length < c.total,
            hashAt: hash,
            range:
              c.items.length === 0
                ? t('common.noData')
                : t('retention.planPage.range', {
                    from: fmtNumber(offset + 1),
                    to: fmtNumber(offset + c.items.length),
                    total: fmtNumber(c.total),
                  }),
            rangeTestId: 'plan-range',
          }),
        ];
      },
      'card-plan-detail',
    ),
  );
}

export function retentionPage(rest: string[], query: URLSearchParams): HTMLElement {
  if (rest[0] === 'plans' && rest[1]) return planPage(rest[1], query);
  let plans = storedPlansCard((id) => showCampaign(id));
  let campaigns = campaignsCard(query.get('campaign'));
  const showCampaign = (id: string | null): void => {
    const next = campaignsCard(id);
    campaigns.replaceWith(next);
    campaigns = next;
  };
  const refreshPlans = (): void => {
    const next = storedPlansCard((id) => showCampaign(id));
    plans.replaceWith(next);
    plans = next;
  };
  return h(
    'div',
    { class: 'page', 'data-testid': 'page-retention' },
    pageHeader(t('nav.retention')),
    valueAtRiskCard(),
    planForms(refreshPlans),
    plans,
    campaigns,
  );
}
