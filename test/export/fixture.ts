// A report like the product's: a chart section and a table with every column type, Chinese text, a null,
// a value with a comma and a quote, and a totals row. Shared by the writer tests.
import { groupedBarChartSvg } from '../../src/charts/bar-chart.js';
import type { ReportDocument, ReportTable } from '../../src/export/report-document.js';

export const CHART_TITLE = 'Churners by tenure band';

export const reasonsTable: ReportTable = {
  columns: [
    { key: 'reason', label: 'Reason', type: 'text' },
    { key: 'customers', label: 'Customers', type: 'integer' },
    { key: 'share', label: 'Share', type: 'percent' },
    { key: 'revenue', label: 'Lost revenue', type: 'money' },
    { key: 'first', label: 'First seen', type: 'date' },
  ],
  rows: [
    { reason: '价格', customers: 1234, share: 0.4567, revenue: 98765.4321, first: '2024-03-05' },
    { reason: 'Service, "slow"', customers: 56, share: 0.125, revenue: 1500, first: null },
    { reason: 'Moved away', customers: 7, share: 0.0005, revenue: null, first: '2024-12-31' },
  ],
  totals: { reason: 'Total', customers: 1297, share: 0.5822, revenue: 100265.4321, first: null },
};

export function sampleReport(): ReportDocument {
  return {
    name: 'churn-reasons',
    title: 'Churn reasons',
    subtitle: 'Why customers left, 2024',
    parameters: [
      ['from', '2024-01'],
      ['to', '2024-12'],
      ['workspace', 'retain.duckdb'],
    ],
    createdAt: '2025-02-01T09:30:00Z',
    sections: [
      {
        heading: 'Churn by tenure',
        chartSvg: groupedBarChartSvg({
          title: CHART_TITLE,
          xLabel: 'Tenure',
          yLabel: 'Churners',
          categories: ['<1y', '1-2y', '2y+'],
          series: [
            { name: 'Voluntary', values: [120, 80, 40] },
            { name: 'Involuntary', values: [30, 20, null] },
          ],
          width: 640,
          height: 360,
        }),
        notes: ['Tenure at the churn date.'],
      },
      {
        heading: 'Reasons: top/all [2024]',
        table: reasonsTable,
        notes: ['Share of all churners; one customer may give several reasons.'],
      },
    ],
  };
}

/** A report whose one table has `n` rows (ids 1..n), to check paging. */
export function longReport(n: number): ReportDocument {
  return {
    name: 'churners',
    title: 'Churners',
    parameters: [],
    createdAt: '2025-02-01T09:30:00Z',
    sections: [
      {
        heading: 'All churners',
        table: {
          columns: [
            { key: 'id', label: 'Customer', type: 'text' },
            { key: 'clv', label: 'CLV', type: 'money' },
          ],
          rows: Array.from({ length: n }, (_, i) => ({
            id: `C${String(i + 1).padStart(4, '0')}`,
            clv: (i + 1) * 1000.5,
          })),
        },
      },
    ],
  };
}
