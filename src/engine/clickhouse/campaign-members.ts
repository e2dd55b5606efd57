/**
 * Campaigns built from plans, in ClickHouse (as duckdb/campaign-members.ts): the campaign row, its design,
 * its members with their group, and recorded outcomes; the members with outcomes for evaluation, either as
 * recorded or read from the workspace; the campaign list.
 *
 * Campaigns, designs, members and outcomes are entry tables; contacts, churn events, subscriptions and
 * transactions are sharded. The workspace outcomes of a campaign's members are read with `GLOBAL IN` (the
 * shards have no copy of `campaign_members`) and matched to the members in Node (a campaign's members are
 * returned one by one anyway). Outcomes are a ReplacingMergeTree: an upsert is a new row with a higher
 * version, read back with FINAL. 18.16's text formats parse some doubles one unit in the last place off:
 * members go in as RowBinary (exact); outcomes (nullable values) as JSON rows, so "unchanged" allows
 * that much.
 */
import type {
  CampaignCreateInput,
  CampaignListRow,
  CampaignMemberQuery,
  CampaignMembers,
  CampaignOutcomeImport,
  CampaignOutcomeRow,
} from '../planning-types.js';
import { UserError } from '../../util/errors.js';
import { checkIsoDate } from '../../util/dates.js';
import type { Row } from '../engine.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chDate, chNumber, chString } from './sql.js';
import { nextVersion } from './records.js';
import { insertRowBinary } from './row-binary-insert.js';

const MEMBER_BATCH = 50_000;

/** A campaign's current outcomes (the latest version of each member's row). */
export const currentOutcomes = (engine: ClickHouseEngine, campaignId: string): string =>
  `SELECT customer_id, outcome, value, date FROM ${engine.t('campaign_outcomes')} FINAL
   WHERE campaign_id = ${chString(campaignId)} AND deleted = 0`;

export async function chCreateCampaign(engine: ClickHouseEngine, input: CampaignCreateInput): Promise<void> {
  checkIsoDate('--start', input.startDate);
  const id = chString(input.campaignId);
  const [exists] = await engine.conn.query(
    `SELECT (SELECT count() FROM ${engine.t('campaigns')} WHERE campaign_id = ${id}) +
       (SELECT count() FROM ${engine.t('campaign_members')} WHERE campaign_id = ${id}) AS n`,
  );
  if (Number(exists!.n) > 0) throw new UserError(`campaign "${input.campaignId}" already exists`);
  // no transactions: members first, the campaign row last, so that a listed campaign has its members
  const members = input.members;
  const floats = (pick: (m: (typeof members)[number]) => number) => Float64Array.from(members, pick);
  await insertRowBinary(
    engine,
    engine.t('campaign_members'),
    [
      'campaign_id',
      'customer_id',
      'group',
      'action',
      'cost',
      'probability',
      'value',
      'expected_saved',
      'assigned_on',
    ],
    [
      { type: 'String', values: members.map(() => input.campaignId) },
      { type: 'String', values: members.map((m) => m.customerId) },
      { type: 'String', values: members.map((m) => m.group) },
      { type: 'String', values: members.map((m) => m.action) },
      { type: 'Float64', values: floats((m) => m.cost) },
      { type: 'Float64', values: floats((m) => m.probability) },
      { type: 'Float64', values: floats((m) => m.value) },
      { type: 'Float64', values: floats((m) => m.expectedSaved) },
      { type: 'Date', values: members.map(() => input.startDate) },
    ],
    members.length,
  );
  await engine.conn.command(
    `INSERT INTO ${engine.t('campaign_designs')} (campaign_id, plan_id, holdout, seed, created_at)
     VALUES (${id}, ${input.planId === null ? 'NULL' : chString(input.planId)}, ${chNumber(input.holdout)},
       ${chNumber(input.seed)}, now())`,
  );
  await engine.conn.command(
    `INSERT INTO ${engine.t('campaigns')} (campaign_id, name, kind, start_date)
     VALUES (${id}, ${chString(input.name)}, ${chString(input.kind)}, ${chDate(input.startDate)})`,
  );
}

/** The same stored value (ClickHouse may have parsed it one unit in the last place away). */
const sameValue = (a: number | null, b: number | null): boolean =>
  a === null || b === null
    ? a === b
    : Math.abs(a - b) <= 4 * Number.EPSILON * Math.max(Math.abs(a), Math.abs(b));

/** Insert or update outcomes (one per member); the same file again changes nothing. */
export async function chRecordCampaignOutcomes(
  engine: ClickHouseEngine,
  campaignId: string,
  rows: readonly CampaignOutcomeRow[],
): Promise<CampaignOutcomeImport> {
  for (const r of rows) checkIsoDate('date', r.date);
  const old = new Map<string, Row>();
  for (const r of await engine.conn.query(
    `SELECT customer_id, outcome, value, toString(date) AS date FROM (${currentOutcomes(engine, campaignId)})`,
  ))
    old.set(String(r.customer_id), r);
  let inserted = 0;
  let updated = 0;
  let unchanged = 0;
  for (const r of rows) {
    const o = old.get(r.customerId);
    if (!o) inserted++;
    else if (o.outcome === r.outcome && o.date === r.date && sameValue(o.value as number | null, r.value))
      unchanged++;
    else updated++;
  }
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
  for (let start = 0; start < rows.length; start += MEMBER_BATCH) {
    const version = nextVersion();
    await engine.conn.insertRows(
      engine.t('campaign_outcomes'),
      rows.slice(start, start + MEMBER_BATCH).map((r) => ({
        campaign_id: campaignId,
        customer_id: r.customerId,
        outcome: r.outcome,
        value: r.value,
        date: r.date,
        recorded_at: now,
        version,
        deleted: 0,
      })),
    );
  }
  return { inserted, updated, unchanged };
}

export async function chCampaignMembers(
  engine: ClickHouseEngine,
  campaignId: string,
  query: CampaignMemberQuery,
): Promise<CampaignMembers> {
  const windowDays = query.windowDays ?? 90;
  if (!(Number.isInteger(windowDays) && windowDays > 0))
    throw new UserError('--window must be a whole number of days > 0');
  const id = chString(campaignId);
  const [meta] = await engine.conn.query(
    `SELECT (SELECT count() FROM ${engine.t('campaign_members')} WHERE campaign_id = ${id}) AS members,
       (SELECT count() FROM ${engine.t('contacts')} WHERE campaign_id = ${id}) AS contacts,
       (SELECT if(count() = 0, NULL, toString(min(date))) FROM ${engine.t('contacts')} WHERE campaign_id = ${id})
         AS first_contact`,
  );
  const [campaign] = await engine.conn.query(
    `SELECT kind, toString(start_date) AS start FROM ${engine.t('campaigns')} WHERE campaign_id = ${id} LIMIT 1`,
  );
  const members = Number(meta?.members ?? 0);
  const contacts = Number(meta?.contacts ?? 0);
  if (members === 0 && contacts === 0)
    throw new UserError(`no campaign "${campaignId}" with members (see \`retain campaign list\`)`);
  const source: 'members' | 'contacts' = members > 0 ? 'members' : 'contacts';
  const kind = (campaign?.kind as string | null | undefined) ?? null;
  const startDate =
    (campaign?.start as string | null | undefined) ?? (meta?.first_contact as string | null) ?? null;
  if (query.outcomes === 'recorded' && source === 'contacts')
    throw new UserError(
      `campaign "${campaignId}" was imported as contacts: evaluate it with --outcomes data (from churn events and transactions)`,
    );
  const base =
    source === 'members'
      ? `SELECT customer_id, toFloat64(group = 'control') AS control, action, cost, expected_saved
         FROM ${engine.t('campaign_members')} WHERE campaign_id = ${id}`
      : `SELECT customer_id, toFloat64(max(group) = 'control') AS control,
           ifNull(maxIf(offer, group = 'treatment'), '') AS action, toFloat64(ifNull(sum(cost), 0)) AS cost,
           nan AS expected_saved
         FROM ${engine.t('contacts')} WHERE campaign_id = ${id} GROUP BY customer_id`;
  let rows: unknown[][];
  if (query.outcomes === 'recorded') {
    rows = await engine.conn.rowBinary(
      `SELECT customer_id, control, action, cost,
         if(isNull(outcome), nan, if(outcome IN ('retained', 'won_back'), toFloat64(1), toFloat64(0))),
         if(isNull(outcome), nan, ifNull(value, 0)), expected_saved
       FROM (${base}) ANY LEFT JOIN (SELECT customer_id, outcome, value FROM (${currentOutcomes(engine, campaignId)}))
       USING customer_id ORDER BY customer_id`,
      ['String', 'Float64', 'String', 'Float64', 'Float64', 'Float64', 'Float64'],
    );
  } else {
    if (startDate === null) throw new UserError(`campaign "${campaignId}" has no start date`);
    const start = chDate(startDate);
    const end = `${start} + ${chNumber(windowDays)}`;
    const inWindow = (day: string) => `${day} > ${start} AND ${day} <= ${end}`;
    // as DuckDB compares them: the day after the start, the timestamp up to the last day's midnight
    const txInWindow = `toDate(date) > ${start} AND date <= toDateTime(${end}, 'UTC')`;
    const ofCampaign =
      source === 'members'
        ? `customer_id GLOBAL IN (SELECT customer_id FROM ${engine.t('campaign_members')} WHERE campaign_id = ${id})`
        : `customer_id IN (SELECT customer_id FROM ${engine.t('contacts')} WHERE campaign_id = ${id})`;
    const ids = async (sql: string) =>
      new Set((await engine.conn.query(sql)).map((r) => String(r.customer_id)));
    const churned = await ids(
      `SELECT DISTINCT customer_id FROM ${engine.t('churn_events')} WHERE ${inWindow('date')} AND ${ofCampaign}`,
    );
    const [subs] = await engine.conn.query(`SELECT count() AS n FROM ${engine.t('subscriptions')}`);
    const returned = await ids(
      Number(subs!.n) > 0
        ? `SELECT DISTINCT customer_id FROM ${engine.t('subscriptions')}
           WHERE ${inWindow('start_date')} AND ${ofCampaign}`
        : `SELECT DISTINCT customer_id FROM ${engine.t('transactions')}
           WHERE ${txInWindow} AND ${ofCampaign}`,
    );
    const spend = new Map(
      (
        await engine.conn.query(
          `SELECT customer_id, sum(amount) AS v FROM ${engine.t('transactions')}
           WHERE ${txInWindow} AND ${ofCampaign} GROUP BY customer_id`,
        )
      ).map((r) => [String(r.customer_id), Number(r.v)]),
    );
    const winback = kind === 'winback';
    rows = (
      await engine.conn.rowBinary(`${base} ORDER BY customer_id`, [
        'String',
        'Float64',
        'String',
        'Float64',
        'Float64',
      ])
    ).map(([c, control, action, cost, expectedSaved]) => {
      const customer = c as string;
      const success = winback ? (returned.has(customer) ? 1 : 0) : churned.has(customer) ? 0 : 1;
      return [customer, control, action, cost, success, spend.get(customer) ?? 0, expectedSaved];
    });
  }
  const pick = (i: number) => Float64Array.from(rows, (r) => r[i] as number);
  return {
    campaignId,
    kind,
    startDate,
    source,
    customerIds: rows.map((r) => r[0] as string),
    control: Uint8Array.from(rows, (r) => r[1] as number),
    action: rows.map((r) => r[2] as string),
    cost: pick(3),
    success: pick(4),
    value: pick(5),
    expectedSaved: pick(6),
  };
}

export async function chCampaigns(engine: ClickHouseEngine): Promise<CampaignListRow[]> {
  const byCampaign = async (sql: string) =>
    new Map((await engine.conn.query(sql)).map((r) => [String(r.campaign_id), r]));
  const campaigns = await byCampaign(
    `SELECT campaign_id, any(name) AS name, any(kind) AS kind, any(toString(start_date)) AS start
     FROM ${engine.t('campaigns')} GROUP BY campaign_id`,
  );
  const designs = await byCampaign(
    `SELECT campaign_id, any(plan_id) AS plan_id FROM ${engine.t('campaign_designs')} GROUP BY campaign_id`,
  );
  const members = await byCampaign(
    `SELECT campaign_id, countIf(group = 'treatment') AS t, countIf(group = 'control') AS c
     FROM ${engine.t('campaign_members')} GROUP BY campaign_id`,
  );
  const contacts = await byCampaign(
    `SELECT campaign_id, uniqExactIf(customer_id, group = 'treatment') AS t,
       uniqExactIf(customer_id, group = 'control') AS c FROM ${engine.t('contacts')} GROUP BY campaign_id`,
  );
  const outcomes = await byCampaign(
    `SELECT campaign_id, count() AS n FROM ${engine.t('campaign_outcomes')} FINAL WHERE deleted = 0
     GROUP BY campaign_id`,
  );
  const ids = [...new Set([...campaigns.keys(), ...members.keys(), ...contacts.keys()])];
  const startOf = (id: string) => (campaigns.get(id)?.start as string | null | undefined) ?? null;
  // start day (none last), then id: ISO days and ids compare as DuckDB's byte order does for ASCII
  const byte = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  ids.sort((a, b) => {
    const [x, y] = [startOf(a), startOf(b)];
    if (x !== y) return x === null ? 1 : y === null ? -1 : byte(x, y);
    return byte(a, b);
  });
  return ids.map((id) => {
    const g = campaigns.get(id);
    const m = members.get(id);
    const k = contacts.get(id);
    return {
      campaignId: id,
      name: (g?.name as string | null | undefined) ?? null,
      kind: (g?.kind as string | null | undefined) ?? null,
      startDate: startOf(id),
      planId: (designs.get(id)?.plan_id as string | null | undefined) ?? null,
      treatment: Number(m?.t ?? k?.t ?? 0),
      control: Number(m?.c ?? k?.c ?? 0),
      outcomes: Number(outcomes.get(id)?.n ?? 0),
      source: m ? 'members' : 'contacts',
    };
  });
}
