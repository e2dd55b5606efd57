/**
 * The analyses that take rule files, over the API: lifecycle settings, playbook and alert rules in the body
 * give what the library gives with the same files (and so the CLI's `--rules FILE --json`); bad files are
 * 422s naming the setting or the line; the rules in force come back as a file that reads back the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAlerts } from '../../src/analysis/alerts/alerts.js';
import { parseRules } from '../../src/analysis/alerts/rules-file.js';
import { DEFAULT_ALERT_RULES } from '../../src/analysis/alerts/rules.js';
import { lifecycleAnalysis } from '../../src/analysis/lifecycle/lifecycle-analysis.js';
import { DEFAULT_PLAYBOOK } from '../../src/analysis/lifecycle/playbook.js';
import { mergeLifecycleRules } from '../../src/analysis/lifecycle/rules.js';
import { DEFAULT_LIFECYCLE_RULES } from '../../src/engine/lifecycle-types.js';
import { rounded, startApiServer, type ApiHarness } from './harness.js';

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiServer();
}, 60_000);
afterAll(() => api?.close());

/** Stricter rules: yellow already at 5 days without a purchase (the default starts later). */
const STRICT_YAML = `
levels:
  - name: yellow
    recencyDays: { from: 5, to: 20 }
    frequencyDownPercent: { above: 0, upTo: 30 }
    monetaryDownPercent: { above: 0, upTo: 30 }
  - name: orange
    recencyDays: { from: 21, to: 40 }
    frequencyDownPercent: { above: 30, upTo: 50 }
    monetaryDownPercent: { above: 30, upTo: 50 }
  - name: red
    recencyDays: { from: 41, to: 60 }
    frequencyDownPercent: { above: 50, upTo: null }
    monetaryDownPercent: { above: 50, upTo: null }
`;

describe('lifecycle with rule files', () => {
  it('gives the settings and playbook in force', async () => {
    const r = await api.call('/api/lifecycle/rules', { token: 'viewer' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual(
      JSON.parse(JSON.stringify({ rules: DEFAULT_LIFECYCLE_RULES, playbook: DEFAULT_PLAYBOOK })),
    );
  });

  it('applies changed settings and a playbook as the library does, for a viewer', async () => {
    const settings = { activeDays: 14, lostDays: 120 };
    const playbook = { active: { '*': 'say thank you' } };
    const r = await api.call('/api/lifecycle', {
      method: 'POST',
      token: 'viewer',
      body: { model: 'states', rules: settings, playbook },
    });
    expect(r.status).toBe(200);
    const { perCustomer: _p, ...lib } = await lifecycleAnalysis(api.engine, {
      model: 'states',
      perCustomer: false,
      rules: mergeLifecycleRules(settings, 'rules'),
      playbook: playbook as never,
      alertRules: DEFAULT_ALERT_RULES,
    });
    expect(rounded(r.body)).toEqual(rounded(lib));
    // the settings matter: the default rules place customers differently
    const defaults = await api.call('/api/lifecycle?model=states');
    expect(r.body.stages).not.toEqual(defaults.body.stages);
  });

  it('refuses an unknown setting, a bad playbook and a bad alert rules file with 422', async () => {
    const unknown = await api.call('/api/lifecycle', { method: 'POST', body: { rules: { nope: 1 } } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toContain('unknown lifecycle setting "nope"');
    const tier = await api.call('/api/lifecycle', {
      method: 'POST',
      body: { playbook: { active: { gold: 'x' } } },
    });
    expect(tier.status).toBe(422);
    expect(tier.body.error.message).toContain('unknown tier "gold"');
    const yaml = await api.call('/api/lifecycle', {
      method: 'POST',
      body: { alertRules: 'levels:\n  - name: yellow\n    recencyDays: { from: -3, to: 2 }\n' },
    });
    expect(yaml.status).toBe(422);
    expect(yaml.body.error.message).toContain('alertRules:3:');
    const extra = await api.call('/api/lifecycle', { method: 'POST', body: { rules: {}, path: '/etc' } });
    expect(extra.status).toBe(400);
  });

  it('records month-end history with the given settings; bad ones fail at once', async () => {
    const bad = await api.call('/api/lifecycle/history', {
      method: 'POST',
      token: 'analyst',
      body: { from: '2025-11', to: '2025-12', rules: { activeDays: -1 } },
    });
    expect(bad.status).toBe(422);
    const r = await api.call('/api/lifecycle/history', {
      method: 'POST',
      token: 'analyst',
      body: {
        from: '2025-11',
        to: '2025-12',
        rules: { activeDays: 30, lostDays: 120 },
        alertRules: STRICT_YAML,
      },
    });
    expect(r.status).toBe(202);
    const job = await api.waitJob(r.body.id);
    expect(job.status).toBe('succeeded');
    expect(job.result.months).toEqual(['2025-11-30', '2025-12-31']);
    const dec = job.result.mix.filter((m: { monthEnd: string }) => m.monthEnd === '2025-12-31');
    const lib = await lifecycleAnalysis(api.engine, {
      model: 'states',
      asOf: '2025-12-31',
      perCustomer: false,
      rules: mergeLifecycleRules({ activeDays: 30, lostDays: 120 }, 'rules'),
      alertRules: parseRules(STRICT_YAML, 'rules'),
    });
    for (const s of lib.stages.filter((x) => x.customers > 0))
      expect(dec.find((m: { stage: string }) => m.stage === s.stage)?.customers, s.stage).toBe(s.customers);
  });
});

describe('alerts with a rules file', () => {
  it('gives the rules in force as JSON, YAML that reads back the same, and the schema', async () => {
    const r = await api.call('/api/alerts/rules', { token: 'viewer' });
    expect(r.body.rules).toEqual(JSON.parse(JSON.stringify(DEFAULT_ALERT_RULES)));
    expect(parseRules(r.body.yaml, 'yaml')).toEqual(DEFAULT_ALERT_RULES);
    expect(r.body.schema.type).toBe('object');
  });

  it('runs the alerts with the rules sent, as the library does, and stores nothing', async () => {
    const before = await api.engine.alertRuns();
    const r = await api.call('/api/alerts', {
      method: 'POST',
      token: 'viewer',
      body: { rules: STRICT_YAML, limit: 5, groups: false, products: false },
    });
    expect(r.status).toBe(200);
    const report = await runAlerts(api.engine, {
      rules: parseRules(STRICT_YAML, 'rules'),
      save: false,
      list: 5,
      groups: false,
      products: false,
    });
    const { perCustomer: _p, ...customers } = report.customers;
    expect(rounded(r.body)).toEqual(rounded({ ...report, customers }));
    const defaults = await api.call('/api/alerts?limit=5&groups=false&products=false');
    expect(r.body.rulesHash).not.toBe(defaults.body.rulesHash);
    expect(r.body.customers.levels).not.toEqual(defaults.body.customers.levels);
    expect(await api.engine.alertRuns()).toEqual(before);
  });

  it('leaves the cached answers be: these POSTs only read', async () => {
    await api.raw('/api/rfm', { token: 'viewer' });
    expect((await api.raw('/api/rfm', { token: 'viewer' })).headers.get('x-retain-cache')).toBe('hit');
    await api.call('/api/alerts', {
      method: 'POST',
      token: 'viewer',
      body: { rules: STRICT_YAML, limit: 1 },
    });
    await api.call('/api/lifecycle', {
      method: 'POST',
      token: 'viewer',
      body: { rules: { activeDays: 14 } },
    });
    expect((await api.raw('/api/rfm', { token: 'viewer' })).headers.get('x-retain-cache')).toBe('hit');
    // a write does drop them
    await api.call('/api/tokens', { method: 'POST', body: { name: 'x', role: 'viewer' } });
    expect((await api.raw('/api/rfm', { token: 'viewer' })).headers.get('x-retain-cache')).toBe('miss');
  });

  it('needs a token, and refuses a bad rules file naming its line and column', async () => {
    expect(
      (await api.call('/api/alerts', { method: 'POST', token: null, body: { rules: STRICT_YAML } })).status,
    ).toBe(401);
    const bad = await api.call('/api/alerts', { method: 'POST', body: { rules: 'levels: [1, 2\n' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('unprocessable');
    expect(bad.body.error.message).toContain('alertRules:2:');
  });
});
