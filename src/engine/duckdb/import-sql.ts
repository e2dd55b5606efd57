/**
 * DuckDB SQL for validating and converting staged text columns, one field at a time. Every expression
 * reads the raw text `r_<field>` (trimmed, empty -> NULL) and yields the typed value `v_<field>` and an
 * error message `e_<field>` (NULL when fine).
 */
import type { FieldSpec } from '../../data/tables.js';
import { quoteIdent, quoteString } from '../sql.js';

const raw = (f: FieldSpec): string => quoteIdent(`r_${f.name}`);

/** Typed value of a field from its raw text; NULL when empty or unparsable. */
export function typedExpr(field: FieldSpec, datePatterns: readonly string[]): string {
  const r = raw(field);
  switch (field.type) {
    case 'id':
    case 'string':
      return r;
    case 'enum':
      return `lower(${r})`;
    case 'number':
      return `TRY_CAST(${r} AS DOUBLE)`;
    case 'integer':
      return `CASE WHEN TRY_CAST(${r} AS DOUBLE) = round(TRY_CAST(${r} AS DOUBLE)) THEN TRY_CAST(TRY_CAST(${r} AS DOUBLE) AS BIGINT) END`;
    case 'date':
      return `CAST(${timestampExpr(r, datePatterns)} AS DATE)`;
    case 'timestamp':
      return timestampExpr(r, datePatterns);
  }
}

function timestampExpr(r: string, patterns: readonly string[]): string {
  if (patterns.length > 0)
    return `coalesce(${patterns.map((p) => `TRY_STRPTIME(${r}, ${quoteString(p)})`).join(', ')})`;
  // ISO dates and timestamps (with or without zone: zoned values are converted to UTC), or YYYYMMDD.
  return `coalesce(TRY_CAST(${r} AS TIMESTAMP), CAST(TRY_CAST(${r} AS TIMESTAMPTZ) AS TIMESTAMP),
    CASE WHEN regexp_full_match(${r}, '[0-9]{8}') THEN TRY_STRPTIME(${r}, '%Y%m%d') END)`;
}

export interface CheckContext {
  readonly datePatterns: readonly string[];
  readonly dateFormatLabel: string;
  readonly allowFuture: boolean;
  /** ISO timestamp after which dates count as in the future. */
  readonly futureAfter: string;
}

/** Error message expression for a field (NULL when the value is fine). */
export function errorExpr(field: FieldSpec, ctx: CheckContext): string {
  const r = raw(field);
  const v = quoteIdent(`v_${field.name}`);
  const cases: string[] = [];
  if (field.required) cases.push(`WHEN ${r} IS NULL THEN ${quoteString(`missing ${field.name}`)}`);
  const bad = (msg: string): string => `WHEN ${r} IS NOT NULL AND ${v} IS NULL THEN ${quoteString(msg)}`;
  switch (field.type) {
    case 'number':
      cases.push(bad('not a number'));
      break;
    case 'integer':
      cases.push(bad('not a whole number'));
      break;
    case 'date':
    case 'timestamp':
      cases.push(bad(`not a date (expected ${ctx.dateFormatLabel})`));
      if (!ctx.allowFuture)
        cases.push(
          `WHEN ${v} > TIMESTAMP ${quoteString(ctx.futureAfter)} THEN ${quoteString('date is in the future (wrong --date-format? use --allow-future to accept)')}`,
        );
      break;
    case 'enum':
      cases.push(
        `WHEN ${r} IS NOT NULL AND ${v} NOT IN (${(field.values ?? []).map(quoteString).join(', ')}) THEN ${quoteString(`must be one of ${(field.values ?? []).join(', ')}`)}`,
      );
      break;
    default:
      break;
  }
  return cases.length === 0 ? 'NULL' : `CASE ${cases.join(' ')} END`;
}
