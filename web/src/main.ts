/**
 * The dashboard shell: login, layout with navigation, language switch and hash routing
 * (`#/overview`, `#/customers/C0000042`, `#/lifecycle/four-stage`).
 */
import { ApiError, apiGet, getToken, setToken, setUnauthorizedHandler } from './api.js';
import { clear, h } from './dom.js';
import { currentLang, initialLang, loadLang, t, type Key, type Lang } from './i18n/i18n.js';
import { alertsPage } from './pages/alerts.js';
import { churnPage } from './pages/churn.js';
import { customersPage } from './pages/customers.js';
import { customerPage } from './pages/customer.js';
import { dataPage } from './pages/data.js';
import { lifecyclePage } from './pages/lifecycle.js';
import { overviewPage } from './pages/overview.js';
import { segmentsPage } from './pages/segments.js';
import { clvPage } from './pages/clv.js';
import { survivalPage } from './pages/survival.js';
import { reportsPage } from './pages/reports.js';
import { retentionPage } from './pages/retention.js';
import { disposeCharts, errorText } from './ui.js';

interface Route {
  readonly path: string;
  readonly nav: Key;
  /** `rest` is what follows the page in the hash (`C0000042` in `#/customers/C0000042`), decoded. */
  readonly render: (rest: string[], query: URLSearchParams) => HTMLElement;
}

export const ROUTES: readonly Route[] = [
  { path: 'overview', nav: 'nav.overview', render: () => overviewPage() },
  {
    path: 'customers',
    nav: 'nav.customers',
    render: (rest, q) => (rest[0] ? customerPage(rest[0]) : customersPage(q)),
  },
  { path: 'clv', nav: 'nav.clv', render: (rest, q) => clvPage(rest, q) },
  { path: 'segments', nav: 'nav.segments', render: () => segmentsPage() },
  { path: 'lifecycle', nav: 'nav.lifecycle', render: (rest, q) => lifecyclePage(rest[0], q) },
  { path: 'alerts', nav: 'nav.alerts', render: (_rest, q) => alertsPage(q) },
  { path: 'churn', nav: 'nav.churn', render: (_rest, q) => churnPage(q) },
  { path: 'survival', nav: 'nav.survival', render: (rest, q) => survivalPage(rest, q) },
  { path: 'reports', nav: 'nav.reports', render: (rest, q) => reportsPage(rest, q) },
  { path: 'retention', nav: 'nav.retention', render: (rest, q) => retentionPage(rest, q) },
  { path: 'data', nav: 'nav.data', render: () => dataPage() },
];

const app = document.getElementById('app')!;
/** True when the server answers without a token (auth off). */
let authOff = false;

function parseHash(): { path: string; rest: string[]; query: URLSearchParams } {
  const raw = location.hash.replace(/^#\/?/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  return { path: parts[0] ?? '', rest: parts.slice(1), query: new URLSearchParams(queryPart) };
}

function languageSwitch(): HTMLElement {
  const button = (lang: Lang, label: Key): HTMLElement =>
    h(
      'button',
      {
        type: 'button',
        class: currentLang() === lang ? 'active' : undefined,
        'aria-pressed': String(currentLang() === lang),
        'data-testid': `lang-${lang}`,
        onclick: () => void switchLang(lang),
      },
      t(label),
    );
  return h(
    'div',
    { class: 'lang-switch', role: 'group', 'aria-label': t('lang.switch') },
    button('en', 'lang.en'),
    button('zh', 'lang.zh'),
  );
}

async function switchLang(lang: Lang): Promise<void> {
  if (lang === currentLang()) return;
  await loadLang(lang);
  render();
}

function renderLogin(message?: string): void {
  disposeCharts();
  clear(app);
  const input = h('input', {
    type: 'password',
    id: 'token',
    name: 'token',
    autocomplete: 'off',
    required: true,
    'data-testid': 'login-token',
  });
  const status = h(
    'div',
    { class: 'login-status', role: 'alert', 'data-testid': 'login-error' },
    message ?? '',
  );
  const submit = h('button', { type: 'submit', 'data-testid': 'login-submit' }, t('login.submit'));
  const form = h(
    'form',
    {
      class: 'login card',
      'data-testid': 'login',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const token = input.value.trim();
        submit.disabled = true;
        status.textContent = t('common.loading');
        apiGet('/info', undefined, token).then(
          () => {
            setToken(token);
            if (!location.hash || location.hash === '#/') location.hash = '#/overview';
            render();
          },
          (err: unknown) => {
            submit.disabled = false;
            status.textContent =
              err instanceof ApiError && (err.status === 401 || err.status === 403)
                ? t('login.failed')
                : errorText(err);
          },
        );
      },
    },
    h('h1', {}, t('app.title')),
    h('p', { class: 'tagline' }, t('app.tagline')),
    h('h2', {}, t('login.title')),
    h('label', { for: 'token' }, t('login.token')),
    input,
    h('p', { class: 'hint' }, t('login.tokenHint')),
    submit,
    status,
  );
  app.append(h('div', { class: 'login-wrap' }, h('div', { class: 'login-top' }, languageSwitch()), form));
  input.focus();
}

function render(): void {
  if (!authOff && !getToken()) return renderLogin();
  const { path, rest, query } = parseHash();
  const route = ROUTES.find((r) => r.path === path);
  if (!route) {
    location.replace('#/overview');
    return;
  }
  disposeCharts();
  clear(app);
  const nav = h(
    'nav',
    { class: 'nav', 'aria-label': 'main' },
    h(
      'ul',
      {},
      ROUTES.map((r) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href: `#/${r.path}`,
              class: r === route ? 'active' : undefined,
              'aria-current': r === route ? 'page' : undefined,
              'data-testid': `nav-${r.path}`,
            },
            t(r.nav),
          ),
        ),
      ),
    ),
  );
  const top = h(
    'header',
    { class: 'topbar' },
    h('a', { class: 'brand', href: '#/overview' }, t('app.title')),
    h('span', { class: 'tagline' }, t('app.tagline')),
    h('span', { class: 'spacer' }),
    languageSwitch(),
    authOff
      ? null
      : h(
          'button',
          {
            type: 'button',
            class: 'logout',
            'data-testid': 'logout',
            onclick: () => {
              setToken(null);
              renderLogin();
            },
          },
          t('login.logout'),
        ),
  );
  const main = h('main', { class: 'content', 'data-page': route.path }, route.render(rest, query));
  app.append(top, h('div', { class: 'body' }, nav, main));
  document.title = `${t(route.nav)} · ${t('app.title')}`;
}

async function boot(): Promise<void> {
  await loadLang(initialLang());
  setUnauthorizedHandler(() => {
    // Only a rejected stored token ends the session (not the probe below, nor a wrong token at login).
    if (!getToken()) return;
    setToken(null);
    authOff = false;
    renderLogin(t('error.unauthorized'));
  });
  if (!getToken()) {
    // A server with auth off answers without a token: no login screen then.
    try {
      await apiGet('/info', undefined, null);
      authOff = true;
    } catch {
      authOff = false;
    }
  }
  window.addEventListener('hashchange', render);
  render();
}

boot().catch((err: unknown) => {
  app.textContent = err instanceof Error ? err.message : String(err);
});
