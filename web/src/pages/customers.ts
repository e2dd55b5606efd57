/**
 * Customers: search with server-side paging (`GET /api/customers?search=&limit=&offset=` → `{ total, rows }`); rows are shown with whatever fields the API gives,
 * known fields first, every header from the dictionary (`field.<name>`). One customer's view is in customer.ts.
 */
import { apiGet } from '../api.js';
import { h, type Child } from '../dom.js';
import { fmtDate, fmtMoney, fmtNumber, fmtPercent, hasKey, t, tValue, type Key } from '../i18n/i18n.js';
import type { CustomersPage } from '../types.js';
import { card, pageHeader, pager as pagerOf } from '../ui.js';

export const PAGE_SIZE = 50;
export const ID_FIELDS = ['customer_id', 'customerId', 'id'];
const ORDER = [
  'customer_id',
  'customerId',
  'signup_date',
  'signupDate',
  'region',
  'channel',
  'plan',
  'segment',
  'stage',
  'revenue',
  'churnProbability',
];
const DATE_RE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/;
/** Fields whose values are translated data values (`stage.active`, `level.red`). */
const VALUE_PREFIX: Record<string, string> = {
  stage: 'stage',
  state: 'stage',
  fourStage: 'stage',
  fiveStage: 'stage',
  level: 'level',
  change: 'change',
};

/**
 * The label of a column or churn feature: its own key when there is one, else the pattern of the feature
 * names (`spend_90d`: "Spend, last 90 days"; `usage_data_gb_trend`), else the name itself.
 */
export function fieldLabel(name: string): string {
  const key = `field.${name}`;
  if (hasKey(key)) return t(key as Key);
  const usage = /^usage_(.+)_(90d|trend)$/.exec(name);
  if (usage)
    return t(usage[2] === 'trend' ? 'feature.usageTrend' : 'feature.usage', {
      metric: usage[1]!.replaceAll('_', ' '),
    });
  const windowed = /^([a-z_]+?)_(\d+)d$/.exec(name);
  const base = windowed ? `feature.${windowed[1]}` : '';
  if (windowed && hasKey(base))
    return t('feature.window', { feature: t(base as Key), days: Number(windowed[2]) });
  return name;
}

export function formatValue(name: string, v: unknown): Child {
  if (v === null || v === undefined || v === '') return t('common.notAvailable');
  if (typeof v === 'number') {
    if (/probability/i.test(name)) return fmtPercent(v);
    return /amount|revenue|fee|cost|clv|value|spend|monetary/i.test(name) ? fmtMoney(v) : fmtNumber(v);
  }
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  if (typeof v === 'string') {
    if (DATE_RE.test(v)) return fmtDate(v);
    const prefix = VALUE_PREFIX[name];
    return prefix ? tValue(prefix, v) : v;
  }
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null))
    return v.map(String).join(', ');
  return JSON.stringify(v);
}

function idOf(row: Record<string, unknown>): string | undefined {
  for (const f of ID_FIELDS) if (typeof row[f] === 'string') return row[f];
  return undefined;
}

function columnsOf(rows: readonly Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const r of rows.slice(0, 20)) for (const k of Object.keys(r)) keys.add(k);
  const rank = (k: string): number => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
  return [...keys].sort((a, b) => rank(a) - rank(b));
}

function customersHash(search: string, offset: number): string {
  const q = new URLSearchParams();
  if (search) q.set('search', search);
  if (offset > 0) q.set('offset', String(offset));
  const qs = q.toString();
  return `#/customers${qs ? `?${qs}` : ''}`;
}

export function customersPage(query: URLSearchParams): HTMLElement {
  const search = query.get('search') ?? '';
  const offset = Math.max(0, Number.parseInt(query.get('offset') ?? '0', 10) || 0);
  let timer: number | undefined;
  const input = h('input', {
    type: 'search',
    value: search,
    placeholder: t('customers.search'),
    'aria-label': t('customers.searchLabel'),
    'data-testid': 'customers-search',
    oninput: (e: Event) => {
      const value = (e.target as HTMLInputElement).value.trim();
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        location.hash = customersHash(value, 0);
      }, 300);
    },
  });
  const page = h(
    'div',
    { class: 'page', 'data-testid': 'page-customers' },
    pageHeader(t('customers.title'), h('label', { class: 'inline' }, t('customers.searchLabel'), input)),
    card(
      null,
      async () => {
        const page = await apiGet<CustomersPage>('/customers', { search, limit: PAGE_SIZE, offset });
        // `{ total, rows }`; the engine's list calls the rows `customers`
        const res = { total: page.total, rows: page.rows ?? page.customers ?? [] };
        const cols = columnsOf(res.rows);
        const last = Math.min(offset + res.rows.length, res.total);
        const pager = pagerOf({
          offset,
          pageSize: PAGE_SIZE,
          more: last < res.total,
          hashAt: (at) => customersHash(search, at),
          range:
            res.total === 0
              ? t('customers.total', { count: 0 })
              : t('customers.range', { from: offset + 1, to: last, total: res.total }),
          rangeTestId: 'customers-range',
        });
        if (res.rows.length === 0) return [h('p', {}, t('common.noData')), pager];
        return [
          h(
            'table',
            { class: 'data', 'data-testid': 'table-customers', 'data-total': res.total },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                cols.map((c) => h('th', {}, fieldLabel(c))),
              ),
            ),
            h(
              'tbody',
              {},
              res.rows.map((r) => {
                const id = idOf(r);
                return h(
                  'tr',
                  { 'data-id': id },
                  cols.map((c) =>
                    h(
                      'td',
                      { class: typeof r[c] === 'number' ? 'num' : undefined },
                      id !== undefined && ID_FIELDS.includes(c)
                        ? h('a', { href: `#/customers/${encodeURIComponent(id)}` }, id)
                        : formatValue(c, r[c]),
                    ),
                  ),
                );
              }),
            ),
          ),
          pager,
        ];
      },
      'card-customers',
    ),
  );
  return page;
}

/** A value of the single-customer view: objects become definition lists, lists of objects tables. */
export function renderValue(name: string, v: unknown, depth: number): Child {
  if (Array.isArray(v) && v.length === 0) return h('p', { class: 'hint' }, t('common.noData'));
  if (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x))
  ) {
    const rows = v as Record<string, unknown>[];
    const cols = columnsOf(rows);
    return h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { class: 'data compact', 'data-testid': `detail-table-${name}` },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            cols.map((c) => h('th', {}, fieldLabel(c))),
          ),
        ),
        h(
          'tbody',
          {},
          rows.slice(0, 200).map((r) =>
            h(
              'tr',
              {},
              cols.map((c) => h('td', {}, renderValue(c, r[c], depth + 1))),
            ),
          ),
        ),
      ),
    );
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && depth < 3)
    return definitionList(v as Record<string, unknown>, depth + 1);
  return formatValue(name, v);
}

export function definitionList(obj: Record<string, unknown>, depth: number): HTMLElement {
  return h(
    'dl',
    { class: 'kv' },
    Object.entries(obj).flatMap(([k, v]) => [
      h('dt', {}, fieldLabel(k)),
      h('dd', { 'data-field': k }, renderValue(k, v, depth)),
    ]),
  );
}
