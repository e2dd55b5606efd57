/**
 * Campaigns built from plans, in DuckDB: the campaign row (in `campaigns`), its design (plan, holdout,
 * seed), its members with their group, and recorded outcomes; the members with outcomes for evaluation,
 * either as recorded or read from the workspace; the campaign list.
 *
 * Outcomes from the workspace (`outcomes: 'data'`), in the window (start, start + window days]: a retention
 * campaign's member is retained unless they have a churn event in the window; a win-back campaign's member
 * is won back when they return in it (a subscription starting, or without subscriptions a transaction).
 * Value is the net amount of their transactions in the window. Imported contacts (the `contacts` table) are
 * evaluated the same way, their group taken from the contact row.
 */
import { DuckDBDateValue } from '@duckdb/node-api';
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
import type { DuckDbEngine } from './duckdb-engine.js';
import { readColumns } from './read-columns.js';

const dayValue = (iso: string) =>
  new DuckDBDateValue(Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000));

export async function duckDbCreateCampaign(engine: DuckDbEngine, input: CampaignCreateInput): Promise<void> {
  checkIsoDate('--start', input.startDate);
  const [exists] = await engine.query(
    `SELECT (SELECT count(*) FROM campaigns WHERE campaign_id = $1) +
       (SELECT count(*) FROM campaign_members WHERE campaign_id = $1) AS n`,
    [input.campaignId],
  );
  if (Number(exists!.n) > 0) throw new UserError(`campaign "${input.campaignId}" already exists`);
  await engine.transaction(async () => {
    await engine.run(
      `INSERT INTO campaigns (campaign_id, "name", kind, start_date) VALUES ($1, $2, $3, CAST($4 AS DATE))`,
      [input.campaignId, input.name, input.kind, input.startDate],
    );
    await engine.run(`INSERT INTO campaign_designs VALUES ($1, $2, $3, $4, now()::TIMESTAMP)`, [
      input.campaignId,
      input.planId,
      input.holdout,
      input.seed,
    ]);
    const appender = await engine.connection.createAppender('campaign_members');
    const day = dayValue(input.startDate);
    for (const m of input.members) {
      appender.appendVarchar(input.campaignId);
      appender.appendVarchar(m.customerId);
      appender.appendVarchar(m.group);
      appender.appendVarchar(m.action);
      appender.appendDouble(m.cost);
      appender.appendDouble(m.probability);
      appender.appendDouble(m.value);
      appender.appendDouble(m.expectedSaved);
      appender.appendDate(day);
      appender.endRow();
    }
    appender.closeSync();
  });
}

/** Insert or update outcomes (one per member); the same file again changes nothing. */
export async function duckDbRecordCampaignOutcomes(
  engine: DuckDbEngine,
  campaignId: string,
  rows: readonly CampaignOutcomeRow[],
): Promise<CampaignOutcomeImport> {
  const stage = 'retain_outcome_stage';
  return engine.transaction(async () => {
    await engine.run(`DROP TABLE IF EXISTS ${stage}`);
    await engine.run(
      `CREATE TEMP TABLE ${stage} (customer_id VARCHAR, outcome VARCHAR, "value" DOUBLE, "date" DATE)`,
    );
    // parameterised inserts in one transaction: outcome files are campaign-sized (thousands of rows)
    for (let start = 0; start < rows.length; start += 500) {
      const chunk = rows.slice(start, start + 500);
      const params: unknown[] = [];
      const tuples = chunk.map((r) => {
        params.push(r.customerId, r.outcome, r.value, r.date);
        const k = params.length;
        return `($${k - 3}, $${k - 2}, $${k - 1}, CAST($${k} AS DATE))`;
      });
      await engine.run(`INSERT INTO ${stage} VALUES ${tuples.join(', ')}`, params);
    }
    const [counts] = await engine.query(
      `SELECT count(*) FILTER (WHERE o.customer_id IS NULL) AS inserted,
         count(*) FILTER (WHERE o.customer_id IS NOT NULL AND (o.outcome IS DISTINCT FROM s.outcome
           OR o."value" IS DISTINCT FROM s."value" OR o."date" IS DISTINCT FROM s."date")) AS updated,
         count(*) FILTER (WHERE o.customer_id IS NOT NULL AND o.outcome IS NOT DISTINCT FROM s.outcome
           AND o."value" IS NOT DISTINCT FROM s."value" AND o."date" IS NOT DISTINCT FROM s."date") AS unchanged
       FROM ${stage} s LEFT JOIN campaign_outcomes o ON o.campaign_id = $1 AND o.customer_id = s.customer_id`,
      [campaignId],
    );
    await engine.run(
      `DELETE FROM campaign_outcomes WHERE campaign_id = $1 AND customer_id IN (SELECT customer_id FROM ${stage})`,
      [campaignId],
    );
    await engine.run(
      `INSERT INTO campaign_outcomes SELECT $1, customer_id, outcome, "value", "date", now()::TIMESTAMP FROM ${stage}`,
      [campaignId],
    );
    await engine.run(`DROP TABLE IF EXISTS ${stage}`);
    return {
      inserted: Number(counts!.inserted),
      updated: Number(counts!.updated),
      unchanged: Number(counts!.unchanged),
    };
  });
}

export async function duckDbCampaignMembers(
  engine: DuckDbEngine,
  campaignId: string,
  query: CampaignMemberQuery,
): Promise<CampaignMembers> {
  const windowDays = query.windowDays ?? 90;
  if (!(Number.isInteger(windowDays) && windowDays > 0))
    throw new UserError('--window must be a whole number of days > 0');
  const [meta] = await engine.query(
    `SELECT kind, strftime(start_date, '%Y-%m-%d') AS start,
       (SELECT count(*) FROM campaign_members WHERE campaign_id = $1) AS members,
       (SELECT count(*) FROM contacts WHERE campaign_id = $1) AS contacts,
       (SELECT strftime(min("date"), '%Y-%m-%d') FROM contacts WHERE campaign_id = $1) AS first_contact
     FROM (SELECT 1) LEFT JOIN campaigns ON campaign_id = $1`,
    [campaignId],
  );
  const members = Number(meta?.members ?? 0);
  const contacts = Number(meta?.contacts ?? 0);
  if (members === 0 && contacts === 0)
    throw new UserError(`no campaign "${campaignId}" with members (see \`retain campaign list\`)`);
  const source: 'members' | 'contacts' = members > 0 ? 'members' : 'contacts';
  const kind = (meta?.kind as string | null) ?? null;
  const startDate = (meta?.start as string | null) ?? (meta?.first_contact as string | null) ?? null;
  if (query.outcomes === 'recorded' && source === 'contacts')
    throw new UserError(
      `campaign "${campaignId}" was imported as contacts: evaluate it with --outcomes data (from churn events and transactions)`,
    );
  const base =
    source === 'members'
      ? `SELECT customer_id, CAST("group" = 'control' AS DOUBLE) AS control, action, cost, expected_saved
         FROM campaign_members WHERE campaign_id = $1`
      : `SELECT customer_id, CAST(max("group") = 'control' AS DOUBLE) AS control,
           coalesce(max(offer) FILTER (WHERE "group" = 'treatment'), '') AS action,
           coalesce(sum(cost), 0) AS cost, NULL::DOUBLE AS expected_saved
         FROM contacts WHERE campaign_id = $1 GROUP BY customer_id`;
  let outcome: string;
  const params: unknown[] = [campaignId];
  if (query.outcomes === 'recorded') {
    outcome = `SELECT b.*, CASE WHEN o.outcome IN ('retained', 'won_back') THEN 1.0
          WHEN o.outcome IS NOT NULL THEN 0.0 END AS success,
        CASE WHEN o.outcome IS NOT NULL THEN coalesce(o."value", 0) END AS val
      FROM b LEFT JOIN campaign_outcomes o ON o.campaign_id = $1 AND o.customer_id = b.customer_id`;
  } else {
    if (startDate === null) throw new UserError(`campaign "${campaignId}" has no start date`);
    params.push(startDate);
    const [subs] = await engine.query(`SELECT count(*) AS n FROM subscriptions`);
    const win = `> CAST($2 AS DATE) AND "date" <= CAST($2 AS DATE) + INTERVAL ${windowDays} DAY`;
    const winback = kind === 'winback';
    const returned =
      Number(subs!.n) > 0
        ? `SELECT DISTINCT customer_id FROM subscriptions WHERE start_date > CAST($2 AS DATE)
             AND start_date <= CAST($2 AS DATE) + INTERVAL ${windowDays} DAY`
        : `SELECT DISTINCT customer_id FROM transactions WHERE CAST("date" AS DATE) ${win}`;
    outcome = `, churned AS (SELECT DISTINCT customer_id FROM churn_events WHERE "date" ${win}),
      returned AS (${returned}),
      spend AS (SELECT customer_id, sum(amount) AS v FROM transactions WHERE CAST("date" AS DATE) ${win}
        GROUP BY customer_id)
      SELECT b.*, ${
        winback
          ? 'CASE WHEN r.customer_id IS NOT NULL THEN 1.0 ELSE 0.0 END'
          : 'CASE WHEN c.customer_id IS NULL THEN 1.0 ELSE 0.0 END'
      } AS success, coalesce(s.v, 0) AS val
      FROM b LEFT JOIN churned c ON c.customer_id = b.customer_id
        LEFT JOIN returned r ON r.customer_id = b.customer_id
        LEFT JOIN spend s ON s.customer_id = b.customer_id`;
  }
  const sql = `WITH b AS (${base}) ${outcome} ORDER BY b.customer_id`;
  const cols = await readColumns(
    engine.connection,
    `SELECT customer_id, control::DOUBLE, action, cost::DOUBLE, success::DOUBLE, val::DOUBLE,
       expected_saved::DOUBLE FROM (${sql})`,
    {
      customerIds: 'string',
      control: 'f64',
      action: 'string',
      cost: 'f64',
      success: 'f64',
      value: 'f64',
      expectedSaved: 'f64',
    } as const,
    params,
  );
  return {
    campaignId,
    kind,
    startDate,
    source,
    customerIds: cols.customerIds,
    control: Uint8Array.from(cols.control),
    action: cols.action,
    cost: cols.cost,
    success: cols.success,
    value: cols.value,
    expectedSaved: cols.expectedSaved,
  };
}

export async function duckDbCampaigns(engine: DuckDbEngine): Promise<CampaignListRow[]> {
  const rows = await engine.query(
    `WITH ids AS (
       SELECT campaign_id FROM campaigns UNION SELECT campaign_id FROM campaign_members
       UNION SELECT campaign_id FROM contacts),
     m AS (SELECT campaign_id, count(*) FILTER (WHERE "group" = 'treatment') AS t,
       count(*) FILTER (WHERE "group" = 'control') AS c FROM campaign_members GROUP BY campaign_id),
     k AS (SELECT campaign_id, count(DISTINCT customer_id) FILTER (WHERE "group" = 'treatment') AS t,
       count(DISTINCT customer_id) FILTER (WHERE "group" = 'control') AS c FROM contacts GROUP BY campaign_id),
     o AS (SELECT campaign_id, count(*) AS n FROM campaign_outcomes GROUP BY campaign_id)
     SELECT ids.campaign_id, g."name", g.kind, strftime(g.start_date, '%Y-%m-%d') AS start, d.plan_id,
       coalesce(m.t, k.t, 0) AS t, coalesce(m.c, k.c, 0) AS c, coalesce(o.n, 0) AS o,
       CASE WHEN m.campaign_id IS NULL THEN 'contacts' ELSE 'members' END AS source
     FROM ids LEFT JOIN campaigns g USING (campaign_id) LEFT JOIN campaign_designs d USING (campaign_id)
       LEFT JOIN m USING (campaign_id) LEFT JOIN k USING (campaign_id) LEFT JOIN o USING (campaign_id)
     ORDER BY g.start_date NULLS LAST, ids.campaign_id`,
  );
  return rows.map((r) => ({
    campaignId: String(r.campaign_id),
    name: (r.name as string | null) ?? null,
    kind: (r.kind as string | null) ?? null,
    startDate: (r.start as string | null) ?? null,
    planId: (r.plan_id as string | null) ?? null,
    treatment: Number(r.t),
    control: Number(r.c),
    outcomes: Number(r.o),
    source: r.source === 'members' ? 'members' : 'contacts',
  }));
}
