/**
 * Import into DuckDB: stage the file as text with DuckDB's own readers, validate and convert in SQL, then
 * load all-or-nothing in one transaction. Keys make re-imports add nothing: a row's natural id when it has
 * one, else a content hash plus the occurrence number of that content within the file (identical rows in
 * one file are distinct transactions; the same file imported again yields the same keys).
 */
import { writeFile } from 'node:fs/promises';
import { csvRowLines } from '../../data/line-map.js';
import { resolveMapping, type ColumnMapping } from '../../data/mapping.js';
import { firstLine, readHead, sniffDelimiter, splitCsvLine } from '../../data/source.js';
import { TABLE_SPECS, type FieldSpec } from '../../data/tables.js';
import type { ImportRequest, ImportResult } from '../../data/import-types.js';
import { ImportRejectedError, UserError, type InputIssue } from '../../util/errors.js';
import type { ProgressReporter } from '../../util/progress.js';
import { quoteIdent, quoteString } from '../sql.js';
import type { DuckDbEngine } from './duckdb-engine.js';
import { errorExpr, typedExpr } from './import-sql.js';

const STAGE = 'retain_stage';
const TYPED = 'retain_typed';
const READY = 'retain_ready';
const REJECTS = 'retain_rejects';
const REJECT_SCANS = 'retain_reject_scans';

interface Staged {
  readonly sourceColumns: readonly string[];
  readonly mode: 'csv' | 'lines' | 'records';
  readonly delimiter: string;
  readonly readerIssues: readonly (InputIssue & { record: string | null })[];
}

export async function importIntoDuckDb(
  engine: DuckDbEngine,
  req: ImportRequest,
  progress: ProgressReporter,
): Promise<ImportResult> {
  const started = Date.now();
  const spec = TABLE_SPECS[req.table];
  try {
    const staged = await stage(engine, req, progress);
    const mapping = resolveMapping(req.file, spec, staged.sourceColumns, req.map, req.header);
    const rowsRead = Number((await engine.query(`SELECT count(*) AS n FROM ${STAGE} WHERE NOT skip`))[0]!.n);
    if (rowsRead === 0 && staged.readerIssues.length === 0)
      throw new UserError(`${req.file}: the file holds no data rows${req.header ? ' (only a header)' : ''}`);
    progress({ phase: 'validating', done: 0, total: rowsRead, unit: 'rows' });
    const fields = spec.fields.filter((f) => f.name in mapping.fieldColumns);
    await buildTyped(engine, req, fields, mapping, staged);
    let valueIssues = await collectIssues(engine, fields, staged, MAX_LISTED);
    const totalIssues = valueIssues.count + staged.readerIssues.length;
    progress({ phase: 'validating', done: rowsRead, total: rowsRead, unit: 'rows' });
    let rejected = 0;
    if (totalIssues > 0) {
      const located = await locate(req, staged, valueIssues.issues);
      if (!req.skipInvalid) {
        throw new ImportRejectedError(
          located,
          totalIssues,
          `Fix the file, or load the valid rows with --skip-invalid (rejected rows are written to ${req.rejectsFile}).`,
        );
      }
      if (valueIssues.count > valueIssues.issues.length)
        valueIssues = await collectIssues(engine, fields, staged, null);
      rejected = await writeRejects(engine, req, staged, await locate(req, staged, valueIssues.issues));
    }
    progress({ phase: 'loading', done: 0, total: rowsRead - rejected, unit: 'rows' });
    const loaded = await load(engine, req, fields, mapping, staged, rowsRead, rejected);
    progress({ phase: 'loading', done: rowsRead - rejected, total: rowsRead - rejected, unit: 'rows' });
    const warnings: string[] = [];
    if (mapping.ignoredColumns.length > 0)
      warnings.push(`columns not used (no matching field): ${mapping.ignoredColumns.join(', ')}`);
    if (loaded.stubCustomers > 0)
      warnings.push(
        `${loaded.stubCustomers} customer id(s) were not in customers; stub customers were created`,
      );
    if (loaded.returns > 0)
      warnings.push(`${loaded.returns} row(s) with a negative amount were loaded as returns`);
    if (loaded.zeroAmounts > 0) warnings.push(`${loaded.zeroAmounts} row(s) have a zero amount`);
    if (rejected > 0)
      warnings.push(`${rejected} invalid row(s) were skipped and written to ${req.rejectsFile}`);
    return {
      table: req.table,
      file: req.file,
      format: staged.mode === 'lines' ? 'whitespace' : req.format,
      mapping: Object.fromEntries(
        Object.entries(mapping.fieldColumns).map(([f, i]) => [
          f,
          staged.sourceColumns[i] ?? `column${i + 1}`,
        ]),
      ),
      attributeColumns: mapping.attributeColumns.map((i) => staged.sourceColumns[i]!),
      ignoredColumns: mapping.ignoredColumns,
      rowsRead: rowsRead + staged.readerIssues.length,
      inserted: loaded.inserted,
      updated: loaded.updated,
      duplicates: loaded.duplicates,
      rejected,
      rejectsFile: rejected > 0 ? req.rejectsFile : null,
      stubCustomers: loaded.stubCustomers,
      returns: loaded.returns,
      zeroAmounts: loaded.zeroAmounts,
      seconds: (Date.now() - started) / 1000,
      warnings,
    };
  } finally {
    for (const t of [STAGE, TYPED, READY, REJECTS, REJECT_SCANS])
      await engine.run(`DROP TABLE IF EXISTS ${t}`);
  }
}

/** Read the file into the temp table STAGE: text columns c0..cN plus `skip` (blank lines), in file order. */
async function stage(engine: DuckDbEngine, req: ImportRequest, progress: ProgressReporter): Promise<Staged> {
  const path = quoteString(req.file);
  const compression = quoteString(req.compression === 'gzip' ? 'gzip' : 'none');
  for (const t of [STAGE, REJECTS, REJECT_SCANS]) await engine.run(`DROP TABLE IF EXISTS ${t}`);
  if (req.format === 'csv') {
    const head = await readHead(req.file, req.compression);
    const line = firstLine(req.file, head);
    const delimiter = req.delimiter === 'auto' ? sniffDelimiter(line) : req.delimiter;
    const cells = splitCsvLine(line, delimiter);
    const sourceColumns = req.header ? uniqueNames(cells) : cells.map((_, i) => `column${i + 1}`);
    const estimate = estimateRows(head, req.sizeBytes, req.compression);
    if (delimiter === 'whitespace') {
      await withProgress(req.file, engine, estimate, progress, () =>
        engine.run(`CREATE TEMP TABLE ${STAGE} AS
          SELECT ${sourceColumns.map((_, i) => `parts[${i + 1}] AS c${i}`).join(', ')},
                 (line IS NULL OR trim(line) = '') AS skip, len(parts) AS ncols
          FROM (SELECT line, regexp_split_to_array(trim(line), '\\s+') AS parts
                FROM read_csv(${path}, auto_detect = false, header = ${req.header}, delim = ${quoteString('\x1f')},
                  quote = '', escape = '', columns = {'line': 'VARCHAR'}, compression = ${compression}))`),
      );
      return { sourceColumns, mode: 'lines', delimiter, readerIssues: [] };
    }
    const columns = sourceColumns.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
    await withProgress(req.file, engine, estimate, progress, () =>
      engine.run(`CREATE TEMP TABLE ${STAGE} AS SELECT *, false AS skip
        FROM read_csv(${path}, auto_detect = false, header = ${req.header}, delim = ${quoteString(delimiter)},
          quote = '"', escape = '"', columns = {${columns}}, strict_mode = true, compression = ${compression},
          store_rejects = true, rejects_table = '${REJECTS}', rejects_scan = '${REJECT_SCANS}')`),
    );
    const rejects = await engine.query(
      `SELECT line, column_name, error_type, csv_line, error_message FROM ${REJECTS} ORDER BY line`,
    );
    const readerIssues = rejects.map((r) => ({
      file: req.file,
      line: Number(r.line),
      column: r.column_name === null ? null : (sourceColumns[Number(String(r.column_name).slice(1))] ?? null),
      value: null,
      message: readerMessage(String(r.error_type), String(r.error_message), sourceColumns.length),
      record: (r.csv_line as string | null) ?? null,
    }));
    return { sourceColumns, mode: 'csv', delimiter, readerIssues };
  }
  const reader =
    req.format === 'parquet'
      ? `read_parquet(${path})`
      : `read_json(${path}, format = '${req.format === 'ndjson' ? 'newline_delimited' : 'array'}')`;
  let sourceColumns: string[];
  try {
    const described = await engine.query(`DESCRIBE SELECT * FROM ${reader}`);
    sourceColumns = described.map((d) => String(d.column_name));
    await engine.run(`CREATE TEMP TABLE ${STAGE} AS SELECT
      ${sourceColumns.map((c, i) => `CAST(${quoteIdent(c)} AS VARCHAR) AS c${i}`).join(', ')}, false AS skip FROM ${reader}`);
  } catch (error) {
    throw new UserError(
      `${req.file}: cannot read as ${req.format}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  return { sourceColumns, mode: 'records', delimiter: '', readerIssues: [] };
}

function uniqueNames(cells: readonly string[]): string[] {
  const seen = new Set<string>();
  return cells.map((c, i) => {
    let name = c === '' ? `column${i + 1}` : c;
    while (seen.has(name)) name = `${name}_${i + 1}`;
    seen.add(name);
    return name;
  });
}

function readerMessage(type: string, message: string, expected: number): string {
  if (type === 'INVALID ENCODING')
    return 'the file is not UTF-8 text here (convert it, e.g. with iconv -t UTF-8)';
  if (type === 'MISSING COLUMNS' || type === 'TOO MANY COLUMNS')
    return `${message.replace(/^Expected Number of Columns: (\d+) Found: (\d+).*$/s, 'expected $1 columns, found $2')}${
      type === 'MISSING COLUMNS' ? ' (truncated line?)' : ''
    }`.replace(/^(?!expected)/, `expected ${expected} columns: `);
  return message.split('\n')[0] ?? type;
}

function estimateRows(head: Buffer, size: number, compression: 'none' | 'gzip'): number {
  let lines = 0;
  for (const b of head) if (b === 0x0a) lines++;
  const perLine = head.length / Math.max(lines, 1);
  // gzip text usually shrinks 4-6x; the bar then is only a guide, and the final count is exact.
  return Math.max(1, Math.round((size * (compression === 'gzip' ? 5 : 1)) / perLine));
}

/** Run a statement while drawing DuckDB's own query progress as rows. */
async function withProgress(
  file: string,
  engine: DuckDbEngine,
  estimate: number,
  progress: ProgressReporter,
  work: () => Promise<void>,
): Promise<void> {
  progress({ phase: 'reading', done: 0, total: estimate, unit: 'rows' });
  const timer = setInterval(() => {
    const pct = engine.connection.progress.percentage;
    if (pct > 0)
      progress({ phase: 'reading', done: Math.round((pct / 100) * estimate), total: estimate, unit: 'rows' });
  }, 200);
  try {
    await work();
  } catch (error) {
    throw new UserError(`${file}: cannot read the file: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    clearInterval(timer);
  }
  const [r] = await engine.query(`SELECT count(*) AS n FROM ${STAGE}`);
  progress({ phase: 'reading', done: Number(r!.n), total: Number(r!.n), unit: 'rows' });
}

/** TYPED: per field raw text r_, typed value v_ and error e_, plus table-level checks, keyed by rid. */
async function buildTyped(
  engine: DuckDbEngine,
  req: ImportRequest,
  fields: readonly FieldSpec[],
  mapping: ColumnMapping,
  staged: Staged,
): Promise<void> {
  const ctx = {
    datePatterns: req.datePatterns,
    dateFormatLabel: req.datePatterns.length > 0 ? req.datePatterns.join(' or ') : 'an ISO date or YYYYMMDD',
    allowFuture: req.allowFuture,
    futureAfter: new Date(req.now.getTime() + 86_400_000).toISOString().replace('T', ' ').replace('Z', ''),
  };
  const rawCols = fields.map(
    (f) => `nullif(trim(c${mapping.fieldColumns[f.name]}), '') AS ${quoteIdent(`r_${f.name}`)}`,
  );
  const attrs =
    mapping.attributeColumns.length > 0
      ? `, json_object(${mapping.attributeColumns
          .map((i) => `${quoteString(staged.sourceColumns[i]!)}, nullif(trim(c${i}), '')`)
          .join(', ')}) AS attributes`
      : '';
  const ncolsCheck =
    staged.mode === 'lines'
      ? `CASE WHEN ncols <> ${staged.sourceColumns.length} THEN 'expected ${staged.sourceColumns.length} columns, found ' || ncols END`
      : 'NULL';
  const typedCols = fields.map((f) => `${typedExpr(f, req.datePatterns)} AS ${quoteIdent(`v_${f.name}`)}`);
  const errCols = fields.map((f) => `${errorExpr(f, ctx)} AS ${quoteIdent(`e_${f.name}`)}`);
  const rowChecks = tableChecks(req, fields);
  await engine.run(`CREATE TEMP TABLE ${TYPED} AS
    WITH raw AS (SELECT rowid AS rid, ${ncolsCheck} AS e__row, ${rawCols.join(', ')}${attrs} FROM ${STAGE} WHERE NOT skip),
    val AS (SELECT *, ${typedCols.join(', ')} FROM raw),
    err AS (SELECT *, ${errCols.join(', ')} FROM val)
    SELECT *, ${rowChecks} AS e__table FROM err`);
}

/** Checks across fields or tables: within-file duplicate ids, end before start, unknown codes. */
function tableChecks(req: ImportRequest, fields: readonly FieldSpec[]): string {
  const has = (name: string): boolean => fields.some((f) => f.name === name);
  const cases: string[] = [];
  const key = TABLE_SPECS[req.table].naturalKey;
  if (key && has(key))
    cases.push(
      `WHEN v_${key} IS NOT NULL AND count(*) OVER (PARTITION BY v_${key}) > 1 AND rid <> min(rid) OVER (PARTITION BY v_${key}) THEN 'duplicate ${key} ' || v_${key} || ' (an earlier row of this file has it)'`,
    );
  if (has('start_date') && has('end_date'))
    cases.push(`WHEN v_end_date < v_start_date THEN 'end_date is before start_date'`);
  if (req.table === 'churn_events' && has('reason_code'))
    cases.push(
      `WHEN v_reason_code IS NOT NULL AND v_reason_code NOT IN (SELECT code FROM reason_codes) THEN 'unknown reason code ' || v_reason_code || ' (known: ' || (SELECT string_agg(code, ', ' ORDER BY code) FROM reason_codes) || ')'`,
    );
  if (req.table === 'contacts')
    cases.push(
      `WHEN v_campaign_id IS NOT NULL AND v_campaign_id NOT IN (SELECT campaign_id FROM campaigns) THEN 'unknown campaign ' || v_campaign_id || ' (import campaigns first)'`,
    );
  return cases.length === 0 ? 'NULL' : `CASE ${cases.join(' ')} END`;
}

interface ValueIssue {
  readonly rid: number;
  readonly column: string;
  readonly value: string | null;
  readonly message: string;
  readonly record: string;
}

/** How many problems a rejected import lists (the count is always exact). */
const MAX_LISTED = 1000;

/** Every value and row problem in TYPED, with the source record as text; `limit` null lists all. */
async function collectIssues(
  engine: DuckDbEngine,
  fields: readonly FieldSpec[],
  staged: Staged,
  limit: number | null,
): Promise<{ issues: ValueIssue[]; count: number }> {
  const parts = [
    `SELECT rid, '' AS col, NULL AS value, e__row AS message FROM ${TYPED} WHERE e__row IS NOT NULL`,
    `SELECT rid, '' AS col, NULL AS value, e__table AS message FROM ${TYPED} WHERE e__table IS NOT NULL`,
    ...fields.map(
      (f) =>
        `SELECT rid, ${quoteString(f.name)} AS col, ${quoteIdent(`r_${f.name}`)} AS value, ${quoteIdent(`e_${f.name}`)} AS message FROM ${TYPED} WHERE ${quoteIdent(`e_${f.name}`)} IS NOT NULL`,
    ),
  ];
  const all = parts.join(' UNION ALL ');
  // One scan answers the common case (no problem at all) before the per-field union runs.
  const errorColumns = ['e__row', 'e__table', ...fields.map((f) => `e_${f.name}`)];
  const [any] = await engine.query(
    `SELECT count(*) AS n FROM ${TYPED} WHERE ${errorColumns.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' OR ')}`,
  );
  if (Number(any!.n) === 0) return { count: 0, issues: [] };
  const [c] = await engine.query(`SELECT count(*) AS n FROM (${all})`);
  const sep = quoteString(staged.mode === 'csv' ? staged.delimiter : ' ');
  const record = `concat_ws(${sep}, ${staged.sourceColumns.map((_, i) => `coalesce(s.c${i}, '')`).join(', ')})`;
  const rows = await engine.query(
    `SELECT e.*, ${record} AS record FROM (${all}) e JOIN (SELECT rowid AS rid, * FROM ${STAGE}) s USING (rid)
     ORDER BY rid, col ${limit === null ? '' : `LIMIT ${limit}`}`,
  );
  return {
    count: Number(c!.n),
    issues: rows.map((r) => ({
      rid: Number(r.rid),
      column: String(r.col),
      value: (r.value as string | null) ?? null,
      message: String(r.message),
      record: String(r.record ?? ''),
    })),
  };
}

/** Attach line numbers and source column names; reader issues and value issues in line order. */
async function locate(req: ImportRequest, staged: Staged, issues: readonly ValueIssue[]): Promise<Located[]> {
  let lines: Map<number, number>;
  if (staged.mode === 'csv') {
    const rejected = new Set(staged.readerIssues.map((i) => i.line ?? -1));
    lines = await csvRowLines(
      req.file,
      req.compression,
      req.header,
      rejected,
      issues.map((i) => i.rid),
    );
  } else {
    const offset = staged.mode === 'lines' && req.header ? 2 : 1;
    lines = new Map(issues.map((i) => [i.rid, i.rid + offset]));
  }
  const located = [
    ...staged.readerIssues.map((i) => ({ ...i, rid: null })),
    ...issues.map((i) => ({
      file: req.file,
      line: lines.get(i.rid) ?? null,
      column: i.column === '' ? null : i.column,
      value: i.value,
      message: i.message,
      rid: i.rid,
      record: i.record,
    })),
  ];
  return located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

type Located = InputIssue & { rid: number | null; record: string | null };

/** Write every problem (one line each, with the source record) and drop the bad rows from TYPED. */
async function writeRejects(
  engine: DuckDbEngine,
  req: ImportRequest,
  staged: Staged,
  located: readonly Located[],
): Promise<number> {
  const header = 'line,column,value,reason,record\n';
  const body = located
    .map((i) => [i.line, i.column, i.value, i.message, i.record].map(csvCell).join(','))
    .join('\n');
  await writeFile(req.rejectsFile, header + body + '\n');
  const columns = (await engine.query(`DESCRIBE ${TYPED}`)).map((c) => String(c.column_name));
  const bad = columns
    .filter((c) => c.startsWith('e_'))
    .map((c) => `${quoteIdent(c)} IS NOT NULL`)
    .join(' OR ');
  const [n] = await engine.query(`SELECT count(*) AS n FROM ${TYPED} WHERE ${bad}`);
  await engine.run(`DELETE FROM ${TYPED} WHERE ${bad}`);
  return Number(n!.n) + staged.readerIssues.length;
}

/** The stored value of a field, its default filled in when the source left it empty. */
function valueExpr(f: FieldSpec): string {
  const v = quoteIdent(`v_${f.name}`);
  return f.default === undefined ? v : `coalesce(${v}, ${quoteString(f.default)})`;
}

interface Loaded {
  readonly inserted: number;
  readonly updated: number;
  readonly duplicates: number;
  readonly stubCustomers: number;
  readonly returns: number;
  readonly zeroAmounts: number;
}

/** Insert the valid rows of TYPED in one transaction, skipping rows already present. */
async function load(
  engine: DuckDbEngine,
  req: ImportRequest,
  fields: readonly FieldSpec[],
  mapping: ColumnMapping,
  staged: Staged,
  rowsRead: number,
  rejected: number,
): Promise<Loaded> {
  const spec = TABLE_SPECS[req.table];
  const table = quoteIdent(req.table);
  const names = fields.map((f) => f.name);
  const values = fields.map((f) => `${valueExpr(f)} AS ${quoteIdent(f.name)}`);
  const hashInput = `concat_ws(chr(31), ${fields.map((f) => `coalesce(CAST(${quoteIdent(`v_${f.name}`)} AS VARCHAR), chr(0))`).join(', ')})`;
  const key = spec.naturalKey && names.includes(spec.naturalKey) ? quoteIdent(spec.naturalKey) : null;
  // Keys are 128-bit: md5 of the natural id, or md5 of the content xor its occurrence number within the
  // file (0 for the first). Numbers store and join far faster than hex strings at 10M rows.
  const rowKey = `CASE WHEN ${key ?? 'NULL'} IS NOT NULL THEN md5_number('id:' || ${key ?? 'NULL'})
    ELSE xor(h, CAST(row_number() OVER (PARTITION BY h ORDER BY rid) - 1 AS UHUGEINT)) END`;
  const hasAttributes = mapping.attributeColumns.length > 0;
  const keyed = req.table === 'customers' || req.table === 'campaigns';
  await engine.run(`CREATE TEMP TABLE ${READY} AS SELECT ${fields.map((f) => quoteIdent(f.name)).join(', ')}
    ${hasAttributes ? ', attributes' : ''} ${keyed ? '' : `, ${rowKey} AS row_key`}
    FROM (SELECT rid, ${values.join(', ')}${hasAttributes ? ', attributes' : ''}
      ${keyed ? '' : `, md5_number(${hashInput}) AS h`} FROM ${TYPED})`);
  const [imp] = await engine.query(`SELECT coalesce(max(import_id), 0) + 1 AS id FROM imports`);
  const importId = Number(imp!.id);
  const columns = [...names, ...(hasAttributes ? ['attributes'] : []), ...(keyed ? [] : ['row_key'])];
  const colList = columns.map(quoteIdent).join(', ');
  const ready = Number((await engine.query(`SELECT count(*) AS n FROM ${READY}`))[0]!.n);
  return engine.transaction(async () => {
    let inserted = 0;
    let updated = 0;
    if (keyed) {
      const id = quoteIdent(spec.naturalKey!);
      const distinct = columns
        .map((c) => `r.${quoteIdent(c)} IS DISTINCT FROM t.${quoteIdent(c)}`)
        .join(' OR ');
      const stub = req.table === 'customers' ? 't.is_stub OR ' : '';
      const [cls] = await engine.query(`SELECT
        count(*) FILTER (WHERE t.${id} IS NULL) AS ins,
        count(*) FILTER (WHERE t.${id} IS NOT NULL AND (${stub}${distinct})) AS upd
        FROM ${READY} r LEFT JOIN ${table} t ON r.${id} = t.${id}`);
      inserted = Number(cls!.ins);
      updated = Number(cls!.upd);
      const sets = [...columns.filter((c) => c !== spec.naturalKey), 'import_id']
        .map((c) => `${quoteIdent(c)} = excluded.${quoteIdent(c)}`)
        .concat(req.table === 'customers' ? ['is_stub = false'] : []);
      await engine.run(`INSERT INTO ${table} (${colList}, import_id)
        SELECT r.*, ${importId} FROM ${READY} r LEFT JOIN ${table} t ON r.${id} = t.${id}
        WHERE t.${id} IS NULL OR ${stub}${distinct}
        ON CONFLICT (${id}) DO UPDATE SET ${sets.join(', ')}`);
    } else {
      const before = await engine.count(req.table);
      await engine.run(`INSERT INTO ${table} (${colList}, import_id)
        SELECT r.*, ${importId} FROM ${READY} r
        WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.row_key = r.row_key)`);
      inserted = (await engine.count(req.table)) - before;
    }
    if (req.table === 'churn_events')
      await engine.run(`UPDATE churn_events SET "type" = rc."type" FROM reason_codes rc
        WHERE churn_events.import_id = ${importId} AND churn_events."type" IS NULL AND rc.code = churn_events.reason_code`);
    let stubCustomers = 0;
    if (spec.referencesCustomers) {
      const before = await engine.count('customers');
      await engine.run(`INSERT INTO customers (customer_id, is_stub, import_id)
        SELECT DISTINCT customer_id, true, ${importId} FROM ${READY} r
        WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = r.customer_id)`);
      stubCustomers = (await engine.count('customers')) - before;
    }
    let returns = 0;
    let zeroAmounts = 0;
    if (names.includes('amount')) {
      const [a] = await engine.query(
        `SELECT count(*) FILTER (WHERE amount < 0) AS neg, count(*) FILTER (WHERE amount = 0) AS zero FROM ${READY}`,
      );
      returns = Number(a!.neg);
      zeroAmounts = Number(a!.zero);
    }
    const duplicates = ready - inserted - updated;
    await engine.run(
      `INSERT INTO imports VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now()::TIMESTAMP)`,
      [
        importId,
        req.table,
        req.file,
        staged.mode === 'lines' ? 'whitespace' : req.format,
        rowsRead + staged.readerIssues.length,
        inserted,
        updated,
        duplicates,
        rejected,
        stubCustomers,
      ],
    );
    return { inserted, updated, duplicates, stubCustomers, returns, zeroAmounts };
  });
}
