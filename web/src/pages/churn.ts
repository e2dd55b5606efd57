/**
 * Churn risk: the stored scores (`GET /api/churn/scores?limit=&offset=`, highest first) with server-side
 * paging, each with its customer, horizon, probability and top reasons; without scores, how to make them.
 */
import { apiGet } from '../api.js';
import { h } from '../dom.js';
import { fmtDate, fmtNumber, fmtPercent, t } from '../i18n/i18n.js';
import { card, pageHeader } from '../ui.js';
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

export function churnPage(query: URLSearchParams): HTMLElement {
  const offset = Math.max(0, Number.parseInt(query.get('offset') ?? '0', 10) || 0);
  return h(
    'div',
    { class: 'page', 'data-testid': 'page-churn' },
    pageHeader(t('nav.churn')),
    card(
      null,
      async () => {
        // one more than a page tells whether there is a next page
        const res = await apiGet<ScoresResponse>('/churn/scores', { limit: CHURN_PAGE_SIZE + 1, offset });
        const more = res.scores.length > CHURN_PAGE_SIZE;
        const rows = res.scores.slice(0, CHURN_PAGE_SIZE);
        if (rows.length === 0 && offset === 0) return noScores();
        const pager = h(
          'div',
          { class: 'pager' },
          h(
            'button',
            {
              type: 'button',
              'data-testid': 'page-prev',
              disabled: offset === 0,
              onclick: () => (location.hash = churnHash(Math.max(0, offset - CHURN_PAGE_SIZE))),
            },
            `← ${t('common.previous')}`,
          ),
          h(
            'span',
            { 'data-testid': 'churn-range' },
            rows.length === 0
              ? t('common.noData')
              : t('churn.range', { from: offset + 1, to: offset + rows.length }),
          ),
          h(
            'button',
            {
              type: 'button',
              'data-testid': 'page-next',
              disabled: !more,
              onclick: () => (location.hash = churnHash(offset + CHURN_PAGE_SIZE)),
            },
            `${t('common.next')} →`,
          ),
        );
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
    ),
  );
}
