/**
 * One customer's record from the rows each engine reads (same columns on both: the engine's SQL names
 * them so). The shaping lives here once; only the SQL differs per engine.
 */
import type { Row } from './engine.js';
import type { CustomerDetail } from './customer-list-types.js';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** A JSON text as its value; text that is not JSON as itself; null as null. */
function parseJson(text: unknown): unknown {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(String(text)) as unknown;
  } catch {
    return String(text);
  }
}

export interface CustomerDetailRows {
  readonly customerId: string;
  /** The customers row. */
  readonly customer: Row;
  /** `n`, `revenue`, `first`, `last`. */
  readonly totals: Row;
  /** `m`, `n`, `amount` per month. */
  readonly monthly: readonly Row[];
  /** `d`, `amount`, `product`, `category`, `kind`. */
  readonly recent: readonly Row[];
  /** `subscription_id`, `s`, `e`, `plan`, `monthly_fee`. */
  readonly subscriptions: readonly Row[];
  /** `d`, `reason_code`, `type`, `note`. */
  readonly churnEvents: readonly Row[];
  /** `as_of`, `horizon_days`, `probability`, `model`, `reasons`. */
  readonly scores: readonly Row[];
  /** `m`, `state`, `four_stage`, `five_stage`; null when no stages are recorded. */
  readonly lifecycle: Row | null | undefined;
  /** `as_of`, `level`, `severity`, `recency`, `f_down`, `m_down`. */
  readonly alerts: readonly Row[];
  readonly value: CustomerDetail['value'];
}

export function customerDetailOf(r: CustomerDetailRows): CustomerDetail {
  const { customer: c, totals: t, lifecycle: life } = r;
  return {
    customerId: r.customerId,
    profile: {
      signupDate: str(c.signup_date),
      region: str(c.region),
      channel: str(c.channel),
      plan: str(c.plan),
      segment: str(c.segment),
      gender: str(c.gender),
      age: num(c.age),
      acquisitionCost: num(c.acquisition_cost),
      attributes: parseJson(c.attributes),
      isStub: Boolean(c.is_stub),
    },
    transactions: {
      count: Number(t.n),
      revenue: Number(t.revenue),
      firstPurchase: str(t.first),
      lastPurchase: str(t.last),
      monthly: r.monthly.map((m) => ({ month: String(m.m), count: Number(m.n), amount: Number(m.amount) })),
      recent: r.recent.map((x) => ({
        date: String(x.d),
        amount: Number(x.amount),
        product: str(x.product),
        category: str(x.category),
        kind: str(x.kind),
      })),
    },
    subscriptions: r.subscriptions.map((s) => ({
      subscriptionId: str(s.subscription_id),
      startDate: String(s.s),
      endDate: str(s.e),
      plan: str(s.plan),
      monthlyFee: num(s.monthly_fee),
    })),
    churnEvents: r.churnEvents.map((e) => ({
      date: String(e.d),
      reasonCode: str(e.reason_code),
      type: str(e.type),
      note: str(e.note),
    })),
    churnScores: r.scores.map((s) => ({
      asOf: String(s.as_of),
      horizonDays: Number(s.horizon_days),
      probability: Number(s.probability),
      model: String(s.model),
      reasons: parseJson(s.reasons),
    })),
    lifecycle: life
      ? {
          monthEnd: String(life.m),
          state: String(life.state),
          fourStage: String(life.four_stage),
          fiveStage: String(life.five_stage),
        }
      : null,
    alerts: r.alerts.map((a) => ({
      asOf: String(a.as_of),
      level: String(a.level),
      severity: Number(a.severity),
      recency: Number(a.recency),
      frequencyDownPercent: num(a.f_down),
      monetaryDownPercent: num(a.m_down),
    })),
    value: r.value,
  };
}
