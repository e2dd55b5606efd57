import type { ClickHouseEngine } from './clickhouse-engine.js';
import { notOnClickHouse } from './not-yet.js';
import type {
  CampaignCreateInput,
  CampaignListRow,
  CampaignMemberQuery,
  CampaignMembers,
  CampaignOutcomeImport,
  CampaignOutcomeRow,
} from '../planning-types.js';

export function chCreateCampaign(_engine: ClickHouseEngine, _input: CampaignCreateInput): Promise<void> {
  return notOnClickHouse('campaigns');
}

export function chRecordCampaignOutcomes(
  _engine: ClickHouseEngine,
  _campaignId: string,
  _rows: readonly CampaignOutcomeRow[],
): Promise<CampaignOutcomeImport> {
  return notOnClickHouse('campaigns');
}

export function chCampaignMembers(
  _engine: ClickHouseEngine,
  _campaignId: string,
  _query: CampaignMemberQuery,
): Promise<CampaignMembers> {
  return notOnClickHouse('campaigns');
}

export function chCampaigns(_engine: ClickHouseEngine): Promise<CampaignListRow[]> {
  return notOnClickHouse('campaigns');
}
