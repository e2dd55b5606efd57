/**
 * The workspace tables users import into (DOMAIN.md section 2), described once for every engine.
 *
 * A field's `type` says how a source text is validated and converted; `aliases` are the header names
 * that map to it automatically (compared case-insensitively, ignoring spaces, `_` and `-`).
 */

export type FieldType = 'id' | 'string' | 'date' | 'timestamp' | 'number' | 'integer' | 'enum';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly required?: boolean;
  readonly aliases?: readonly string[];
  /** Allowed values for `enum` fields, lower-case. */
  readonly values?: readonly string[];
  /** Value stored when the source leaves the field empty. */
  readonly default?: string;
  readonly description: string;
}

export interface TableSpec {
  readonly name: ImportTableName;
  readonly description: string;
  readonly fields: readonly FieldSpec[];
  /** Field holding a natural unique id; rows without one are keyed by content hash + occurrence. */
  readonly naturalKey?: string;
  /** Source columns that match no field are kept in an `attributes` JSON column instead of ignored. */
  readonly keepsExtraColumnsAsAttributes?: boolean;
  /** Rows reference customers; unknown customer ids create stub customers. */
  readonly referencesCustomers: boolean;
}

export const IMPORT_TABLES = [
  'customers',
  'transactions',
  'subscriptions',
  'churn_events',
  'interactions',
  'campaigns',
  'contacts',
] as const;
export type ImportTableName = (typeof IMPORT_TABLES)[number];

export const INTERACTION_KINDS = ['complaint', 'service_call', 'usage', 'survey', 'other'] as const;
export const CHURN_TYPES = ['voluntary', 'involuntary'] as const;

const customerId: FieldSpec = {
  name: 'customer_id',
  type: 'id',
  required: true,
  aliases: ['customer', 'cust', 'custid', 'client_id', 'user_id', 'id'],
  description: 'Customer identifier (text; leading zeros are kept).',
};

export const TABLE_SPECS: Record<ImportTableName, TableSpec> = {
  customers: {
    name: 'customers',
    description: 'One row per customer: signup date and attributes.',
    naturalKey: 'customer_id',
    keepsExtraColumnsAsAttributes: true,
    referencesCustomers: false,
    fields: [
      customerId,
      {
        name: 'signup_date',
        type: 'date',
        aliases: ['signup', 'acquisition_date', 'acquired', 'start_date', 'joined'],
        description: 'Acquisition (signup) date.',
      },
      { name: 'region', type: 'string', description: 'Region.' },
      {
        name: 'channel',
        type: 'string',
        aliases: ['acquisition_channel'],
        description: 'Acquisition channel.',
      },
      { name: 'plan', type: 'string', description: 'Current plan or product.' },
      { name: 'segment', type: 'string', description: 'Business segment.' },
      { name: 'gender', type: 'string', description: 'Gender.' },
      { name: 'age', type: 'integer', description: 'Age in years.' },
      {
        name: 'acquisition_cost',
        type: 'number',
        aliases: ['cac'],
        description: 'What acquiring the customer cost.',
      },
    ],
  },
  transactions: {
    name: 'transactions',
    description: 'Orders, bills or visits: one row per transaction.',
    naturalKey: 'transaction_id',
    referencesCustomers: true,
    fields: [
      customerId,
      {
        name: 'date',
        type: 'timestamp',
        required: true,
        aliases: ['timestamp', 'ts', 'datetime', 'order_date', 'transaction_date', 'time'],
        description: 'When the transaction happened (date or timestamp).',
      },
      {
        name: 'amount',
        type: 'number',
        required: true,
        aliases: ['value', 'revenue', 'dollar_value', 'sales', 'price', 'total'],
        description: 'Monetary value; negative amounts are returns (allowed, flagged).',
      },
      {
        name: 'transaction_id',
        type: 'id',
        aliases: ['order_id', 'invoice', 'invoice_id', 'txn_id', 'bill_id'],
        description: 'Unique transaction id; re-imports dedupe on it.',
      },
      {
        name: 'cost',
        type: 'number',
        description: 'Direct cost of the transaction (margin = amount - cost).',
      },
      {
        name: 'quantity',
        type: 'number',
        aliases: ['qty', 'units', 'number_of_cds'],
        description: 'Units bought.',
      },
      { name: 'product', type: 'string', description: 'Product.' },
      { name: 'category', type: 'string', description: 'Product category.' },
      {
        name: 'kind',
        type: 'enum',
        values: ['purchase', 'bill', 'visit'],
        default: 'purchase',
        description: 'purchase (default), bill (contractual monthly bill) or visit.',
      },
    ],
  },
  subscriptions: {
    name: 'subscriptions',
    description: 'Contracts: start, end (empty while active), plan and monthly fee.',
    naturalKey: 'subscription_id',
    referencesCustomers: true,
    fields: [
      customerId,
      {
        name: 'start_date',
        type: 'date',
        required: true,
        aliases: ['start', 'started', 'begin'],
        description: 'Contract start.',
      },
      {
        name: 'end_date',
        type: 'date',
        aliases: ['end', 'ended', 'stop'],
        description: 'Contract end; empty while active.',
      },
      { name: 'plan', type: 'string', description: 'Plan.' },
      {
        name: 'monthly_fee',
        type: 'number',
        aliases: ['fee', 'monthly_charges', 'mrr'],
        description: 'Monthly fee.',
      },
      {
        name: 'subscription_id',
        type: 'id',
        aliases: ['contract_id'],
        description: 'Unique subscription id.',
      },
    ],
  },
  churn_events: {
    name: 'churn_events',
    description: 'Churn records: date, voluntary / involuntary, reason code, note.',
    referencesCustomers: true,
    fields: [
      customerId,
      {
        name: 'date',
        type: 'date',
        required: true,
        aliases: ['churn_date', 'churned_at'],
        description: 'Churn date.',
      },
      {
        name: 'reason_code',
        type: 'id',
        aliases: ['reason', 'code'],
        description: 'Reason code; must be in the reason-code taxonomy (`retain info --reasons`).',
      },
      {
        name: 'type',
        type: 'enum',
        values: CHURN_TYPES,
        aliases: ['churn_type'],
        description: 'voluntary or involuntary; taken from the reason code when empty.',
      },
      { name: 'note', type: 'string', aliases: ['comment', 'text'], description: 'Free-text note.' },
    ],
  },
  interactions: {
    name: 'interactions',
    description: 'Complaints, service calls, usage metrics and survey answers.',
    referencesCustomers: true,
    fields: [
      customerId,
      {
        name: 'date',
        type: 'timestamp',
        required: true,
        aliases: ['timestamp', 'ts', 'datetime'],
        description: 'When it happened.',
      },
      {
        name: 'kind',
        type: 'enum',
        required: true,
        values: INTERACTION_KINDS,
        aliases: ['type', 'event'],
        description: 'complaint, service_call, usage, survey or other.',
      },
      {
        name: 'metric',
        type: 'string',
        aliases: ['name', 'question', 'topic'],
        description: 'What was measured or asked (e.g. dropped_call_rate, minutes, nps).',
      },
      { name: 'value', type: 'number', aliases: ['score'], description: 'Numeric value or answer.' },
      { name: 'note', type: 'string', aliases: ['comment', 'text'], description: 'Free text.' },
    ],
  },
  campaigns: {
    name: 'campaigns',
    description: 'Retention and win-back campaigns.',
    naturalKey: 'campaign_id',
    referencesCustomers: false,
    fields: [
      { name: 'campaign_id', type: 'id', required: true, aliases: ['campaign'], description: 'Campaign id.' },
      { name: 'name', type: 'string', description: 'Name.' },
      {
        name: 'kind',
        type: 'enum',
        values: ['retention', 'winback', 'other'],
        aliases: ['type'],
        description: 'retention, winback or other.',
      },
      { name: 'start_date', type: 'date', aliases: ['start'], description: 'Start.' },
      { name: 'end_date', type: 'date', aliases: ['end'], description: 'End.' },
      { name: 'offer', type: 'string', description: 'What was offered.' },
      {
        name: 'cost_per_contact',
        type: 'number',
        aliases: ['unit_cost'],
        description: 'Cost of one contact.',
      },
    ],
  },
  contacts: {
    name: 'contacts',
    description: 'Who was offered what, when, and the outcome.',
    naturalKey: 'contact_id',
    referencesCustomers: true,
    fields: [
      customerId,
      { name: 'campaign_id', type: 'id', required: true, aliases: ['campaign'], description: 'Campaign id.' },
      { name: 'date', type: 'date', required: true, aliases: ['contact_date'], description: 'Contact date.' },
      {
        name: 'group',
        type: 'enum',
        values: ['treatment', 'control'],
        default: 'treatment',
        aliases: ['arm', 'cell'],
        description: 'treatment (default) or control.',
      },
      { name: 'offer', type: 'string', aliases: ['action'], description: 'Offer or action.' },
      {
        name: 'outcome',
        type: 'string',
        aliases: ['result', 'response'],
        description: 'e.g. accepted, declined, retained, won_back.',
      },
      { name: 'cost', type: 'number', description: 'Cost of this contact.' },
      { name: 'contact_id', type: 'id', description: 'Unique contact id.' },
    ],
  },
};

export function isImportTable(name: string): name is ImportTableName {
  return (IMPORT_TABLES as readonly string[]).includes(name);
}
