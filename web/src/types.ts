/** The JSON bodies the dashboard reads: what `retain <command> --json` prints (only the fields used). */
export interface TableInfo {
  table: string;
  rows: number;
  from: string | null;
  to: string | null;
}
export interface InfoResponse {
  engine: string;
  schemaVersion: number;
  tables: TableInfo[];
  stubCustomers: number;
}

export interface RfmSegment {
  segment: string;
  customers: number;
  revenue: number;
  customerShare: number;
  revenueShare: number;
  meanRecency: number;
  meanFrequency: number;
  meanMonetary: number;
}
export interface RfmResponse {
  asOf: string;
  bins: number;
  customers: number;
  withoutPurchases: number;
  segments: RfmSegment[];
}

export interface ValueGroup {
  group: string;
  customers: number;
  revenue: number;
  profit: number;
  customerShare: number;
  revenueShare: number;
}
export interface SegmentationResponse {
  segmentation: string;
  asOf: string;
  windowDays: number;
  customers: number;
  notes: string[];
  groups: ValueGroup[];
  details: {
    thresholds?: { current: number; potential: number };
    potentialSource?: string;
    by?: string;
    curve?: { customerShare: number; valueShare: number }[];
  };
}

export interface LifecycleResponse {
  asOf: string;
  model: string;
  customers: number;
  stages: { stage: string; customers: number; share: number }[];
  patterns: { pattern: string; customers: number; share: number }[];
}
export interface LifecycleMixResponse {
  model: string;
  months: string[];
  mix: { monthEnd: string; stage: string; customers: number }[];
}

export interface AlertLevel {
  level: string;
  severity: number;
  customers: number;
  byRecency: number;
  byFrequency: number;
  byMonetary: number;
}
export interface AlertItem {
  customerId: string;
  level: string;
  severity: number;
  lastTransaction: string | null;
  recency: number | null;
  frequencyDownPercent: number | null;
  monetaryDownPercent: number | null;
  change: string | null;
  previousLevel: string | null;
  reasons: string[];
  reasonDetails: AlertReasonDetail[];
}
/** A condition that fired, as codes and numbers (the server's words are in `reasons`). */
export type AlertReasonDetail =
  | { code: 'lost'; recencyDays: number; lostAfterDays: number }
  | { code: 'recency'; recencyDays: number; from: number; to: number }
  | {
      code: 'frequency_down' | 'monetary_down';
      percent: number;
      above: number;
      upTo: number | null;
      recent: number;
      days: number;
      baselineMonthly: number;
    };
export interface GroupStat {
  dimension: string;
  group: string;
  active: number;
  churned: number;
  churnRate: number;
  baselineChurnRate: number;
  spendPerCustomer: number;
  spendChangePercent: number;
  judged: boolean;
}
export interface GroupWarning {
  dimension: string;
  group: string;
  metric: 'churn_rate' | 'spend';
  current: number;
  baseline: number;
  changePercent: number | null;
  z: number;
  active: number;
  change: 'new' | 'continuing' | null;
  reason: string;
}
export interface GroupReport {
  asOf: string;
  periods: { period: number; from: string; to: string }[];
  groups: GroupStat[];
  warnings: GroupWarning[];
}
export interface AlertsResponse {
  asOf: string;
  customers: {
    customers: number;
    shortHistory: number;
    levels: AlertLevel[];
    list: AlertItem[];
  };
  groups: GroupReport | null;
  products: GroupReport | null;
}

export interface CustomersPage {
  total: number;
  rows?: Record<string, unknown>[];
  customers?: Record<string, unknown>[];
}
