import { describe, expect, it } from 'vitest';
import { builtinReports } from '../../../src/analysis/reports/builtin.js';
import { buildReport } from '../../../src/analysis/reports/run-report.js';
import { parseReportSpec } from '../../../src/analysis/reports/spec.js';

const ok = `name: my-report
title: Voluntary churners by month
dataset: churners
filters:
  - dimension: type
    values: [voluntary]
sections:
  - heading: Voluntary churners
    rows: [month]
    measures: [churners, revenueLost]
    totals: true
    chart: { type: bar, x: month, y: [churners] }
`;

describe('report definitions', () => {
  it('every built-in definition is valid and has a unique name', () => {
    const names = builtinReports().map((s) => s.name);
    expect(names).toEqual([
      'churn-flow',
      'churners',
      'reasons',
      'churn-by',
      'leaky-bucket',
      'churn-measures',
    ]);
  });

  it('parses a valid YAML definition and runs it on records (filters, totals, chart)', () => {
    const spec = parseReportSpec(ok, 'my.yaml');
    const run = buildReport(spec, {
      from: '2025-01',
      to: '2025-02',
      by: null,
      notes: [],
      records: [
        {
          month: '2025-01',
          group: 'all',
          type: 'voluntary',
          reasonCode: '101',
          reason: 'price',
          family: 'price',
          churners: 2,
          revenueLost: 40,
          eventsWithoutEnd: 0,
        },
        {
          month: '2025-01',
          group: 'all',
          type: 'involuntary',
          reasonCode: '335',
          reason: 'credit',
          family: 'natural',
          churners: 5,
          revenueLost: 90,
          eventsWithoutEnd: 0,
        },
        {
          month: '2025-02',
          group: 'all',
          type: 'voluntary',
          reasonCode: '205',
          reason: 'network',
          family: 'product',
          churners: 1,
          revenueLost: 15.5,
          eventsWithoutEnd: 0,
        },
      ],
    });
    const t = run.document.sections[0]!.table!;
    expect(t.rows).toEqual([
      { month: '2025-01', churners: 2, revenueLost: 40 },
      { month: '2025-02', churners: 1, revenueLost: 15.5 },
    ]);
    expect(t.totals).toEqual({ month: 'total', churners: 3, revenueLost: 55.5 });
    expect(run.document.sections[0]!.chartSvg).toMatch(/^<svg/);
    expect(run.document.parameters).toContainEqual(['filter type', 'voluntary']);
  });

  it('reports every problem with its line, column and field', () => {
    const bad = `name: Bad Name
title: x
dataset: churners
groupBy: city
sections:
  - heading: one
    rows: [month, colour]
    measures: [churners, profit]
    pivot: { dimension: type, measure: churners }
    chart: { type: pie, x: month, y: [churners] }
`;
    let message = '';
    try {
      parseReportSpec(bad, 'bad.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^report definition bad\.yaml has 3 problem\(s\):/);
    expect(message).toContain('bad.yaml:1:7: name: "Bad Name" must match');
    expect(message).toContain(
      'bad.yaml:4:10: groupBy: must be one of region, plan, channel, segment, stage, tenure',
    );
    expect(message).toContain(
      'bad.yaml:10:20: sections[0].chart.type: must be one of line, bar, stacked-bar, not "pie"',
    );
    // names are checked against the dataset once the shape is right
    const names = bad.replace('Bad Name', 'bad').replace('city', 'region').replace('pie', 'bar');
    expect(() => parseReportSpec(names, 'bad.yaml')).toThrow(
      /bad\.yaml:7:19: sections\[0\]\.rows\[1\]: "colour" is not a dimension of churners[\s\S]*bad\.yaml:8:26: sections\[0\]\.measures\[1\]: "profit" is not a measure of churners/,
    );
    expect(() => parseReportSpec('name: x\ntitle: [', 'broken.json')).toThrow(/broken\.json:2:/);
    expect(() =>
      parseReportSpec(
        '{"name": "x", "title": "t", "dataset": "churners", "sections": [], "extra": 1}',
        'x.json',
      ),
    ).toThrow(
      /x\.json:1:64: sections: must have at least 1 item[\s\S]*x\.json:1:68: extra: unknown key "extra"/,
    );
  });
});
