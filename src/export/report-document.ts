/**
 * A report as plain data, independent of its output format: a title, the parameters it was run with,
 * and sections of tables, charts (SVG text) and notes. Every report (churn flow, reasons, churners...)
 * builds one; the writers turn it into CSV, XLSX or a printable PDF, and the dashboard renders the same.
 */

export type ReportCellType = 'text' | 'integer' | 'number' | 'percent' | 'money' | 'date';

export interface ReportColumn {
  /** Key of the value in each row. */
  readonly key: string;
  /** Header shown to people. */
  readonly label: string;
  readonly type: ReportCellType;
}

export type ReportCell = string | number | null;

export interface ReportTable {
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly Readonly<Record<string, ReportCell>>[];
  /** An optional last row (totals), shown apart. */
  readonly totals?: Readonly<Record<string, ReportCell>>;
}

export interface ReportSection {
  readonly heading: string;
  readonly table?: ReportTable;
  /** A chart as an SVG document (from src/charts). */
  readonly chartSvg?: string;
  readonly notes?: readonly string[];
}

export interface ReportDocument {
  /** Short machine name, e.g. `churn-flow` (file names, sheet names). */
  readonly name: string;
  readonly title: string;
  readonly subtitle?: string;
  /** What the report was run with and on, e.g. [['from', '2025-01'], ['workspace', 'retain.duckdb']]. */
  readonly parameters: readonly (readonly [string, string])[];
  readonly sections: readonly ReportSection[];
  /** When the report was made (ISO timestamp); writers print it. */
  readonly createdAt: string;
}

export const REPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
