/**
 * The JSON Schema of an alert-rules file, written from the types in `rules.ts` (a test checks that the
 * two agree and that `docs/alert-rules.schema.json` is this object), and a small validator for the subset
 * of JSON Schema it uses. Every key is optional: what a file leaves out comes from the default rules.
 */

export type JsonSchema = { readonly [key: string]: unknown };

const dayRange = {
  type: ['object', 'null'],
  description: 'Inclusive range of whole days; null: no recency condition.',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: {
    from: { type: 'integer', minimum: 0 },
    to: { type: 'integer', minimum: 0 },
  },
};

const percentRange = {
  type: ['object', 'null'],
  description:
    'A decline in percent: above `above` (exclusive) and up to `upTo` (inclusive; null or absent: no upper limit); null: no condition.',
  additionalProperties: false,
  required: ['above'],
  properties: {
    above: { type: 'number', minimum: 0 },
    upTo: { type: ['number', 'null'], minimum: 0 },
  },
};

export const ALERT_RULES_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Retain early-warning rules',
  description:
    'Rules of `retain alerts` (DOMAIN 5.3). Every key is optional; what is left out comes from the default rules (`retain rules show`).',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    version: { const: 1 },
    transactionKinds: {
      type: ['array', 'null'],
      description: 'Transaction kinds counted for R, F and M; null: every kind.',
      items: { type: 'string', minLength: 1 },
      minItems: 1,
      uniqueItems: true,
    },
    lostAfterDays: {
      type: 'integer',
      minimum: 1,
      description: 'More days than this since the last transaction: the customer counts as lost.',
    },
    baseline: {
      type: 'object',
      additionalProperties: false,
      properties: {
        months: {
          type: 'integer',
          minimum: 1,
          maximum: 24,
          description: 'Calendar months before the last-transaction month that form the baseline.',
        },
        recentDays: {
          type: 'integer',
          minimum: 1,
          maximum: 366,
          description: 'Days ending with the last transaction day compared with the monthly baseline.',
        },
      },
    },
    levels: {
      type: 'array',
      description:
        'Warning levels, lowest severity first. A customer is at the highest level any of whose conditions holds.',
      minItems: 1,
      maxItems: 9,
      items: { $ref: '#/$defs/level' },
    },
    groups: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean' },
        dimensions: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { enum: ['all', 'segment', 'region', 'plan', 'channel', 'gender'] },
        },
        periodDays: { type: 'integer', minimum: 1, maximum: 366 },
        baselinePeriods: { type: 'integer', minimum: 1, maximum: 36 },
        churnSource: { enum: ['auto', 'churn_events', 'inactivity'] },
        minActiveCustomers: { type: 'integer', minimum: 1 },
        minChurnRisePercent: { type: 'number', minimum: 0 },
        minSpendDropPercent: { type: 'number', minimum: 0, maximum: 100 },
        minZ: { type: 'number', minimum: 0 },
      },
    },
    products: {
      type: 'object',
      description:
        'Product-level warnings: the group tests (periods and thresholds of `groups`) per product or category.',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean' },
        dimensions: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { enum: ['product', 'category'] },
        },
        lapseAfterDays: {
          type: 'integer',
          minimum: 1,
          description: 'A customer lapses from a product after this many days without buying it.',
        },
      },
    },
    dealer: {
      type: 'object',
      additionalProperties: false,
      properties: {
        visitKinds: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { type: 'string', minLength: 1 },
        },
        gradeWindowMonths: { type: 'integer', minimum: 1, maximum: 120 },
        grades: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['grade', 'minVisits'],
            properties: {
              grade: { type: 'string', minLength: 1, maxLength: 40 },
              minVisits: { type: 'integer', minimum: 0 },
            },
          },
        },
        surveyAfterMonths: { type: 'integer', minimum: 1, maximum: 120 },
      },
    },
  },
  $defs: {
    level: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,39}$' },
        label: { type: ['string', 'null'] },
        recencyDays: { $ref: '#/$defs/dayRange' },
        frequencyDownPercent: { $ref: '#/$defs/percentRange' },
        monetaryDownPercent: { $ref: '#/$defs/percentRange' },
      },
    },
    dayRange,
    percentRange,
  },
};

/** One problem: where in the document (path of keys and indexes) and what. */
export interface SchemaIssue {
  readonly path: readonly (string | number)[];
  /** True when the problem is the key itself (an unknown key), not its value. */
  readonly atKey: boolean;
  readonly message: string;
}

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;

const matchesType = (v: unknown, t: string): boolean => {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
};

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

/** Check a value against the schema subset used above; returns every problem found. */
export function validateSchema(
  value: unknown,
  schema: JsonSchema = ALERT_RULES_SCHEMA,
  root: JsonSchema = ALERT_RULES_SCHEMA,
  path: (string | number)[] = [],
): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const issue = (message: string, at = path, atKey = false) => issues.push({ path: at, atKey, message });
  const ref = schema.$ref as string | undefined;
  if (ref !== undefined) {
    const name = ref.replace('#/$defs/', '');
    const target = (root.$defs as Record<string, JsonSchema>)[name];
    if (!target) throw new Error(`schema: unknown $ref ${ref}`);
    return validateSchema(value, target, root, path);
  }
  if (schema.const !== undefined && value !== schema.const) {
    issue(`must be ${show(schema.const)}, not ${show(value)}`);
    return issues;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    issue(`must be one of ${schema.enum.join(', ')}, not ${show(value)}`);
    return issues;
  }
  if (schema.type !== undefined) {
    const types = (Array.isArray(schema.type) ? schema.type : [schema.type]) as string[];
    if (!types.some((t) => matchesType(value, t))) {
      const article: Record<string, string> = {
        integer: 'a whole number',
        null: 'null',
        object: 'an object',
        array: 'an array',
      };
      const wanted = types.map((t) => article[t] ?? `a ${t}`);
      issue(`must be ${wanted.join(' or ')}, not ${show(value)}`);
      return issues;
    }
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      issue(`must be at least ${schema.minimum}, not ${value}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      issue(`must be at most ${schema.maximum}, not ${value}`);
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength)
      issue(value.length === 0 ? 'must not be empty' : `must have at least ${schema.minLength} characters`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength)
      issue(`must have at most ${schema.maxLength} characters`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value))
      issue(`${show(value)} must match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      issue(`must have at least ${schema.minItems} item(s)`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      issue(`must have at most ${schema.maxItems} items`);
    if (schema.uniqueItems === true) {
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const key = JSON.stringify(item);
        if (seen.has(key)) issue(`${show(item)} is repeated`, [...path, i]);
        seen.add(key);
      });
    }
    if (schema.items !== undefined)
      value.forEach((item, i) =>
        issues.push(...validateSchema(item, schema.items as JsonSchema, root, [...path, i])),
      );
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in obj)) issue(`"${key}" is required`);
    for (const [key, v] of Object.entries(obj)) {
      const sub = props[key];
      if (sub === undefined) {
        if (schema.additionalProperties === false)
          issue(`unknown key "${key}" (known: ${Object.keys(props).join(', ')})`, [...path, key], true);
        continue;
      }
      issues.push(...validateSchema(v, sub, root, [...path, key]));
    }
  }
  return issues;
}
