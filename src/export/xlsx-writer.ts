/**
 * A report as an Excel workbook (exceljs): a first "Report" sheet with the title, parameters, created time,
 * contents and notes, then one sheet per table with real numbers and dates (so people can sum and filter),
 * number formats by column type, a bold frozen header and a bold totals row.
 *
 * Charts are not embedded: Excel takes pictures as PNG, and turning our SVG charts into PNG needs a browser,
 * a native module or a WASM renderer fed with fonts; the Report sheet points to the PDF instead.
 */
import { writeFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { cellOf, formatCell, parseDateCell, reportTables, validateReport } from './report-cells.js';
import type { ReportCell, ReportCellType, ReportDocument, ReportTable } from './report-document.js';
import { uniqueSheetName } from './sheet-names.js';

export const REPORT_SHEET = 'Report';

/** Excel number formats by column type; percent cells hold fractions (0.125 shows as 12.5%). */
export const XLSX_NUMBER_FORMATS: Readonly<Record<Exclude<ReportCellType, 'text'>, string>> = {
  integer: '#,##0',
  number: '#,##0.00',
  percent: '0.0%',
  money: '#,##0.00',
  date: 'yyyy-mm-dd',
};
const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm';

const MIN_WIDTH = 6;
const MAX_WIDTH = 60;
/** Rows looked at to fit column widths: enough to be right, bounded for 100,000-row tables. */
const WIDTH_SAMPLE = 2000;

/** Width of a text in Excel's character units: East Asian wide characters take two. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
      ch,
    )
      ? 2
      : 1;
  return w;
}

/** A cell's value for exceljs and its number format (undefined: General). */
function xlsxValue(value: ReportCell, type: ReportCellType): { value: ExcelJS.CellValue; numFmt?: string } {
  if (value === null) return { value: null };
  if (type === 'text') return { value: String(value) };
  if (type === 'date' && typeof value === 'string') {
    const parsed = parseDateCell(value);
    // validated before: only a totals label is not a date here
    if (parsed)
      return { value: parsed.date, numFmt: parsed.hasTime ? DATE_TIME_FORMAT : XLSX_NUMBER_FORMATS.date };
  }
  if (typeof value === 'string') return { value };
  return { value, numFmt: XLSX_NUMBER_FORMATS[type] };
}

function addTableSheet(wb: ExcelJS.Workbook, name: string, table: ReportTable): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = ws.addRow(table.columns.map((c) => c.label));
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  const widths = table.columns.map((c) => displayWidth(c.label));
  const write = (row: Readonly<Record<string, ReportCell>>, sample: boolean) => {
    const added = ws.addRow([]);
    table.columns.forEach((c, i) => {
      const raw = cellOf(row, c);
      const { value, numFmt } = xlsxValue(raw, c.type);
      const cell = added.getCell(i + 1);
      cell.value = value;
      if (numFmt) cell.numFmt = numFmt;
      if (c.type !== 'text') cell.alignment = { horizontal: 'right' };
      if (sample) widths[i] = Math.max(widths[i]!, displayWidth(formatCell(raw, c.type)));
    });
    return added;
  };
  table.rows.forEach((row, i) => write(row, i < WIDTH_SAMPLE));
  if (table.rows.length > 0) {
    ws.autoFilter = {
      from: { row: 1, column: 1 },
      to: { row: 1 + table.rows.length, column: table.columns.length },
    };
  }
  if (table.totals) {
    const totals = write(table.totals, true);
    totals.font = { bold: true };
    totals.eachCell({ includeEmpty: true }, (cell) => (cell.border = { top: { style: 'thin' } }));
  }
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w + 2))));
}

function addReportSheet(wb: ExcelJS.Workbook, doc: ReportDocument, contents: [string, string][]): void {
  const ws = wb.addWorksheet(REPORT_SHEET);
  ws.getColumn(1).width = 28;
  ws.getColumn(2).width = 70;
  const title = ws.addRow([doc.title]);
  title.font = { bold: true, size: 16 };
  if (doc.subtitle) ws.addRow([doc.subtitle]).font = { italic: true, color: { argb: 'FF666666' } };
  const block = (heading: string, rows: readonly (readonly [string, string])[]) => {
    if (rows.length === 0) return;
    ws.addRow([]);
    ws.addRow([heading]).font = { bold: true };
    for (const [k, v] of rows) ws.addRow([k, v]);
  };
  block('Parameters', doc.parameters);
  block('Created', [['created', doc.createdAt]]);
  block('Contents', contents);
  if (doc.sections.some((s) => s.chartSvg)) block('Charts', [['charts', 'see the PDF']]);
  const notes = doc.sections.filter((s) => s.notes && s.notes.length > 0);
  if (notes.length > 0) {
    ws.addRow([]);
    ws.addRow(['Notes']).font = { bold: true };
    for (const s of notes) {
      for (const note of s.notes!) {
        const row = ws.addRow([s.heading, note]);
        row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
        row.getCell(1).alignment = { vertical: 'top' };
      }
    }
  }
}

/** The workbook as the bytes of an .xlsx file. */
export async function reportToXlsx(doc: ReportDocument): Promise<Buffer> {
  validateReport(doc);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Retain';
  wb.title = doc.title;
  const created = new Date(doc.createdAt);
  if (!Number.isNaN(created.getTime())) wb.created = wb.modified = created;
  const taken = new Set([REPORT_SHEET.toLowerCase()]);
  const tables = reportTables(doc).map((t, i) => ({
    ...t,
    sheet: uniqueSheetName(t.heading, taken, `Table ${i + 1}`),
  }));
  addReportSheet(
    wb,
    doc,
    tables.map((t) => [t.heading, `sheet "${t.sheet}"`]),
  );
  for (const t of tables) addTableSheet(wb, t.sheet, t.table);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Write `reportToXlsx` to a file. */
export async function writeXlsx(doc: ReportDocument, file: string): Promise<void> {
  await writeFile(file, await reportToXlsx(doc));
}
