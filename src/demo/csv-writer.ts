/**
 * Headerless, comma-delimited, unquoted CSV files for `Engine.bulkLoadCsv`: one file per table per batch.
 * Values never contain commas, quotes or newlines; an empty field is NULL. Row keys (1, 2, 3... per
 * table) come from counters that run across batches, so they depend only on the customers' order.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportTableName } from '../data/tables.js';

/** The columns each demo table file holds, in file order. */
export const DEMO_COLUMNS = {
  customers: [
    'customer_id',
    'signup_date',
    'region',
    'channel',
    'plan',
    'segment',
    'gender',
    'age',
    'acquisition_cost',
  ],
  transactions: [
    'row_key',
    'customer_id',
    'date',
    'amount',
    'cost',
    'quantity',
    'product',
    'category',
    'kind',
  ],
  subscriptions: [
    'row_key',
    'subscription_id',
    'customer_id',
    'start_date',
    'end_date',
    'plan',
    'monthly_fee',
  ],
  churn_events: ['row_key', 'customer_id', 'date', 'reason_code', 'type', 'note'],
  interactions: ['row_key', 'customer_id', 'date', 'kind', 'metric', 'value', 'note'],
  campaigns: ['campaign_id', 'name', 'kind', 'start_date', 'end_date', 'offer', 'cost_per_contact'],
  contacts: [
    'row_key',
    'contact_id',
    'campaign_id',
    'customer_id',
    'date',
    'group',
    'offer',
    'outcome',
    'cost',
  ],
} as const satisfies Record<ImportTableName, readonly string[]>;

export const DEMO_TABLES = Object.keys(DEMO_COLUMNS) as ImportTableName[];

/** Bytes buffered per file before a write; small enough to keep the garbage collector's work low. */
const BUFFER_BYTES = 1 << 18;

/** One table's file: lines are encoded into a reused buffer and written synchronously. */
export class CsvFile {
  private fd: number | null;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  rows = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Append one line (without its newline). Text is ASCII: latin1 encoding writes it byte for byte. */
  line(text: string): void {
    if (this.used + text.length + 1 > BUFFER_BYTES) this.flush();
    if (text.length + 1 > BUFFER_BYTES) {
      writeSync(this.fd!, `${text}\n`);
    } else {
      this.used += this.buffer.write(text, this.used, 'latin1');
      this.buffer[this.used++] = 10;
    }
    this.rows++;
  }

  private flush(): void {
    if (this.used > 0 && this.fd !== null) writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }

  close(): void {
    if (this.fd === null) return;
    this.flush();
    closeSync(this.fd);
    this.fd = null;
  }
}

/** Row-key counters per table, shared by all batches of one run. */
export type RowKeyCounters = Record<ImportTableName, number>;

export function newRowKeyCounters(): RowKeyCounters {
  return Object.fromEntries(DEMO_TABLES.map((t) => [t, 0])) as RowKeyCounters;
}

export interface BatchFile {
  readonly table: ImportTableName;
  readonly path: string;
  readonly rows: number;
}

/** The files of one batch; the simulation writes rows through its typed methods. */
export class DemoBatchWriter {
  private readonly files: Record<ImportTableName, CsvFile>;

  constructor(
    dir: string,
    batch: number,
    private readonly keys: RowKeyCounters,
  ) {
    this.files = Object.fromEntries(
      DEMO_TABLES.map((t) => [t, new CsvFile(join(dir, `b${String(batch).padStart(4, '0')}-${t}.csv`))]),
    ) as Record<ImportTableName, CsvFile>;
  }

  /** Row keys are 1, 2, 3... per table (imported rows get 128-bit md5 numbers, so the two never meet). */
  private key(table: ImportTableName): number {
    return ++this.keys[table];
  }

  customer(
    id: string,
    signup: string,
    region: string,
    channel: string,
    plan: string,
    segment: string,
    gender: string,
    age: number,
    acquisitionCost: number,
  ): void {
    this.files.customers.line(
      `${id},${signup},${region},${channel},${plan},${segment},${gender},${age},${acquisitionCost}`,
    );
  }

  /** `quantity` null for bills (left empty). */
  transaction(
    customerId: string,
    timestamp: string,
    amount: number,
    cost: number,
    quantity: number | null,
    product: string,
    category: string,
    kind: 'bill' | 'purchase',
  ): void {
    this.files.transactions.line(
      `${this.key('transactions')},${customerId},${timestamp},${amount},${cost},${quantity ?? ''},${product},${category},${kind}`,
    );
  }

  subscription(
    subscriptionId: string,
    customerId: string,
    start: string,
    end: string,
    plan: string,
    monthlyFee: number,
  ): void {
    this.files.subscriptions.line(
      `${this.key('subscriptions')},${subscriptionId},${customerId},${start},${end},${plan},${monthlyFee}`,
    );
  }

  churnEvent(customerId: string, date: string, reasonCode: string, type: string, note: string): void {
    this.files.churn_events.line(
      `${this.key('churn_events')},${customerId},${date},${reasonCode},${type},${note}`,
    );
  }

  /** `metric`/`note` empty strings and `value` null are written as NULL. */
  interaction(
    customerId: string,
    timestamp: string,
    kind: string,
    metric: string,
    value: number | null,
    note: string,
  ): void {
    this.files.interactions.line(
      `${this.key('interactions')},${customerId},${timestamp},${kind},${metric},${value ?? ''},${note}`,
    );
  }

  campaign(
    id: string,
    name: string,
    kind: string,
    start: string,
    end: string,
    offer: string,
    cost: number,
  ): void {
    this.files.campaigns.line(`${id},${name},${kind},${start},${end},${offer},${cost}`);
  }

  contact(
    campaignId: string,
    customerId: string,
    date: string,
    group: 'treatment' | 'control',
    offer: string,
    outcome: string,
    cost: number | null,
  ): void {
    this.files.contacts.line(
      `${this.key('contacts')},,${campaignId},${customerId},${date},${group},${offer},${outcome},${cost ?? ''}`,
    );
  }

  /** Close every file; returns them all with their row counts (empty ones have 0 rows). */
  close(): BatchFile[] {
    const out: BatchFile[] = [];
    for (const table of DEMO_TABLES) {
      const f = this.files[table];
      f.close();
      out.push({ table, path: f.path, rows: f.rows });
    }
    return out;
  }
}
