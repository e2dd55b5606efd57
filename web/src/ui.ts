/** Shared page pieces: cards that load on their own (loading state, error with retry), KPIs, charts. */
import * as echarts from 'echarts';
import { ApiError } from './api.js';
import { h, clear, type Child } from './dom.js';
import { t } from './i18n/i18n.js';

/** Charts of the current page, disposed when the page changes. */
const charts = new Set<echarts.ECharts>();

export function disposeCharts(): void {
  for (const c of charts) c.dispose();
  charts.clear();
}

window.addEventListener('resize', () => {
  for (const c of charts) c.resize();
});

/** Okabe-Ito, as in the server-side charts (src/charts/svg.ts). */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#F0E442',
  '#000000',
];

export function chart(option: echarts.EChartsOption, testid: string, height = 320): HTMLElement {
  const el = h('div', { class: 'chart', 'data-testid': testid, style: `height:${height}px` });
  // ECharts measures its container: initialise once the element is in the document.
  requestAnimationFrame(() => {
    if (!el.isConnected) return;
    const c = echarts.init(el, null, { renderer: 'canvas' });
    c.setOption({
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: 'inherit' },
      ...option,
    });
    charts.add(c);
  });
  return el;
}

/** The text shown for a failed request. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('error.network');
    if (err.status === 401) return t('error.unauthorized');
    const head = err.status === 404 ? t('error.notFound') : t('error.http', { status: String(err.status) });
    return [head, err.message, t('error.code', { code: err.code })].filter(Boolean).join(' ');
  }
  return err instanceof Error ? err.message : String(err);
}

export function errorBox(err: unknown, retry?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'error', role: 'alert', 'data-testid': 'error' },
    h('strong', {}, `${t('common.error')}: `),
    errorText(err),
    retry ? h('button', { type: 'button', onclick: () => retry() }, t('common.retry')) : null,
  );
}

export function loadingBox(): HTMLElement {
  return h('div', { class: 'loading', 'data-testid': 'loading', 'aria-busy': 'true' }, t('common.loading'));
}

/** A card whose body is loaded by `load`; shows loading, then the body or the error with a retry. */
export function card(title: Child, load: () => Promise<Child | Child[]>, testid?: string): HTMLElement {
  const body = h('div', { class: 'card-body' });
  const el = h('section', { class: 'card', 'data-testid': testid }, title ? h('h2', {}, title) : null, body);
  const run = (): void => {
    clear(body);
    body.append(loadingBox());
    el.setAttribute('aria-busy', 'true');
    load().then(
      (content) => {
        clear(body);
        for (const c of [content].flat())
          if (c !== null && c !== undefined && c !== false)
            body.append(typeof c === 'number' ? String(c) : c);
        el.removeAttribute('aria-busy');
        el.dataset.state = 'ready';
      },
      (err: unknown) => {
        clear(body);
        body.append(errorBox(err, run));
        el.removeAttribute('aria-busy');
        el.dataset.state = 'error';
      },
    );
  };
  run();
  return el;
}

export function kpi(label: string, value: string, testid: string, hint?: string): HTMLElement {
  return h(
    'div',
    { class: 'kpi', 'data-testid': testid },
    h('div', { class: 'kpi-label' }, label),
    h('div', { class: 'kpi-value', 'data-testid': `${testid}-value` }, value),
    hint ? h('div', { class: 'kpi-hint' }, hint) : null,
  );
}

export function pageHeader(title: string, ...extra: Child[]): HTMLElement {
  return h('header', { class: 'page-header' }, h('h1', {}, title), ...extra);
}

/** Shares one request between the cards of a page (e.g. the overview's KPIs and chart). */
export function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () =>
    (p ??= f().catch((e: unknown) => {
      p = undefined;
      throw e;
    }));
}

export interface PagerOptions {
  readonly offset: number;
  readonly pageSize: number;
  /** Whether a later page exists. */
  readonly more: boolean;
  /** The hash of the page starting at an offset. */
  readonly hashAt: (offset: number) => string;
  /** What the middle says ("1–50 of 2,000"), with its test id. */
  readonly range: string;
  readonly rangeTestId: string;
  /** Test ids of the buttons (default page-prev / page-next). */
  readonly prevTestId?: string;
  readonly nextTestId?: string;
}

/** Previous / range / next for a list paged on the server; the page lives in the hash. */
export function pager(o: PagerOptions): HTMLElement {
  const button = (testid: string, label: string, disabled: boolean, offset: number): HTMLElement =>
    h(
      'button',
      { type: 'button', 'data-testid': testid, disabled, onclick: () => (location.hash = o.hashAt(offset)) },
      label,
    );
  return h(
    'div',
    { class: 'pager' },
    button(
      o.prevTestId ?? 'page-prev',
      `← ${t('common.previous')}`,
      o.offset === 0,
      Math.max(0, o.offset - o.pageSize),
    ),
    h('span', { 'data-testid': o.rangeTestId }, o.range),
    button(o.nextTestId ?? 'page-next', `${t('common.next')} →`, !o.more, o.offset + o.pageSize),
  );
}
