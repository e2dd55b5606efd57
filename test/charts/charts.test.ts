// SVG charts rendered server-side: fixed inputs give byte-identical files (snapshots), documents are
// well-formed and name their series.
import { describe, expect, it } from 'vitest';
import { groupedBarChartSvg } from '../../src/charts/bar-chart.js';
import { heatmapSvg } from '../../src/charts/heatmap.js';
import { lineChartSvg } from '../../src/charts/line-chart.js';
import { sampleIndices, scatterChartSvg } from '../../src/charts/scatter-chart.js';
import { normalizeSvgIds } from '../../src/charts/svg.js';

/** Tags open and close in order (a small XML well-formedness check: no DOM parser in Node). */
function checkWellFormed(svg: string): void {
  const body = svg.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+(?:="[^"]*")?)*)\s*(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (closing) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
  // every '<' starts a tag we recognised
  const tags = body.match(/<[^>]*>/g) ?? [];
  expect(body.split('<').length - 1).toBe(tags.length);
}

const weeks = Array.from({ length: 12 }, (_, i) => i + 1);
const line = () =>
  lineChartSvg({
    title: 'Cumulative repeat transactions',
    subtitle: 'fixed example',
    xLabel: 'Week',
    yLabel: 'Transactions',
    x: weeks,
    series: [
      { name: 'Actual', values: weeks.map((w) => w * 10 + (w % 3)) },
      { name: 'Model', values: weeks.map((w) => w * 10.2), dashed: true },
    ],
    marker: { x: 6, label: 'calibration end' },
    width: 640,
    height: 400,
  });
const bars = () =>
  groupedBarChartSvg({
    title: 'Holdout by frequency',
    xLabel: 'x',
    yLabel: 'Mean',
    categories: ['0', '1', '2', '3+'],
    series: [
      { name: 'Actual', values: [0.24, 0.7, 1.39, null] },
      { name: 'Predicted', values: [0.23, 0.52, 1.04, 3.1] },
    ],
    width: 640,
    height: 400,
  });
const heat = () =>
  heatmapSvg({
    title: 'P(alive)',
    xLabel: 'Recency',
    yLabel: 'Frequency',
    xValues: [0, 1, 2, 3],
    yValues: [0, 1, 2],
    values: [
      [1, 1, 1, 1],
      [0.2, 0.4, 0.7, 0.9],
      [0.05, 0.2, 0.6, 0.95],
    ],
    min: 0,
    max: 1,
    valueLabel: 'P(alive)',
    width: 640,
    height: 400,
  });
const scatter = () =>
  scatterChartSvg({
    title: 'Per customer',
    xLabel: 'Predicted',
    yLabel: 'Actual',
    name: 'Customers',
    x: [0.1, 0.5, 1.2, 2.5, 3.1],
    y: [0, 1, 1, 3, 2],
    width: 640,
    height: 400,
  });

describe('SVG charts', () => {
  it.each([
    ['line-chart', line, ['Cumulative repeat transactions', 'Actual', 'Model', 'calibration end']],
    ['bar-chart', bars, ['Holdout by frequency', 'Actual', 'Predicted', '3+']],
    ['heatmap', heat, ['P(alive)', 'Recency', 'Frequency']],
    ['scatter-chart', scatter, ['Per customer', 'Customers', 'predicted = actual']],
  ] as const)('%s renders a well-formed, deterministic SVG', async (name, render, texts) => {
    const svg = render();
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('width="640" height="400"');
    for (const t of texts) expect(svg).toContain(t);
    checkWellFormed(svg);
    expect(svg).not.toMatch(/ecmeta_|zr\d+-/);
    // the same input gives the same bytes, whatever was rendered before
    line();
    expect(render()).toBe(svg);
    await expect(svg).toMatchFileSnapshot(`./__snapshots__/${name}.svg`);
  });

  it('draws lines as paths and the heatmap as one cell per value', () => {
    expect(line().match(/<path /g)!.length).toBeGreaterThan(2);
    const cells = heat().match(/<path d="M[\d.]+ [\d.]+l[\d.]+ 0l0 [\d.]+l-[\d.]+ 0Z" fill="rgb/g) ?? [];
    expect(cells).toHaveLength(12);
  });

  it('samples at most maxPoints points, evenly and deterministically', () => {
    expect(sampleIndices(3, 5)).toEqual([0, 1, 2]);
    expect(sampleIndices(10, 4)).toEqual([0, 2, 5, 7]);
    const n = 12_000;
    const svg = scatterChartSvg({
      title: 'Many',
      xLabel: 'p',
      yLabel: 'a',
      name: 'Customers',
      x: Float64Array.from({ length: n }, (_, i) => (i % 97) / 10),
      y: Float64Array.from({ length: n }, (_, i) => i % 7),
      maxPoints: 500,
    });
    expect(svg).toContain('500 of 12000 points shown');
  });

  it('renumbers ECharts ids in order of appearance', () => {
    expect(
      normalizeSvgIds('<g class="zr7-cls-12"/><g class="zr7-cls-3"/><g class="zr7-cls-12"/><p id="zr7-c0"/>'),
    ).toBe('<g class="chart-cls-0"/><g class="chart-cls-1"/><g class="chart-cls-0"/><p id="chart-c0"/>');
  });
});
