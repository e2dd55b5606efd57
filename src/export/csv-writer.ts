/**
 * A report as CSV: the figures for people who go on in a spreadsheet or a script. Values are raw (numbers
 * at full precision with a '.' decimal, percent as the fraction, dates as ISO text, null empty) so nothing
 * is lost to formatting; quoting and CRLF line ends follow RFC 4180. A CSV file holds one table: a report
 * with one table gives a plain CSV; with several, each table is preceded by a `# <heading>` line and tables
 * are separated by a blank line (pandas reads one with `comment='#'`; Excel shows the headings as rows).
 */
import { writeFile } from 'node:fs/promises';
import { cellOf, reportTables, validateReport } from './report-cells.js';
import type { ReportCell, ReportDocument, ReportTable } from './report-document.js';

export interface CsvOptions {
  /**
   * Start with a UTF-8 byte order mark: Excel on Windows then reads the file as UTF-8 (Chinese labels
   * stay readable) instead of the local code page. Default false (most tools take UTF-8 without it).
   */
  readonly bom?: boolean;
}

const EOL = '\r\n';
const BOM = '\uFEFF';

/** One field, quoted only when it must be (a comma, a quote or a line break), quotes doubled. */
export function csvField(value: ReportCell): string {
  if (value === null) return '';
  // String(number) is the shortest text that reads back as the same double ('0.1', '1e-7', '12345.678')
  const text = typeof value === 'number' ? String(value) : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A table as CSV lines: the header of labels, the rows, then the totals row if any; each line ends in CRLF. */
export function tableToCsv(table: ReportTable): string {
  const lines = [table.columns.map((c) => csvField(c.label)).join(',')];
  const rows = table.totals ? [...table.rows, table.totals] : table.rows;
  for (const row of rows) lines.push(table.columns.map((c) => csvField(cellOf(row, c))).join(','));
  return lines.map((l) => l + EOL).join('');
}

/** The tables of a report as CSV text (title, parameters, charts and notes belong to the PDF and XLSX). */
export function reportToCsv(doc: ReportDocument, options: CsvOptions = {}): string {
  validateReport(doc);
  const tables = reportTables(doc);
  const body =
    tables.length === 1
      ? tableToCsv(tables[0]!.table)
      : tables.map((t) => `# ${t.heading.replace(/[\r\n]+/g, ' ')}${EOL}${tableToCsv(t.table)}`).join(EOL);
  return (options.bom ? BOM : '') + body;
}

/** Write `reportToCsv` to a file, UTF-8. */
export async function writeCsv(doc: ReportDocument, file: string, options: CsvOptions = {}): Promise<void> {
  await writeFile(file, reportToCsv(doc, options), 'utf8');
}
