/**
 * Churn risk: the stored scores (`GET /api/churn/scores?limit=&offset=`, highest first) with server-side
 * paging, each with its customer, horizon, probability and top reasons; without scores, how to make them.
 * Beside them the value x risk matrix (`GET /api/plans/matrix`, aggregated by the server): customers and
 * value at risk per risk band and value tier, so that the big customers at risk stand out.
 */
import { churnModelCard } from './churn-model.js';
import { apiGet, ApiError } from '../api.js';
import { h } from '../dom.js';
import { fmtDate, fmtMoney, fmtNumber, fmtPercent, t, tValue } from '../i18n/i18n.js';
import { card, pageHeader, pager as pagerOf } from '../ui.js';
import { fieldLabel } from './customers.js';

export const CHURN_PAGE_SIZE = 50;

export interface ChurnReason {
  column: string;
  value: string | number | null;
  contribution: number;
}
export interface ChurnScore {
  customerId: string;
  horizonDays: number;
  probability: number;
  reasons: ChurnReason[] | unknown;
}
interface ScoresResponse {
  asOf: string | null;
  limit: number;
  offset: number;
  scores: ChurnScore[];
}

function churnHash(offset: number): string {
  return offset > 0 ? `#/churn?offset=${offset}` : '#/churn';
}

function reasonsOf(s: ChurnScore): ChurnReason[] {
  return Array.isArray(s.reasons) ? (s.reasons as ChurnReason[]) : [];
}

function reasonsList(s: ChurnScore): HTMLElement {
  const reasons = reasonsOf(s);
  if (reasons.length === 0) return h('span', { class: 'hint' }, t('common.notAvailable'));
  return h(
    'ul',
    { class: 'reasons' },
    reasons.map((r) =>
      h(
        'li',
        { 'data-testid': 'churn-reason', 'data-column': r.column },
        h('span', { class: 'reason-column', title: r.column }, fieldLabel(r.column)),
        ' = ',
        h('span', { class: 'reason-value' }, r.value === null ? t('common.notAvailable') : String(r.value)),
        ' ',
        h(
          'span',
          { class: 'reason-contribution', title: t('churn.contribution') },
          `(${r.contribution >= 0 ? '+' : ''}${fmtNumber(r.contribution, 2)})`,
        ),
      ),
    ),
  );
}

function noScores(): HTMLElement {
  return h(
    'div',
    { class: 'empty', 'data-testid': 'churn-empty' },
    h('p', {}, t('churn.empty')),
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

export const RISK_BANDS = ['high', 'medium', 'low'] as const;
export const VALUE_TIERS = ['high', 'medium', 'low', 'none'] as const;

export interface MatrixCell {
  risk: string;
  valueTier: string;
  customers: number;
  value: number;
  valueAtRisk: number;
}
/** What `GET /api/plans/matrix` answers (`retain plan matrix --json`). */
export interface MatrixResponse {
  asOf: string;
  horizonDays: number;
  customers: number;
  probabilitySource: string;
  valueSource: {
    kind: string;
    description: string;
    customersFromModel: number;
    customersFromRunRate: number;
  };
  riskBands: [number, number];
  valueCuts: [number, number];
  totals: { value: number; valueAtRisk: number; expectedChurners: number };
  matrix: MatrixCell[];
  groupBy: string;
  groups: { group: string; customers: number; value: number; valueAtRisk: number; meanProbability: number }[];
  notes: string[];
}

/** The matrix, or null when there are no stored churn scores yet (the API answers 422 then). */
export async function loadMatrix(horizon = 90): Promise<MatrixResponse | null> {
  try {
    return await apiGet<MatrixResponse>('/plans/matrix', { horizon });
  } catch (err) {
    if (err instanceof ApiError && err.status === 422) return null;
    throw err;
  }
}

/** Risk bands (rows, highest first) x value tiers (columns): customers and value at risk, shaded by the latter. */
export function matrixGrid(m: MatrixResponse): HTMLElement {
  const cell = (risk: string, tier: string) =>
    m.matrix.find((c) => c.risk === risk && c.valueTier === tier) ?? {
      risk,
      valueTier: tier,
      customers: 0,
      value: 0,
      valueAtRisk: 0,
    };
  const top = Math.max(0, ...m.matrix.map((c) => c.valueAtRisk));
  const [low, high] = m.riskBands;
  const bandHint: Record<string, string> = {
    high: `≥ ${fmtPercent(high, 0)}`,
    medium: `${fmtPercent(low, 0)}–${fmtPercent(high, 0)}`,
    low: `< ${fmtPercent(low, 0)}`,
  };
  return h(
    'div',
    { class: 'wide' },
    h(
      'table',
      { class: 'data vr-matrix', 'data-testid': 'value-risk-matrix' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, t('churnMatrix.riskVsValue')),
          VALUE_TIERS.map((tier) => h('th', { class: 'num' }, tValue('churnMatrix.tier', tier))),
        ),
      ),
      h(
        'tbody',
        {},
        RISK_BANDS.map((risk) =>
          h(
            'tr',
            {},
            h(
              'th',
              { scope: 'row' },
              tValue('churnMatrix.risk', risk),
              h('div', { class: 'hint' }, bandHint[risk]),
            ),
            VALUE_TIERS.map((tier) => {
              const c = cell(risk, tier);
              const shade = top > 0 ? c.valueAtRisk / top : 0;
              return h(
                'td',
                {
                  class: 'num vr-cell',
                  'data-testid': 'matrix-cell',
                  'data-risk': risk,
                  'data-tier': tier,
                  style: `background: rgba(213, 94, 0, ${(0.08 + 0.6 * shade).toFixed(3)})`,
                },
                h(
                  'div',
                  { class: 'vr-customers', 'data-testid': 'matrix-customers' },
                  fmtNumber(c.customers),
                ),
                h(
                  'div',
                  { class: 'vr-value', title: t('churnMatrix.valueAtRisk') },
                  h('span', { class: 'hint' }, `${t('churnMatrix.atRisk')} `),
                  h('span', { 'data-testid': 'matrix-value-at-risk' }, fmtMoney(c.valueAtRisk)),
                ),
              );
            }),
          ),
        ),
      ),
    ),
  );
}

function matrixCard(): HTMLElement {
  return card(
    t('churnMatrix.title'),
    async () => {
      const m = await loadMatrix();
      if (!m) return h('p', { class: 'hint', 'data-testid': 'matrix-empty' }, t('churnMatrix.empty'));
      return [
        h(
          'p',
          { class: 'hint' },
          t('churnMatrix.summary', {
            customers: fmtNumber(m.customers),
            date: fmtDate(m.asOf),
            days: m.horizonDays,
            value: fmtMoney(m.totals.value),
            atRisk: fmtMoney(m.totals.valueAtRisk),
          }),
        ),
        matrixGrid(m),
        h(
          'p',
          { class: 'hint', title: m.valueSource.description },
          t('churnMatrix.how', { source: tValue('churnMatrix.source', m.valueSource.kind) }),
        ),
      ];
    },
    'card-churn-matrix',
  );
}

/** The stored scores, a page at a time. */
function scoresCard(offset: number): HTMLElement {
  return card(
    null,
    async () => {
      // one more than a page tells whether there is a next page
      const res = await apiGet<ScoresResponse>('/churn/scores', { limit: CHURN_PAGE_SIZE + 1, offset });
      const more = res.scores.length > CHURN_PAGE_SIZE;
      const rows = res.scores.slice(0, CHURN_PAGE_SIZE);
      if (rows.length === 0 && offset === 0) return noScores();
      const pager = pagerOf({
        offset,
        pageSize: CHURN_PAGE_SIZE,
        more,
        hashAt: churnHash,
        range:
          rows.length === 0
            ? t('common.noData')
            : t('churn.range', { from: offset + 1, to: offset + rows.length }),
        rangeTestId: 'churn-range',
      });
      return [
        res.asOf ? h('p', { class: 'hint' }, t('churn.asOf', { date: fmtDate(res.asOf) })) : null,
        h(
          'div',
          { class: 'wide' },
          h(
            'table',
            { class: 'data', 'data-testid': 'table-churn' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, t('churn.customer')),
                h('th', { class: 'num' }, t('churn.horizon')),
                h('th', { class: 'num' }, t('churn.probability')),
                h('th', {}, t('churn.reasons')),
              ),
            ),
            h(
              'tbody',
              {},
              rows.map((s) =>
                h(
                  'tr',
                  { 'data-id': s.customerId },
                  h(
                    'td',
                    {},
                    h('a', { href: `#/customers/${encodeURIComponent(s.customerId)}` }, s.customerId),
                  ),
                  h('td', { class: 'num' }, t('churn.days', { days: s.horizonDays })),
                  h('td', { class: 'num', 'data-testid': 'churn-probability' }, fmtPercent(s.probability)),
                  h('td', {}, reasonsList(s)),
                ),
              ),
            ),
          ),
        ),
        pager,
      ];
    },
    'card-churn',
  );
}

export function churnPage(query: URLSearchParams): HTMLElement {
  const offset = Math.max(0, Number.parseInt(query.get('offset') ?? '0', 10) || 0);
  let matrix = matrixCard();
  let scores = scoresCard(offset);
  // new scores: redraw the matrix and the list, keep the model card (and its message) as it is
  const refresh = (): void => {
    const m = matrixCard();
    matrix.replaceWith(m);
    matrix = m;
    const next = scoresCard(offset);
    scores.replaceWith(next);
    scores = next;
  };
  return h(
    'div',
    { class: 'page', 'data-testid': 'page-churn' },
    pageHeader(t('nav.churn')),
    matrix,
    churnModelCard(refresh),
    scores,
  );
}
