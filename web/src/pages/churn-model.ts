/**
 * The churn page's model card: the saved models (`GET /api/churn/models`), and for analysts training a model
 * per horizon (`POST /api/churn/train`, a job in a worker thread) and scoring every customer at risk with a
 * saved model (`POST /api/churn/score`, a job), with progress. The test metrics shown are the job's.
 */
import { apiGet, apiPost, waitForJob, type Job } from '../api.js';
import { clear, h, table } from '../dom.js';
import { fmtNumber, fmtTime, t, tValue } from '../i18n/i18n.js';
import { card, errorText } from '../ui.js';

interface ModelFile {
  name: string;
  modifiedAt: string;
  bytes: number;
}

interface TrainResult {
  modelFile: string;
  horizons: {
    horizonDays: number;
    asOf: string;
    model: string;
    test: { rows: number; positives: number; rocAuc: number; prAuc: number; liftTopDecile: number } | null;
  }[];
}

interface ScoreResult {
  asOf: string;
  customers: number;
  saved: boolean;
}

const HORIZONS = [30, 90, 180];

/** A training job's phase (`features 90d`, `training 90d`) in words. */
function phaseText(phase: string): string {
  const m = /^(features|training) (\d+)d$/.exec(phase);
  if (m)
    return t(m[1] === 'features' ? 'churnModel.phase.features' : 'churnModel.phase.training', {
      days: Number(m[2]),
    });
  return tValue('job.phase', phase);
}

function jobLine(job: Job): string {
  const p = job.progress;
  const status = tValue('job.status', job.status);
  if (!p) return status;
  return p.total
    ? `${status}: ${phaseText(p.phase)} (${fmtNumber(p.done)} / ${fmtNumber(p.total)})`
    : `${status}: ${phaseText(p.phase)}`;
}

function trainedTable(r: TrainResult): HTMLElement {
  return table(
    [
      {
        label: t('churnModel.horizon'),
        value: (x) => t('churnModel.days', { days: x.horizonDays }),
        numeric: true,
      },
      { label: t('churnModel.trainedAt'), value: (x) => x.asOf },
      { label: t('churnModel.testRows'), value: (x) => fmtNumber(x.test?.rows), numeric: true },
      { label: t('churnModel.rocAuc'), value: (x) => fmtNumber(x.test?.rocAuc, 3), numeric: true },
      { label: t('churnModel.prAuc'), value: (x) => fmtNumber(x.test?.prAuc, 3), numeric: true },
      { label: t('churnModel.lift'), value: (x) => fmtNumber(x.test?.liftTopDecile, 2), numeric: true },
    ],
    r.horizons,
    'table-churn-trained',
  );
}

export function churnModelCard(onScored: () => void): HTMLElement {
  const status = h('div', { class: 'job-status', 'aria-live': 'polite', 'data-testid': 'churn-job' });
  const result = h('div', { 'data-testid': 'churn-train-result' });
  const kind = h(
    'select',
    { 'data-testid': 'churn-model-kind', 'aria-label': t('churnModel.kind') },
    h('option', { value: 'gbdt' }, t('churnModel.kind.gbdt')),
    h('option', { value: 'logistic' }, t('churnModel.kind.logistic')),
  );
  const horizons = HORIZONS.map((d) =>
    h('input', {
      type: 'checkbox',
      value: String(d),
      checked: d === 90,
      'data-testid': `churn-horizon-${d}`,
    }),
  );
  const running = (job: Job) => {
    clear(status);
    status.append(h('progress', {}), h('span', { class: 'hint' }, jobLine(job)));
  };
  const fail = (message: string) => {
    clear(status);
    status.append(h('div', { class: 'error', role: 'alert', 'data-testid': 'churn-job-error' }, message));
  };
  const alive = () => status.isConnected;

  const score = async (model: string): Promise<void> => {
    const job = await apiPost<Job>('/churn/score', { model });
    const done = await waitForJob(job.id, running, alive);
    if (!done) return;
    if (done.status !== 'succeeded') return fail(done.error?.message ?? tValue('job.status', done.status));
    const r = done.result as ScoreResult;
    clear(status);
    status.append(
      h(
        'p',
        { class: 'success', 'data-testid': 'churn-scored', 'data-customers': r.customers },
        t('churnModel.scored', { customers: fmtNumber(r.customers), date: r.asOf }),
      ),
    );
    onScored();
  };

  const train = async (): Promise<void> => {
    const chosen = horizons.filter((c) => c.checked).map((c) => Number(c.value));
    if (chosen.length === 0) return fail(t('churnModel.pickHorizon'));
    clear(result);
    const job = await apiPost<Job>('/churn/train', { model: kind.value, horizons: chosen });
    const done = await waitForJob(job.id, running, alive);
    if (!done) return;
    if (done.status !== 'succeeded') return fail(done.error?.message ?? tValue('job.status', done.status));
    const r = done.result as TrainResult;
    clear(status);
    result.append(
      h(
        'p',
        { 'data-testid': 'churn-trained', 'data-model': r.modelFile },
        t('churnModel.trained', { file: r.modelFile }),
      ),
      trainedTable(r),
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'churn-score-new',
          onclick: () => void score(r.modelFile).catch((e: unknown) => fail(errorText(e))),
        },
        t('churnModel.scoreWith'),
      ),
    );
  };

  return card(
    t('churnModel.title'),
    async () => {
      const { models } = await apiGet<{ models: ModelFile[] }>('/churn/models');
      return [
        models.length === 0
          ? h('p', { class: 'hint', 'data-testid': 'churn-models-empty' }, t('churnModel.none'))
          : table(
              [
                { label: t('churnModel.file'), value: (m) => m.name },
                { label: t('churnModel.saved'), value: (m) => fmtTime(m.modifiedAt) },
                {
                  label: '',
                  value: (m) =>
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'small',
                        onclick: () => void score(m.name).catch((e: unknown) => fail(errorText(e))),
                      },
                      t('churnModel.score'),
                    ),
                },
              ],
              models.slice(0, 5),
              'table-churn-models',
            ),
        h(
          'form',
          {
            class: 'inline-form',
            'data-testid': 'churn-train-form',
            onsubmit: (e: Event) => {
              e.preventDefault();
              void train().catch((err: unknown) => fail(errorText(err)));
            },
          },
          h('label', {}, t('churnModel.kind'), kind),
          h(
            'fieldset',
            { class: 'inline' },
            h('legend', {}, t('churnModel.horizons')),
            HORIZONS.map((d, i) =>
              h('label', { class: 'inline' }, horizons[i]!, t('churnModel.days', { days: d })),
            ),
          ),
          h('button', { type: 'submit', 'data-testid': 'churn-train' }, t('churnModel.train')),
        ),
        h('p', { class: 'hint' }, t('churnModel.hint')),
        status,
        result,
      ];
    },
    'card-churn-model',
  );
}
