import { UserError } from '../util/errors.js';
import type { TableSpec } from './tables.js';

export interface ColumnMapping {
  /** field -> 0-based source column index */
  readonly fieldColumns: Readonly<Record<string, number>>;
  /** source columns kept as JSON attributes (tables that keep extras) */
  readonly attributeColumns: readonly number[];
  /** source columns dropped */
  readonly ignoredColumns: readonly string[];
}

const normalize = (name: string): string => name.toLowerCase().replace(/[\s_\-.]/g, '');

/**
 * Decide which source column feeds which field: explicit `--map` entries first (by name or 1-based
 * position), then header names matching a field or one of its aliases.
 */
export function resolveMapping(
  file: string,
  spec: TableSpec,
  sourceColumns: readonly string[],
  userMap: Readonly<Record<string, string | number>>,
  header: boolean,
): ColumnMapping {
  const fieldColumns: Record<string, number> = {};
  const used = new Set<number>();
  const fieldNames = spec.fields.map((f) => f.name);
  for (const [field, source] of Object.entries(userMap)) {
    if (!fieldNames.includes(field))
      throw new UserError(
        `--map ${field}=...: "${field}" is not a field of ${spec.name} (fields: ${fieldNames.join(', ')})`,
      );
    let index: number;
    if (typeof source === 'number') {
      if (!Number.isInteger(source) || source < 1 || source > sourceColumns.length)
        throw new UserError(
          `--map ${field}=${source}: ${file} has ${sourceColumns.length} column(s); positions count from 1`,
        );
      index = source - 1;
    } else {
      index = sourceColumns.indexOf(source);
      if (index < 0) index = sourceColumns.findIndex((c) => normalize(c) === normalize(source));
      if (index < 0)
        throw new UserError(
          `--map ${field}=${source}: ${file} has no column "${source}" (columns: ${sourceColumns.join(', ')})`,
        );
    }
    fieldColumns[field] = index;
    used.add(index);
  }
  if (header) {
    for (const field of spec.fields) {
      if (field.name in fieldColumns) continue;
      const names = [field.name, ...(field.aliases ?? [])].map(normalize);
      for (const name of names) {
        const index = sourceColumns.findIndex((c, i) => !used.has(i) && normalize(c) === name);
        if (index >= 0) {
          fieldColumns[field.name] = index;
          used.add(index);
          break;
        }
      }
    }
  }
  const missing = spec.fields.filter((f) => f.required && !(f.name in fieldColumns)).map((f) => f.name);
  if (missing.length > 0) {
    const hint = header
      ? `columns found: ${sourceColumns.map((c) => JSON.stringify(c)).join(', ')}`
      : 'the file has no header, so map every field by position';
    const delimiterHint =
      header && sourceColumns.length === 1 && /[,;\t|]/.test(sourceColumns[0] ?? '')
        ? '; only one column was found: is --delimiter right?'
        : '';
    throw new UserError(
      `${file}: no column for required field(s) ${missing.join(', ')} of ${spec.name} (${hint}${delimiterHint}); map them with --map ${missing[0]}=COLUMN`,
    );
  }
  const rest = sourceColumns.map((_, i) => i).filter((i) => !used.has(i));
  return spec.keepsExtraColumnsAsAttributes
    ? { fieldColumns, attributeColumns: rest, ignoredColumns: [] }
    : { fieldColumns, attributeColumns: [], ignoredColumns: rest.map((i) => sourceColumns[i]!) };
}

/** Parse `--map a=b,c=3` (repeatable) into field -> name or 1-based position. */
export function parseMapOption(values: readonly string[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const value of values) {
    for (const part of value.split(',')) {
      if (part.trim() === '') continue;
      const eq = part.indexOf('=');
      if (eq <= 0 || eq === part.length - 1)
        throw new UserError(
          `--map ${JSON.stringify(part)}: expected field=column (a name or a 1-based position)`,
        );
      const field = part.slice(0, eq).trim();
      const source = part.slice(eq + 1).trim();
      out[field] = /^\d+$/.test(source) ? Number(source) : source;
    }
  }
  return out;
}
