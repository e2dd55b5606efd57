/**
 * Checking and reading the cells of a `ReportDocument` the same way in every writer: the document is plain
 * data built by code, so a wrong cell (a string in a money column, an unparsable date) is a bug of the
 * report that built it; we say exactly where it is instead of writing a file that shows garbage.
 */
import type {
  ReportCell,
  ReportCellType,
  ReportColumn,
  ReportDocument,
  ReportTable,
} from './report-document.js';

const CELL_TYPES: readonly ReportCellType[] = ['text', 'integer', 'number', 'percent', 'money', 'date'];

/** `2025-01-31`, or an ISO timestamp `2025-01-31T12:00[:00[.000]][Z|+01:00]` (no zone = UTC). */
const DATE_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function isNumericType(type: ReportCellType): boolean {
  return type !== 'text' && type !== 'date';
}

/** A row's cell for a column; a missing key is an empty cell. */
export function cellOf(row: Readonly<Record<string, ReportCell>>, column: ReportColumn): ReportCell {
  return row[column.key] ?? null;
}

/**
 * A date cell as a `Date` (UTC), and whether it carries a time of day; null when the text is not an ISO
 * date or names a day that does not exist (2025-02-30).
 */
export function parseDateCell(value: string): { date: Date; hasTime: boolean } | null {
  const m = DATE_RE.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, zone] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (
    day.getUTCFullYear() !== Number(y) ||
    day.getUTCMonth() !== Number(mo) - 1 ||
    day.getUTCDate() !== Number(d)
  ) {
    return null;
  }
  if (h === undefined) return { date: day, hasTime: false };
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return null;
  const date = new Date(zone ? value.replace(' ', 'T') : `${value.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? null : { date, hasTime: true };
}

function cellProblem(value: ReportCell, type: ReportCellType, isTotals: boolean): string | null {
  if (value === null) return null;
  // a totals row names itself ('Total') in whatever its first column is
  if (isTotals && typeof value === 'string') return null;
  switch (type) {
    case 'text':
      return typeof value === 'string' || Number.isFinite(value) ? null : 'a string or finite number';
    case 'date':
      return typeof value === 'string' && parseDateCell(value)
        ? null
        : 'an ISO date (YYYY-MM-DD[THH:MM[:SS]])';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? null : 'an integer';
    default:
      // percent cells are fractions (0.125 = 12.5%), money is in the report's one currency
      return typeof value === 'number' && Number.isFinite(value) ? null : 'a finite number';
  }
}

function checkTable(table: ReportTable, where: string): void {
  if (table.columns.length === 0) throw new Error(`${where}: a table needs at least one column`);
  const keys = new Set<string>();
  for (const c of table.columns) {
    if (!CELL_TYPES.includes(c.type))
      throw new Error(`${where}: column "${c.key}" has unknown type "${c.type}"`);
    if (keys.has(c.key)) throw new Error(`${where}: column key "${c.key}" appears twice`);
    keys.add(c.key);
  }
  const check = (row: Readonly<Record<string, ReportCell>>, label: string, isTotals: boolean) => {
    for (const c of table.columns) {
      const value = cellOf(row, c);
      const expected = cellProblem(value, c.type, isTotals);
      if (expected) {
        throw new Error(
          `${where}, ${label}, column "${c.key}": expected ${expected}, got ${JSON.stringify(value)}`,
        );
      }
    }
  };
  table.rows.forEach((row, i) => check(row, `row ${i + 1}`, false));
  if (table.totals) check(table.totals, 'totals', true);
}

/** Throws an (internal) Error naming the section, row and column of the first malformed cell. */
export function validateReport(doc: ReportDocument): void {
  if (!doc.title.trim()) throw new Error(`report "${doc.name}": empty title`);
  doc.sections.forEach((s, i) => {
    if (s.table) checkTable(s.table, `report "${doc.name}", section ${i + 1} ("${s.heading}")`);
  });
}

const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const FIXED2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const PERCENT1 = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/**
 * A cell as people read it (PDF, column widths): integers `1,234`, numbers and money `1,234.50`, percent
 * fractions `12.3%`, dates `2025-01-31` (`2025-01-31 12:00` with a time, in UTC), null empty. The same
 * formats the XLSX writer gives Excel, so both files show the same figures.
 */
export function formatCell(value: ReportCell, type: ReportCellType): string {
  if (value === null) return '';
  if (typeof value === 'string') {
    if (type !== 'date') return value;
    const parsed = parseDateCell(value);
    if (!parsed) return value;
    const iso = parsed.date.toISOString();
    return parsed.hasTime ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
  }
  switch (type) {
    case 'integer':
      return INTEGER.format(value);
    case 'number':
    case 'money':
      return FIXED2.format(value);
    case 'percent':
      return PERCENT1.format(value);
    default:
      return String(value);
  }
}

/** The tables of a report with their section headings, in order (sections without a table are skipped). */
export function reportTables(doc: ReportDocument): { heading: string; table: ReportTable }[] {
  return doc.sections.flatMap((s) => (s.table ? [{ heading: s.heading, table: s.table }] : []));
}
