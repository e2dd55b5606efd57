/**
 * Import into ClickHouse. A file is read, validated and typed by exactly the embedded importer
 * (duckdb/import.ts) in a temporary DuckDB file, so errors, rejects and row keys are the same on both
 * engines. The typed rows then travel to ClickHouse in RowBinary (exact doubles: 18.16 parses some
 * written with an exponent one unit in the last place off) and land all-or-nothing:
 *
 * 1. into a raw table (`<t>_raw_local` per shard, through a Distributed `<t>_raw` on a cluster: every
 *    customer's rows reach their shard), with synchronous inserts;
 * 2. on every shard, the rows not yet present (by row key) go to `<t>_add_local`, stub customers to
 *    `customers_add_local`; keyed tables (customers, campaigns) build their whole new content instead;
 * 3. `ALTER TABLE ... ATTACH PARTITION tuple() FROM` (append) or `REPLACE PARTITION` (keyed tables) moves
 *    those parts into the table at once. A failure before this step leaves the workspace as it was;
 *    the step itself is atomic per shard.
 *
 * Re-importing a file adds nothing (same keys). One import at a time per workspace: the work tables have
 * fixed names.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLE_SPECS, type ImportTableName } from '../../data/tables.js';
import type { ImportRequest, ImportResult } from '../../data/import-types.js';
import { UserError } from '../../util/errors.js';
import type { ProgressReporter } from '../../util/progress.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbEngine } from '../duckdb/duckdb-engine.js';
import { importIntoDuckDb } from '../duckdb/import.js';
import { quoteIdent, quoteString } from '../sql.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { CH_TABLE_BY_NAME } from './schema.js';
import { encodeRows, insertEncoded, rowBinaryWriteType } from './row-binary-insert.js';
import { chIdent, chNumber } from './sql.js';

interface Column {
  readonly name: string;
  readonly type: string;
}

/** The columns of a ClickHouse table from its schema text (commas inside parentheses are not splits). */
export function tableColumns(table: string): Column[] {
  const spec = CH_TABLE_BY_NAME.get(table);
  if (!spec) throw new Error(`no ClickHouse table ${table}`);
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of spec.columns) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => {
    const [name, ...type] = p.trim().split(/\s+/);
    return { name: name!, type: type.join(' ') };
  });
}

/** DuckDB's expression for one column, as the RowBinary writer takes it (dates and times as numbers). */
function binaryExpr(col: Column, importId: number | null): string {
  if (col.name === 'import_id') return importId === null ? 'NULL' : String(importId);
  const c = quoteIdent(col.name);
  if (col.type.includes('DateTime')) return `CAST(floor(epoch(${c})) AS BIGINT)`;
  if (col.type.includes('Date')) return `CAST(${c} - DATE '1970-01-01' AS INTEGER)`;
  if (col.type === 'UInt8') return `CAST(${c} AS INTEGER)`;
  if (col.type.includes('String')) return `CAST(${c} AS VARCHAR)`;
  return c;
}

/** Rows per INSERT of an import: bounds the memory of one request body. */
const ROWS_PER_INSERT = 100_000;

/**
 * Send the chosen rows of a DuckDB table to a ClickHouse table in RowBinary, in ClickHouse's column
 * order: exact doubles (18.16's text parsers read some one unit in the last place off).
 */
async function sendRowBinary(
  engine: ClickHouseEngine,
  duck: DuckDbEngine,
  table: string,
  where: string,
  target: string,
  importId: number | null,
): Promise<void> {
  const cols = tableColumns(table);
  const types = cols.map((c) => rowBinaryWriteType(c.type));
  const result = await duck.connection.stream(
    `SELECT ${cols.map((c) => binaryExpr(c, importId)).join(', ')} FROM ${quoteIdent(table)} WHERE ${where}`,
  );
  let batch: unknown[][] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await insertEncoded(
      engine,
      target,
      cols.map((c) => c.name),
      encodeRows(types, batch),
    );
    batch = [];
  };
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const row of chunk.getRows()) batch.push(row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    if (batch.length >= ROWS_PER_INSERT) await flush();
  }
  await flush();
}

/** Dates ClickHouse cannot hold (Date and DateTime start at 1970-01-01): refused with the first example. */
async function checkDateRange(duck: DuckDbEngine, req: ImportRequest): Promise<void> {
  for (const col of tableColumns(req.table)) {
    if (!col.type.includes('Date')) continue;
    const c = quoteIdent(col.name);
    const [bad] = await duck.query(`SELECT count(*) AS n, CAST(min(${c}) AS VARCHAR) AS first,
      CAST(max(${c}) AS VARCHAR) AS last FROM ${quoteIdent(req.table)}
      WHERE ${c} < DATE '1970-01-01' OR ${c} >= DATE '2106-01-01'`);
    if (Number(bad!.n) > 0)
      throw new UserError(
        `${req.file}: ${Number(bad!.n)} row(s) have a ${col.name} outside 1970-01-01 .. 2105-12-31 ` +
          `(from ${String(bad!.first)} to ${String(bad!.last)}), which the ClickHouse engine cannot store; nothing was written`,
      );
  }
}

/** A temporary DuckDB file for staging; removed by `done`. */
async function tempDuck(): Promise<{ duck: DuckDbEngine; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'retain-ch-stage-'));
  const duck = await DuckDbEngine.open(join(dir, 'stage.duckdb'));
  return {
    duck,
    done: async () => {
      await duck.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function importIntoClickHouse(
  engine: ClickHouseEngine,
  req: ImportRequest,
  progress: ProgressReporter,
): Promise<ImportResult> {
  const started = Date.now();
  const { duck, done } = await tempDuck();
  try {
    await duck.migrate();
    // churn events take their type from the workspace's own reason codes
    await duck.run('DELETE FROM reason_codes');
    for (const r of await engine.reasonCodes())
      await duck.run(`INSERT INTO reason_codes VALUES ($1, $2, $3, $4, $5)`, [
        r.code,
        r.reason,
        r.reasonZh === '' ? null : r.reasonZh,
        r.type,
        r.family,
      ]);
    // contacts must name known campaigns (an entry table, small)
    if (req.table === 'contacts')
      for (const c of await engine.conn.query(`SELECT campaign_id FROM ${engine.t('campaigns')}`))
        await duck.run(`INSERT INTO campaigns (campaign_id) VALUES ($1)`, [String(c.campaign_id)]);
    const checked = await importIntoDuckDb(duck, req, progress);
    await checkDateRange(duck, req);
    const [imp] = await engine.conn.query(
      `SELECT max(import_id) AS m, count() AS n FROM ${engine.t('imports')}`,
    );
    const importId = Number(imp!.n) === 0 ? 1 : Number(imp!.m) + 1;
    const own = req.table === 'customers' ? 'NOT is_stub' : 'true';
    const ready = Number(
      (await duck.query(`SELECT count(*) AS n FROM ${quoteIdent(req.table)} WHERE ${own}`))[0]!.n,
    );
    progress({ phase: 'loading', done: 0, total: ready, unit: 'rows' });
    const send = (raw: string): Promise<void> => sendRowBinary(engine, duck, req.table, own, raw, importId);
    const moved = await landRows(
      engine,
      req.table,
      send,
      importId,
      TABLE_SPECS[req.table].referencesCustomers,
    );
    progress({ phase: 'loading', done: ready, total: ready, unit: 'rows' });
    const duplicates = ready - moved.inserted - moved.updated;
    await engine.conn.insertRows(engine.t('imports'), [
      {
        import_id: importId,
        table_name: req.table,
        file: req.file,
        format: checked.format,
        rows_read: checked.rowsRead,
        rows_inserted: moved.inserted,
        rows_updated: moved.updated,
        rows_duplicate: duplicates,
        rows_rejected: checked.rejected,
        stub_customers: moved.stubs,
        imported_at: Math.floor(Date.now() / 1000),
      },
    ]);
    const stubNote = `${moved.stubs} customer id(s) were not in customers; stub customers were created`;
    const warnings = checked.warnings.filter((w) => !w.endsWith('stub customers were created'));
    if (moved.stubs > 0) warnings.splice(checked.ignoredColumns.length > 0 ? 1 : 0, 0, stubNote);
    return {
      ...checked,
      inserted: moved.inserted,
      updated: moved.updated,
      duplicates,
      stubCustomers: moved.stubs,
      warnings,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await done();
  }
}

/** Values of columns a generated file leaves out (as DuckDB's column defaults fill them). */
const BULK_DEFAULTS: Record<string, string> = { is_stub: '0', kind: 'purchase', group: 'treatment' };

/**
 * Load generated demo rows (trusted: no validation, no dedupe; headerless, unquoted CSV where an empty
 * field is NULL). An in-memory DuckDB turns the file into ClickHouse's TabSeparated text in one COPY, and
 * the rows go straight into the (Distributed) table: the demo clears the workspace first and removes
 * partly loaded data on failure.
 */
export async function bulkLoadIntoClickHouse(
  engine: ClickHouseEngine,
  table: ImportTableName,
  columns: readonly string[],
  csvPath: string,
): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'retain-ch-bulk-'));
  const instance = await DuckDBInstance.create(':memory:');
  const duck = await instance.connect();
  try {
    const given = new Set(columns);
    const text = (c: Column): string => {
      if (!given.has(c.name)) {
        const fixed = BULK_DEFAULTS[c.name];
        if (fixed === undefined && !c.type.startsWith('Nullable'))
          throw new Error(`bulk load into ${table}: no value for ${c.name}`);
        return quoteString(fixed ?? '\\N');
      }
      const v = quoteIdent(`c${columns.indexOf(c.name)}`);
      if (c.type.includes('DateTime'))
        return `coalesce(strftime(CAST(${v} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S'), '\\N')`;
      if (c.type === 'UInt8') return `CASE WHEN CAST(${v} AS BOOLEAN) THEN '1' ELSE '0' END`;
      return `coalesce(${v}, '\\N')`;
    };
    const file = join(dir, 'rows.tsv');
    const reader = `read_csv(${quoteString(csvPath)}, header = false, auto_detect = false, delim = ',', quote = '',
      escape = '', columns = {${columns.map((_, i) => `${quoteString(`c${i}`)}: 'VARCHAR'`).join(', ')}})`;
    const [counted] = (await duck.runAndReadAll(`SELECT count(*) AS n FROM ${reader}`)).getRowObjectsJS();
    const loaded = Number(counted!.n);
    if (loaded === 0) return 0;
    await duck.run(`COPY (SELECT ${tableColumns(table).map(text).join(', ')} FROM ${reader})
      TO ${quoteString(file)} (FORMAT csv, DELIMITER '\t', QUOTE '', ESCAPE '', HEADER false)`);
    await engine.conn.insertStream(engine.t(table), 'TabSeparated', createReadStream(file));
    return loaded;
  } finally {
    duck.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

interface Landed {
  readonly inserted: number;
  readonly updated: number;
  readonly stubs: number;
}

/** Steps 1-3 of the header comment for one TabSeparated file of typed rows. */
async function landRows(
  engine: ClickHouseEngine,
  table: ImportTableName,
  send: (rawTable: string) => Promise<void>,
  importId: number | null,
  stubs: boolean,
): Promise<Landed> {
  const conn = engine.conn;
  const sharded = table !== 'campaigns';
  const db = chIdent(conn.target.database);
  const name = (suffix: string, base: string = table): string => `${db}.${chIdent(`${base}_${suffix}`)}`;
  const target = sharded ? conn.local(table) : conn.t(table);
  // a keyed table is rebuilt whole; others take the new rows as new parts
  const key = table === 'customers' ? 'customer_id' : table === 'campaigns' ? 'campaign_id' : null;
  const servers = sharded ? conn.shards : [conn.entry];
  const onServers = async <T>(work: (c: (typeof servers)[number]) => Promise<T>): Promise<T[]> =>
    Promise.all(servers.map(work));
  const each = (sql: string): Promise<void[]> => onServers((c) => conn.exec(c, sql));
  const work = ['raw_local', 'add_local', 'new_local'].map((s) => name(s));
  const customerAdd = name('add_local', 'customers');
  const dropWork = async (): Promise<void> => {
    for (const w of [...work, name('raw'), customerAdd]) await each(`DROP TABLE IF EXISTS ${w}`);
  };
  await dropWork();
  try {
    await each(`CREATE TABLE ${name('raw_local')} AS ${target}`);
    let rawTable = name('raw_local');
    if (sharded && conn.cluster !== null) {
      await each(`CREATE TABLE ${name('raw')} AS ${name('raw_local')}
        ENGINE = Distributed(${chIdent(conn.cluster)}, ${db}, ${chIdent(`${table}_raw_local`)}, cityHash64(customer_id))`);
      rawTable = name('raw');
    }
    await send(rawTable);

    let counts: Landed[];
    if (key === null) {
      counts = await onServers(async (c) => {
        await conn.exec(c, `CREATE TABLE ${name('add_local')} AS ${target}`);
        await conn.exec(
          c,
          `INSERT INTO ${name('add_local')} SELECT * FROM ${name('raw_local')} WHERE row_key NOT IN
           (SELECT row_key FROM ${target} WHERE customer_id IN (SELECT customer_id FROM ${name('raw_local')}))`,
        );
        let stubCount = 0;
        if (stubs) {
          const customers = conn.local('customers');
          await conn.exec(c, `CREATE TABLE ${customerAdd} AS ${customers}`);
          await conn.exec(
            c,
            `INSERT INTO ${customerAdd} (customer_id, is_stub, import_id)
             SELECT DISTINCT customer_id, 1, ${importId === null ? 'NULL' : chNumber(importId)}
             FROM ${name('raw_local')} WHERE customer_id NOT IN (SELECT customer_id FROM ${customers})`,
          );
          stubCount = await countOn(engine, c, customerAdd);
        }
        return { inserted: await countOn(engine, c, name('add_local')), updated: 0, stubs: stubCount };
      });
      await onServers(async (c) => {
        await conn.exec(c, `ALTER TABLE ${target} ATTACH PARTITION tuple() FROM ${name('add_local')}`);
        if (stubs)
          await conn.exec(
            c,
            `ALTER TABLE ${conn.local('customers')} ATTACH PARTITION tuple() FROM ${customerAdd}`,
          );
      });
    } else {
      const k = chIdent(key);
      const content = tableColumns(table)
        .filter((col) => !['import_id', 'is_stub'].includes(col.name))
        .map((col) => `ifNull(toString(${chIdent(col.name)}), '\\0')`)
        .join(', ');
      const live = table === 'customers' ? 'WHERE is_stub = 0' : '';
      counts = await onServers(async (c) => {
        // rows that are new, replace a stub, or differ from the stored row
        await conn.exec(c, `CREATE TABLE ${name('add_local')} AS ${target}`);
        await conn.exec(
          c,
          `INSERT INTO ${name('add_local')} SELECT * FROM ${name('raw_local')}
           WHERE (${k}, cityHash64(${content})) NOT IN (SELECT ${k}, cityHash64(${content}) FROM ${target} ${live})`,
        );
        const changed = await countOn(engine, c, name('add_local'));
        const [ins] = await conn.queryOn(
          c,
          `SELECT count() AS n FROM ${name('add_local')} WHERE ${k} NOT IN (SELECT ${k} FROM ${target})`,
        );
        await conn.exec(c, `CREATE TABLE ${name('new_local')} AS ${target}`);
        await conn.exec(
          c,
          `INSERT INTO ${name('new_local')} SELECT * FROM ${target} WHERE ${k} NOT IN (SELECT ${k} FROM ${name('add_local')})`,
        );
        await conn.exec(c, `INSERT INTO ${name('new_local')} SELECT * FROM ${name('add_local')}`);
        return { inserted: Number(ins!.n), updated: changed - Number(ins!.n), stubs: 0 };
      });
      await onServers((c) =>
        conn.exec(c, `ALTER TABLE ${target} REPLACE PARTITION tuple() FROM ${name('new_local')}`),
      );
    }
    return counts.reduce((a, b) => ({
      inserted: a.inserted + b.inserted,
      updated: a.updated + b.updated,
      stubs: a.stubs + b.stubs,
    }));
  } finally {
    await dropWork();
  }
}

async function countOn(
  engine: ClickHouseEngine,
  client: ClickHouseEngine['conn']['entry'],
  table: string,
): Promise<number> {
  const [r] = await engine.conn.queryOn(client, `SELECT count() AS n FROM ${table}`);
  return Number(r?.n ?? 0);
}
