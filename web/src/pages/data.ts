/**
 * Data: the workspace's tables (`GET /api/info`), an import form (`POST /api/imports`, multipart, admin role)
 * whose job is polled every 500 ms (`GET /api/jobs/:id`) with a progress bar until it ends, and the recent
 * jobs (`GET /api/jobs`).
 */
import { apiGet, apiPostForm, waitForJob, type Job } from '../api.js';
import { clear, h, table } from '../dom.js';
import { fmtDate, fmtNumber, fmtTime, hasKey, t, tValue, type Key } from '../i18n/i18n.js';
import type { InfoResponse } from '../types.js';
import { card, errorText, pageHeader } from '../ui.js';
import { fieldLabel } from './customers.js';

export const IMPORT_TABLES = [
  'customers',
  'transactions',
  'subscriptions',
  'churn_events',
  'interactions',
  'campaigns',
  'contacts',
] as const;

interface ImportResult {
  table?: string;
  inserted?: number;
  updated?: number;
  duplicates?: number;
  rejected?: number;
}

function tablesCard(): HTMLElement {
  return card(
    t('data.tables.title'),
    async () => {
      const info = await apiGet<InfoResponse>('/info');
      return table(
        [
          { label: t('overview.data.table'), value: (x) => tValue('table', x.table) },
          { label: t('overview.data.rows'), value: (x) => fmtNumber(x.rows), numeric: true },
          { label: t('overview.data.from'), value: (x) => fmtDate(x.from) },
          { label: t('overview.data.to'), value: (x) => fmtDate(x.to) },
        ],
        info.tables,
        'table-tables',
      );
    },
    'card-tables',
  );
}

/** One problem of a rejected import, as the API reports it (with its kind, to word it here). */
interface ImportIssue {
  file: string;
  line: number | null;
  column: string | null;
  value: string | null;
  message: string;
  code?: string;
  params?: Record<string, string>;
}

function issueText(issue: ImportIssue): string {
  const key = `data.issue.${issue.code ?? 'other'}`;
  if (!issue.code || issue.code === 'other' || !hasKey(key)) return issue.message;
  const params = { ...issue.params };
  if (params.field) params.field = fieldLabel(params.field);
  return t(key as Key, params);
}

/** The problems of a rejected import as a table (the first ten) with the total. */
function issuesView(issues: readonly ImportIssue[], total: number): HTMLElement {
  const shown = issues.slice(0, 10);
  return h(
    'div',
    { class: 'issues' },
    h('p', { 'data-testid': 'import-rejected' }, t('data.import.rejected', { count: total })),
    table(
      [
        { label: t('data.issue.file'), value: (i) => i.file },
        { label: t('data.issue.line'), value: (i) => (i.line === null ? '' : String(i.line)), numeric: true },
        { label: t('data.issue.column'), value: (i) => (i.column === null ? '' : fieldLabel(i.column)) },
        { label: t('data.issue.value'), value: (i) => i.value ?? '' },
        { label: t('data.issue.problem'), value: (i) => h('span', { title: i.message }, issueText(i)) },
      ],
      shown,
      'table-import-issues',
    ),
    total > shown.length
      ? h('p', { class: 'hint' }, t('data.import.more', { count: total - shown.length }))
      : null,
  );
}

function progressText(job: Job): string {
  const p = job.progress;
  const status = tValue('job.status', job.status);
  if (!p) return status;
  const phase = tValue('job.phase', p.phase);
  return p.total !== null && p.total !== undefined
    ? t('data.import.progress', { status, phase, done: p.done, total: p.total })
    : t('data.import.progressNoTotal', { status, phase, done: p.done });
}

function jobSummary(job: Job): string {
  if (job.error) {
    const details = job.error.details as { totalIssues?: number } | undefined;
    return details?.totalIssues
      ? t('data.import.rejected', { count: details.totalIssues })
      : job.error.message;
  }
  if (job.status === 'succeeded' && job.kind === 'import') {
    const r = (job.result ?? {}) as ImportResult;
    return t('data.import.success', { rows: r.inserted ?? 0, table: tValue('table', r.table ?? '') });
  }
  return job.progress ? progressText(job) : '';
}

function jobsCard(): HTMLElement {
  return card(
    t('data.jobs.title'),
    async () => {
      const { jobs } = await apiGet<{ jobs: Job[] }>('/jobs');
      if (jobs.length === 0) return h('p', { 'data-testid': 'jobs-empty' }, t('data.jobs.none'));
      return h(
        'div',
        { class: 'scroll' },
        table(
          [
            { label: t('data.jobs.created'), value: (j) => fmtTime(j.createdAt) },
            { label: t('data.jobs.kind'), value: (j) => tValue('job.kind', j.kind) },
            { label: t('data.jobs.status'), value: (j) => tValue('job.status', j.status) },
            { label: t('data.jobs.by'), value: (j) => j.createdBy },
            { label: t('data.jobs.outcome'), value: (j) => jobSummary(j) },
          ],
          jobs.slice(0, 20),
          'table-jobs',
        ),
      );
    },
    'card-jobs',
  );
}

export function dataPage(): HTMLElement {
  let tables = tablesCard();
  let jobs = jobsCard();
  const refresh = (): void => {
    const nextTables = tablesCard();
    tables.replaceWith(nextTables);
    tables = nextTables;
    const nextJobs = jobsCard();
    jobs.replaceWith(nextJobs);
    jobs = nextJobs;
  };

  const select = h(
    'select',
    { id: 'import-table', name: 'table', required: true, 'data-testid': 'import-table' },
    IMPORT_TABLES.map((x) => h('option', { value: x, selected: x === 'transactions' }, tValue('table', x))),
  );
  const file = h('input', {
    id: 'import-file',
    name: 'file',
    type: 'file',
    required: true,
    accept: '.csv,.tsv,.txt,.parquet,.json,.ndjson,.gz',
    'data-testid': 'import-file',
  });
  const submit = h('button', { type: 'submit', 'data-testid': 'import-submit' }, t('data.import.submit'));
  const status = h('div', { class: 'import-status', 'aria-live': 'polite', 'data-testid': 'import-status' });

  const showProgress = (job: Job): void => {
    clear(status);
    const p = job.progress;
    const bar = h('progress', { 'data-testid': 'import-progress', 'aria-label': t('data.import.running') });
    if (p && p.total) {
      bar.max = p.total;
      bar.value = Math.min(p.done, p.total);
    }
    status.append(
      bar,
      h('span', { class: 'hint', 'data-testid': 'import-progress-text' }, progressText(job)),
    );
  };
  const showError = (message: string | HTMLElement): void => {
    clear(status);
    status.append(
      h(
        'div',
        { class: 'error import-error', role: 'alert', 'data-testid': 'import-error' },
        h('strong', {}, `${t('data.import.failed')}: `),
        typeof message === 'string' ? h('span', { class: 'message' }, message) : message,
      ),
    );
  };
  const showDone = (job: Job): void => {
    clear(status);
    if (job.status === 'succeeded') {
      const r = (job.result ?? {}) as ImportResult;
      status.append(
        h(
          'div',
          { class: 'success', role: 'status', 'data-testid': 'import-success', 'data-rows': r.inserted ?? 0 },
          t('data.import.success', { rows: r.inserted ?? 0, table: tValue('table', r.table ?? '') }),
          h(
            'div',
            { class: 'hint' },
            t('data.import.details', {
              updated: r.updated ?? 0,
              duplicates: r.duplicates ?? 0,
              rejected: r.rejected ?? 0,
            }),
          ),
        ),
      );
    } else if (job.status === 'cancelled') {
      showError(t('data.import.cancelled'));
    } else {
      const details = job.error?.details as { issues?: ImportIssue[]; totalIssues?: number } | undefined;
      if (details?.issues?.length)
        showError(issuesView(details.issues, details.totalIssues ?? details.issues.length));
      else showError(job.error?.message || t('data.import.failed'));
    }
  };

  const poll = async (id: string): Promise<void> => {
    const job = await waitForJob(id, showProgress, () => status.isConnected);
    if (job) showDone(job);
  };

  const form = h(
    'form',
    {
      class: 'import-form',
      'data-testid': 'import-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const chosen = file.files?.[0];
        if (!chosen) return;
        const body = new FormData();
        body.append('table', select.value);
        body.append('file', chosen, chosen.name);
        submit.disabled = true;
        clear(status);
        status.append(h('span', { class: 'hint' }, t('data.import.uploading')));
        apiPostForm<Job>('/imports', body)
          .then((job) => poll(job.id))
          .catch((err: unknown) => showError(errorText(err)))
          .finally(() => {
            submit.disabled = false;
            if (status.isConnected) refresh();
          });
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'import-table' }, t('data.import.table')), select),
    h('div', { class: 'field' }, h('label', { for: 'import-file' }, t('data.import.file')), file),
    submit,
  );

  return h(
    'div',
    { class: 'page', 'data-testid': 'page-data' },
    pageHeader(t('nav.data')),
    tables,
    h(
      'section',
      { class: 'card', 'data-testid': 'card-import' },
      h('h2', {}, t('data.import.title')),
      h('p', { class: 'hint' }, t('data.import.hint')),
      form,
      status,
    ),
    jobs,
  );
}
