import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retain, tempWorkspace, writeText } from '../helpers.js';
import { loadSmallWorkspace } from '../analysis/reports/fixtures.js';

describe('retain report (built CLI)', () => {
  let ws: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeAll(async () => {
    ws = await tempWorkspace();
    await loadSmallWorkspace(ws.engine, ws.dir);
    await ws.engine.close(); // the CLI opens the file itself
  });
  afterAll(async () => ws.cleanup());
  const run = (...args: string[]) => retain(['--db', ws.db, 'report', ...args]);

  it('churn-flow --json gives the monthly summary', () => {
    const r = run('churn-flow', '--from', '2025-01', '--to', '2025-02', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      name: 'churn-flow',
      dataset: 'churn-flow',
      from: '2025-01',
      to: '2025-02',
      by: null,
    });
    expect(j.sections[0].rows).toEqual([
      {
        month: '2025-01',
        start: 4,
        new: 1,
        beforeChurn: 5,
        voluntary: 1,
        involuntary: 1,
        otherEnds: 0,
        netTransfers: 0,
        end: 3,
        churnRate: 0.5,
        voluntaryRate: 0.25,
        involuntaryRate: 0.25,
      },
      {
        month: '2025-02',
        start: 3,
        new: 0,
        beforeChurn: 3,
        voluntary: 1,
        involuntary: 0,
        otherEnds: 1,
        netTransfers: 0,
        end: 1,
        churnRate: 0.666667,
        voluntaryRate: 0.333333,
        involuntaryRate: 0,
      },
    ]);
    expect(j.sections[0].notes.join(' ')).toMatch(/1 subscription end\(s\) without a churn event/);
    const byRegion = JSON.parse(run('churn-flow', '--by', 'region', '--json').stdout);
    expect(byRegion.sections[0].columns[1]).toEqual({ key: 'group', label: 'region', type: 'text' });
  });

  it('churners and reasons, as tables for people', () => {
    const r = run('reasons', '--from', '2025-01', '--to', '2025-02');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Churners per reason code and month/);
    expect(r.stdout).toMatch(/101 price/);
    const c = JSON.parse(run('churners', '--json').stdout);
    expect(c.sections[0].totals).toMatchObject({ month: 'total', churners: 5 });
  });

  it('exports CSV, XLSX and PDF', () => {
    const csv = join(ws.dir, 'flow.csv');
    expect(
      run('churn-flow', '--from', '2025-01', '--to', '2025-02', '--format', 'csv', '--output', csv).code,
    ).toBe(0);
    const text = readFileSync(csv, 'utf8');
    expect(text).toContain('month,start,new,before churn,voluntary,involuntary,other ends,net transfers,end');
    expect(text).toMatch(/2025-01,4,1,5,1,1,0,0,3,/);
    for (const ext of ['xlsx', 'pdf']) {
      const file = join(ws.dir, `reasons.${ext}`);
      const r = run('reasons', '--output', file);
      expect(r.stderr).toBe('');
      expect(existsSync(file) && statSync(file).size > 0).toBe(true);
    }
    expect(run('churners', '--format', 'pdf').stderr).toMatch(/--format needs --output/);
    expect(run('churners', '--format', 'doc', '--output', 'x.doc').code).toBe(1);
  });

  it('runs a user definition and reports its errors with line numbers', () => {
    const spec = writeText(
      ws.dir,
      'mine.yaml',
      `name: by-family
title: Churners by family
dataset: churners
groupBy: region
sections:
  - heading: By family and region
    rows: [family, group]
    measures: [churners, revenueLost]
    totals: true
`,
    );
    const r = run('run', spec, '--from', '2025-01', '--to', '2025-02', '--json');
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    expect(j.by).toBe('region');
    expect(j.sections[0].rows).toContainEqual({
      family: 'price',
      group: 'North',
      churners: 2,
      revenueLost: 32,
    });
    const bad = writeText(
      ws.dir,
      'bad.yaml',
      'name: bad\ntitle: t\ndataset: churners\nsections:\n  - heading: h\n    rows: [month]\n    measures: [profit]\n',
    );
    const e = run('run', bad);
    expect(e.code).toBe(1);
    expect(e.stderr).toContain(
      'bad.yaml:7:16: sections[0].measures[0]: "profit" is not a measure of churners',
    );
  });

  it('list and show', () => {
    const l = JSON.parse(run('list', '--json').stdout);
    expect(l.reports.map((x: { name: string }) => x.name)).toContain('leaky-bucket');
    expect(l.datasets.map((x: { name: string }) => x.name)).toEqual(['churn-flow', 'churners']);
    expect(JSON.parse(run('show', 'reasons').stdout).dataset).toBe('churners');
    expect(run('show', 'nope').code).toBe(1);
    expect(run('churn-flow', '--from', '2025-13').stderr).toMatch(/--from must be a month written YYYY-MM/);
  });
});
