// `retain churn` end to end through the built CLI: the Telco bars against scikit-learn on the fixed
// split, a workspace model (demo data) trained, scored, stored, forecast and backtested, and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASETS, REPO, retain, tempDir } from '../helpers.js';

const TELCO = join(DATASETS, 'WA_Fn-UseC_-Telco-Customer-Churn.csv');
const TEST_IDS = join(REPO, 'test', 'fixtures', 'telco-test-ids.txt');
// scikit-learn 1.2.1 on the same split (scripts: test/models/learn/reference/telco_logistic.py and
// telco_hgb.py): LogisticRegression() pipeline 0.8487881; HistGradientBoostingClassifier 0.835345
const SKLEARN_LOGISTIC_AUC = 0.8487881;
const SKLEARN_HGB_AUC = 0.835345;

let dir: string;
let cleanup: () => void;
let db: string;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  db = join(dir, 'demo.duckdb');
  expect(retain(['--db', db, 'demo', '--customers', '3000', '--seed', '7']).code).toBe(0);
});
afterAll(() => cleanup());

const run = (args: string[]) => {
  const r = retain(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};
// `retain churn train` on the Telco table with its id, label and positive value
const TELCO_TRAIN = [
  'churn',
  'train',
  '--table',
  TELCO,
  '--id',
  'customerID',
  '--label',
  'Churn',
  '--positive',
  'Yes',
];
const telco = (model: string, extra: string[] = []) =>
  run([...TELCO_TRAIN, '--test-ids', TEST_IDS, '--model', model, '--json', ...extra]);

describe('retain churn train --table (IBM Telco, fixed 70/30 split)', () => {
  it('L1 penalty: a sparser model, still ranking well; elastic net needs its ratio', () => {
    const r = telco('logistic', ['--penalty', 'l1', '--C', '0.05', '--exclude', 'TotalCharges,gender']);
    expect(r.test.rocAuc).toBeGreaterThan(0.83);
    const columns = r.importance.map((c: { column: string }) => c.column);
    expect(columns).not.toContain('TotalCharges');
    expect(columns).not.toContain('gender');
    expect(columns).toContain('MonthlyCharges');
    const bad = retain([...TELCO_TRAIN, '--penalty', 'elasticnet']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--l1-ratio');
  });

  it('logistic: test ROC AUC at least scikit-learn LogisticRegression; importance; charts', () => {
    const charts = join(dir, 'charts');
    const r = telco('logistic', ['--charts', charts, '--folds', '3']);
    expect(r.train.rows).toBe(7043 - 2113);
    expect(r.test.rows).toBe(2113);
    expect(r.test.rocAuc).toBeGreaterThanOrEqual(SKLEARN_LOGISTIC_AUC);
    for (const k of ['prAuc', 'logLoss', 'brier', 'liftTopDecile'])
      expect(Number.isFinite(r.test[k])).toBe(true);
    expect(r.test.liftTopDecile).toBeGreaterThan(2);
    expect(r.importance.map((c: { column: string }) => c.column).slice(0, 5)).toContain('tenure');
    expect(r.crossValidation.folds).toBe(3);
    for (const f of ['roc.svg', 'precision-recall.svg', 'gains.svg', 'calibration.svg'])
      expect(readFileSync(join(charts, f), 'utf8')).toContain('<svg');
  });

  it('gbdt: test ROC AUC at least scikit-learn HistGradientBoostingClassifier; deterministic; saved', () => {
    const file = join(dir, 'telco-gbdt.json');
    const a = telco('gbdt', ['--save', file]);
    expect(a.test.rocAuc).toBeGreaterThanOrEqual(SKLEARN_HGB_AUC);
    expect(a.importance[0].column).toMatch(/Contract|tenure/);
    expect(telco('gbdt').test.rocAuc).toBe(a.test.rocAuc);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved).toMatchObject({ format: 'retain.churn-model', version: 1, source: { type: 'table' } });
    expect(saved.models[0].kind).toBe('gbdt');
  });

  it('bad input names the file and the column', () => {
    const r = retain([
      'churn',
      'train',
      '--table',
      TELCO,
      '--id',
      'customerID',
      '--label',
      'Churned',
      '--positive',
      'Yes',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('WA_Fn-UseC_-Telco-Customer-Churn.csv');
    expect(r.stderr).toContain('"Churned"');
    const ids = join(dir, 'ids.txt');
    writeFileSync(ids, 'customerID\nNOPE-1\n');
    const bad = retain([...TELCO_TRAIN, '--test-ids', ids]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/ids\.txt: 1 id\(s\) are not in the table, e.g. "NOPE-1"/);
  });
});

describe('retain churn on the workspace (demo data)', () => {
  it('trains one model per horizon, scores and stores every customer at risk, lists them', () => {
    const model = join(dir, 'churn.json');
    const t = run([
      '--db',
      db,
      'churn',
      'train',
      '--horizon',
      '30,90',
      '--model',
      'gbdt',
      '--save',
      model,
      '--json',
    ]);
    expect(t.horizons.map((h: { horizonDays: number }) => h.horizonDays)).toEqual([30, 90]);
    // the demo plants churn drivers: the model ranks far better than chance
    expect(t.horizons[1].test.rocAuc).toBeGreaterThan(0.58);
    const out = join(dir, 'scores.csv');
    const s = run(['--db', db, 'churn', 'score', '--model', model, '--out', out, '--limit', '5', '--json']);
    expect(s.saved).toBe(true);
    expect(s.horizons).toHaveLength(2);
    expect(s.horizons[1].churners.lower).toBeLessThanOrEqual(s.horizons[1].churners.expected);
    expect(s.list).toHaveLength(5);
    expect(s.list[0].probabilities[0]).toBeGreaterThanOrEqual(s.list[4].probabilities[0]);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('customer_id,p_30d,p_90d,reasons');
    expect(csv).toHaveLength(s.customers + 1);
    const stored = run(['--db', db, 'churn', 'scores', '--limit', '3', '--json']);
    expect(stored.asOf).toBe(s.asOf);
    // one stored score per customer and horizon; --offset pages through them
    expect(stored.total).toBe(s.customers * 2);
    const next = run(['--db', db, 'churn', 'scores', '--limit', '3', '--offset', '2', '--json']);
    expect(next.scores[0]).toEqual(stored.scores[2]);
    // the 90-day model explains its riskiest customers (the 30-day one may have learnt nothing: 22 churners)
    expect(stored.scores[0].horizonDays).toBe(90);
    expect(stored.scores[0].reasons.length).toBeGreaterThan(0);
    const max90 = Math.max(...csv.slice(1).map((line) => Number(line.split(',')[2])));
    expect(stored.scores[0].probability).toBeCloseTo(max90, 5);
    const f = run(['--db', db, 'churn', 'forecast', '--model', model, '--json']);
    expect(f.horizons[1].expected).toBeCloseTo(s.horizons[1].churners.expected, 9);
    // without a model: the stored scores of the latest day give the same forecast
    const fromStored = run(['--db', db, 'churn', 'forecast', '--json']);
    expect(fromStored.source).toBe('stored scores');
    expect(fromStored.horizons.map((h: { horizonDays: number }) => h.horizonDays)).toEqual([30, 90]);
    expect(fromStored.horizons[1].expected).toBeCloseTo(s.horizons[1].churners.expected, 6);
    expect(fromStored.horizons[1].lower).toBe(s.horizons[1].churners.lower);
  });

  it('reasons computed in worker threads are the same as in one thread', async () => {
    const model = join(dir, 'churn.json');
    const one = join(dir, 'one-thread.csv');
    const many = join(dir, 'workers.csv');
    const score = (out: string, env: Record<string, string>) => {
      const r = retain(
        ['--db', db, 'churn', 'score', '--model', model, '--out', out, '--no-save', '--json'],
        env,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    };
    // the built CLI has its worker next to it, so the second run really is spread over threads
    const built = (await import(join(REPO, 'dist', 'analysis', 'churn', 'churn-reasons.js'))) as {
      reasonsWorkerAvailable: () => boolean;
    };
    expect(built.reasonsWorkerAvailable()).toBe(true);
    score(one, { RETAIN_WORKERS: '0' });
    score(many, { RETAIN_WORKERS: '3', RETAIN_WORKER_MIN_ROWS: '1' });
    const text = readFileSync(many, 'utf8');
    expect(text.split('\n').length).toBeGreaterThan(100);
    expect(text).toBe(readFileSync(one, 'utf8'));
  });

  it('backtest: forecast counts and ranking checked against what happened', () => {
    const b = run([
      '--db',
      db,
      'churn',
      'backtest',
      '--dates',
      '2025-03-31,2025-06-30',
      '--horizon',
      '90',
      '--json',
    ]);
    expect(b.rows).toHaveLength(2);
    for (const r of b.rows) {
      expect(r.rocAuc).toBeGreaterThan(0.55);
      // the count forecast is within 35 % of what happened (the price rise of 2025-04-01 moves the rate)
      expect(Math.abs(r.forecast.expected - r.actual) / r.actual).toBeLessThan(0.35);
    }
  });

  it('compare: complaints and falling usage set churners apart', () => {
    const c = run(['--db', db, 'churn', 'compare', '--json']);
    const top = c.attributes.slice(0, 10).map((a: { column: string }) => a.column);
    expect(top).toContain('usage_minutes_trend');
    const complaints = c.attributes.find((a: { column: string }) => a.column === 'complaints_90d');
    expect(complaints.churned.mean).toBeGreaterThan(complaints.retained.mean);
    expect(complaints.p).toBeLessThan(0.05);
  });

  it('index: the DOMAIN example from a ratings file', () => {
    const file = join(dir, 'ratings.csv');
    writeFileSync(
      file,
      'reason,rating,importance,availability\nprice,10,3,1\nquality,10,6,3\ncoverage,1,8,7\n' +
        'customer service,10,4,9\nimage,10,1,4\nnew technology,10,7,3\n',
    );
    const r = run(['churn', 'index', '--ratings', file, '--json']);
    expect(r.groups[0].topDriver).toBe('coverage');
    writeFileSync(file, 'reason,rating,importance,availability\nprice,11,3,1\n');
    const bad = retain(['churn', 'index', '--ratings', file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('line 2, rating');
    expect(existsSync(file)).toBe(true);
  });
});
