/**
 * A whole delimited text file (CSV, TSV, ...; gzip allowed) as a header and rows of strings, for the
 * analyses that take "any table with a header" (`retain churn train --table`, `retain survival km
 * --table`). DuckDB's CSV reader does the parsing (quotes, delimiters, line endings) in a private
 * in-memory database; every value stays text, so the caller decides what is numeric. Missing cells are ''.
 */
import { existsSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteString } from '../engine/sql.js';
import { UserError } from '../util/errors.js';

export interface TextTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export async function readTextTable(file: string): Promise<TextTable> {
  if (!existsSync(file)) throw new UserError(`${file}: no such file`);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT * FROM read_csv(${quoteString(file)}, header = true, all_varchar = true, auto_detect = true)`,
    );
    const header = reader.columnNames();
    const rows = reader.getRows().map((r) => r.map((v) => (v === null ? '' : String(v))));
    if (header.length < 2) throw new UserError(`${file}: expected a header line and at least two columns`);
    const seen = new Set<string>();
    for (const h of header) {
      if (seen.has(h)) throw new UserError(`${file}: column "${h}" appears twice in the header`);
      seen.add(h);
    }
    return { file, header, rows };
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${file}: cannot read as a delimited text table (${(error as Error).message})`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The index of a named column, or an error naming the file and the columns it has. */
export function columnIndex(table: TextTable, name: string, option: string): number {
  const i = table.header.indexOf(name);
  if (i < 0)
    throw new UserError(
      `${table.file}: no column "${name}" (${option}); columns: ${table.header.join(', ')}`,
    );
  return i;
}
