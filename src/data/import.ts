import { resolve } from 'node:path';
import type { Engine } from '../engine/engine.js';
import { silentProgress, type ProgressReporter } from '../util/progress.js';
import { UserError } from '../util/errors.js';
import { datePatterns } from './date-format.js';
import type { ImportOptions, ImportRequest, ImportResult } from './import-types.js';
import { detectSource, parseDelimiter } from './source.js';
import { IMPORT_TABLES, isImportTable } from './tables.js';

/** Check the options and fill in what can be detected from the file. */
export function normalizeImportRequest(options: ImportOptions): ImportRequest {
  if (!isImportTable(options.table))
    throw new UserError(`unknown table "${String(options.table)}" (tables: ${IMPORT_TABLES.join(', ')})`);
  const file = resolve(options.file);
  const source = detectSource(file, options.format);
  let delimiter = parseDelimiter(options.delimiter);
  const format = source.format;
  if (format === 'csv' && delimiter === 'auto' && /\.(tsv|tab)(\.gz)?$/i.test(file)) delimiter = '\t';
  return {
    table: options.table,
    file,
    format,
    compression: source.compression,
    delimiter,
    header: options.header ?? true,
    map: options.map ?? {},
    datePatterns: datePatterns(options.dateFormat),
    skipInvalid: options.skipInvalid ?? false,
    rejectsFile: resolve(options.rejectsFile ?? `${file.replace(/\.gz$/i, '')}.rejected.csv`),
    allowFuture: options.allowFuture ?? false,
    now: options.now ?? new Date(),
    sizeBytes: source.sizeBytes,
  };
}

/**
 * Import one file into a workspace table, all-or-nothing: any invalid row rejects the whole file with
 * errors naming file, line, column and value (unless `skipInvalid`), and re-importing adds nothing.
 *
 * @example await importFile(engine, { table: 'transactions', file: 'orders.csv' })
 */
export async function importFile(
  engine: Engine,
  options: ImportOptions,
  progress: ProgressReporter = silentProgress,
): Promise<ImportResult> {
  return await engine.importFile(normalizeImportRequest(options), progress);
}
