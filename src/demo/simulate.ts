/**
 * One customer's life: attributes, signup, then month-by-month billing cycles with usage, bills,
 * purchases and interactions, the planted churn hazards (see model.ts), win-back spells and the
 * retention campaign. Every draw comes from the customer's own stream.
 */
import { DEFAULT_REASON_CODES } from '../data/reason-codes.js';
import { civilFromDays, dayInMonth, daysInMonth, monthIndex, type DateStrings } from './calendar.js';
import type { DemoBatchWriter } from './csv-writer.js';
import { clamp, noise, normal, pickIndex, round2 } from './distributions.js';
import {
  CAMPAIGN_ACCEPT_P,
  CAMPAIGN_CONTROL_SHARE,
  CAMPAIGN_COST_PER_CONTACT,
  CAMPAIGN_DECLINE_P,
  CAMPAIGN_DISCOUNT,
  CAMPAIGN_EFFECT_MONTHS,
  CAMPAIGN_RESCUE_P,
  CHANNEL_CAC,
  CHANNEL_CUM,
  CHANNEL_MULT,
  CHANNELS,
  COMPLAINT_CAUSE_MULT,
  COMPLAINT_MULT,
  CONTRACT_CUM,
  CONTRACT_MULT,
  CONTRACT_TERM,
  CONTRACTS,
  DCR_CUSTOMER_SIGMA,
  DECISION_SEASON,
  DCR_MONTH_SIGMA,
  DECLINE_COMPLAINT_MULT,
  DECLINE_FACTOR,
  DORMANT_FACTOR,
  DOWNGRADE_P,
  EXIT_Q,
  H0,
  H_CREDIT,
  H_FRAUD,
  H_FRAUD_EARLY,
  H_NONUSE,
  H_NONUSE_LOW_USER,
  H_RELOCATION,
  HANDSET_P,
  HANDSET_PRICE,
  LOW_USER_APPETITE,
  MAX_DECLINE_MONTHS,
  NONUSE_DORMANT_MONTHS,
  OFFER_MULT,
  P_ACCESSORY,
  P_BILLING_COMPLAINT,
  P_BILLING_COMPLAINT_PRICE_RISE,
  P_HANDSET_UPGRADE,
  P_NETWORK_COMPLAINT,
  P_NETWORK_COMPLAINT_PER_DCR,
  P_SERVICE_CALL,
  P_SERVICE_COMPLAINT,
  P_SURVEY,
  PLAN_CUM_BY_APPETITE,
  PLAN_DATA_GB,
  PLAN_EXTRA_SHARE,
  PLAN_MINUTES,
  PLAN_MULT,
  PLANS,
  PRICE_RISE_MULT,
  REGION_CUM,
  REGION_DCR,
  REGIONS,
  RETURNER_MULT,
  SEASON,
  TERM_END_MULT,
  UPGRADE_P,
  W_BILLING,
  W_NETWORK,
  W_PRICE,
  W_PROMOTION,
  W_SERVICE,
  WINBACK_DOWNGRADE_P,
  WINBACK_MAX_DAYS,
  WINBACK_MIN_DAYS,
  WINBACK_P,
  YOUNG_PROMOTION_MULT,
  dcrMult,
  feeAt,
  tenureMult,
  type DemoScenario,
} from './model.js';
import type { Rng } from './prng.js';

export interface SimulationContext {
  readonly scenario: DemoScenario;
  readonly dates: DateStrings;
  /** Digits of the number in customer ids (`C` + zero-padded 1-based index). */
  readonly idWidth: number;
  readonly out: DemoBatchWriter;
}

export function customerId(index: number, width: number): string {
  return `C${String(index + 1).padStart(width, '0')}`;
}

const REASON_TYPE: Readonly<Record<string, string>> = Object.fromEntries(
  DEFAULT_REASON_CODES.map((r) => [r.code, r.type]),
);

const REASON_NOTE: Readonly<Record<string, string>> = {
  '101': 'price too high',
  '102': 'competitor promotion',
  '103': 'unhappy with customer service',
  '205': 'poor coverage or dropped calls',
  '207': 'billing dispute',
  '210': 'moved out of the service area',
  '335': 'unpaid bills',
  '345': 'fraud detected',
  '380': 'no usage for 3 months',
};

/** Reasons that end the relationship in the month they are decided (no decline phase). */
const IMMEDIATE = new Set(['210', '335', '345']);
const SERVICE_CALL_TOPICS = ['billing', 'technical', 'plan change', 'other'] as const;
const COMPLAINT_CATEGORIES = ['service', 'billing', 'network'] as const;
/** Interactions and purchases happen between 08:00:00 and 21:59:59. */
const FIRST_SECOND = 8 * 3600;
const LAST_SECOND = 22 * 3600 - 1;

interface Exit {
  readonly day: number;
  readonly reason: string;
}

/** Simulate customer `index` and write all their rows. */
export function simulateCustomer(ctx: SimulationContext, index: number, rng: Rng): void {
  new CustomerLife(ctx, index, rng).run();
}

class CustomerLife {
  private readonly id: string;
  private readonly region: number;
  private readonly channel: number;
  private readonly contract: number;
  private readonly gender: string;
  private readonly age: number;
  private readonly appetite: number;
  private readonly satisfaction: number;
  private readonly dcrLevel: number;
  private readonly signup: number;
  private readonly acquisitionCost: number;
  private plan: number;
  // the open subscription row
  private subSeq = 0;
  private subStart = 0;
  private subPlan = 0;
  private subFee = 0;

  constructor(
    private readonly ctx: SimulationContext,
    index: number,
    private readonly rng: Rng,
  ) {
    const sc = ctx.scenario;
    this.id = customerId(index, ctx.idWidth);
    this.region = pickIndex(rng, REGION_CUM);
    this.channel = pickIndex(rng, CHANNEL_CUM);
    this.contract = pickIndex(rng, CONTRACT_CUM);
    this.gender = rng.chance(0.5) ? 'F' : 'M';
    this.age = Math.round(clamp(42 + 14 * normal(rng), 18, 85));
    this.appetite = noise(rng, 0.5);
    this.satisfaction = normal(rng);
    this.dcrLevel = REGION_DCR[this.region]! * noise(rng, DCR_CUSTOMER_SIGMA);
    this.plan = pickIndex(rng, PLAN_CUM_BY_APPETITE[this.appetite < 0.8 ? 0 : this.appetite > 1.3 ? 2 : 1]);
    const mi = sc.firstMonth + pickIndex(rng, sc.acquisitionCum);
    const first = dayInMonth(mi, 1);
    const last = Math.min(first + daysInMonth(mi) - 1, sc.endDay);
    this.signup = first + rng.int(0, last - first);
    this.acquisitionCost = round2(CHANNEL_CAC[this.channel]! * noise(rng, 0.25));
  }

  run(): void {
    const { scenario: sc, dates, out } = this.ctx;
    let start = this.signup;
    let returner = false;
    for (;;) {
      const exit = this.spell(start, returner);
      if (exit === null) break;
      const p = WINBACK_P[exit.reason];
      if (p === undefined || !this.rng.chance(p)) break;
      const back = exit.day + this.rng.int(WINBACK_MIN_DAYS, WINBACK_MAX_DAYS);
      if (back > sc.endDay) break;
      if (this.plan > 0 && this.rng.chance(WINBACK_DOWNGRADE_P)) this.plan--;
      start = back;
      returner = true;
    }
    out.customer(
      this.id,
      dates.day(this.signup),
      REGIONS[this.region]!,
      CHANNELS[this.channel]!,
      PLANS[this.plan]!,
      CONTRACTS[this.contract]!,
      this.gender,
      this.age,
      this.acquisitionCost,
    );
  }

  private openSub(day: number, plan: number, fee: number): void {
    this.subSeq++;
    this.subStart = day;
    this.subPlan = plan;
    this.subFee = fee;
  }

  private writeSub(end: number | null): void {
    const { dates, out } = this.ctx;
    out.subscription(
      `${this.id}-${this.subSeq}`,
      this.id,
      dates.day(this.subStart),
      end === null ? '' : dates.day(end),
      PLANS[this.subPlan]!,
      this.subFee,
    );
  }

  /** New plan or fee from `day`: the open row ends the day before (or is replaced if it starts that day). */
  private changeSub(day: number, plan: number, fee: number): void {
    if (day === this.subStart) {
      this.subPlan = plan;
      this.subFee = fee;
      return;
    }
    this.writeSub(day - 1);
    this.openSub(day, plan, fee);
  }

  private event(from: number, to: number): [day: number, second: number] {
    return [from + this.rng.int(0, to - from), this.rng.int(FIRST_SECOND, LAST_SECOND)];
  }

  private purchase(
    from: number,
    to: number,
    amount: number,
    costShare: number,
    product: string,
    category: string,
  ) {
    const [day, second] = this.event(from, to);
    const a = round2(amount);
    this.ctx.out.transaction(
      this.id,
      this.ctx.dates.timestamp(day, second),
      a,
      round2(a * costShare),
      1,
      product,
      category,
      'purchase',
    );
  }

  /** One subscription spell from `start`; returns the exit, or null when still active at the end date. */
  private spell(start: number, returner: boolean): Exit | null {
    const { scenario: sc, dates, out } = this.ctx;
    const rng = this.rng;
    const id = this.id;
    const term = CONTRACT_TERM[this.contract]!;
    const civil = civilFromDays(start);
    const startMonth = monthIndex(civil.year, civil.month);
    const billDom = Math.min(civil.day, 28);
    const billDay = (k: number): number => (k === 0 ? start : dayInMonth(startMonth + k, billDom));
    const baseMult =
      H0 * CONTRACT_MULT[this.contract]! * CHANNEL_MULT[this.channel]! * (returner ? RETURNER_MULT : 1);

    this.openSub(start, this.plan, feeAt(sc, this.plan, start));
    const dcrHist: number[] = [];
    const lastComplaint = [-99, -99, -99]; // service, billing, network: billing month of the last one
    let priceRiseStep = -99;
    let reason: string | null = null;
    let decisionStep = -1;
    let pendingPlan = -1;
    let offerUntil = -1;
    let prevBill = start;

    for (let k = 0; ; k++) {
      const bd = billDay(k);
      if (bd > sc.endDay) {
        this.writeSub(null);
        return null;
      }
      const nd = billDay(k + 1);
      const calMonth = (startMonth + k) % 12;

      for (const p of sc.priceRiseDays) {
        if (p > prevBill && p <= bd) {
          const fee = feeAt(sc, this.plan, p);
          if (fee !== this.subFee) {
            this.changeSub(p, this.plan, fee);
            priceRiseStep = k;
          }
        }
      }
      if (pendingPlan >= 0) {
        this.plan = pendingPlan;
        this.changeSub(bd, pendingPlan, feeAt(sc, pendingPlan, bd));
        pendingPlan = -1;
      }
      prevBill = bd;

      // usage factor: appetite x phase (decline, dormancy) x month noise
      let phase = 1;
      if (reason === '380') phase = 0;
      else if (reason !== null) {
        const j = k - decisionStep;
        phase = j < DECLINE_FACTOR.length ? DECLINE_FACTOR[j]! : DORMANT_FACTOR;
      }
      const f = this.appetite * phase * noise(rng, 0.2);
      const plan = this.plan;
      const fee = this.subFee;

      // the bill, dated on the billing day
      let extras = fee * PLAN_EXTRA_SHARE[plan]! * f * noise(rng, 0.3);
      if (rng.chance(0.04 * Math.min(1, f))) extras += rng.uniform(5, 40); // roaming
      const charged = k <= offerUntil ? fee * (1 - CAMPAIGN_DISCOUNT) : fee;
      const midnight = dates.midnight(bd);
      out.transaction(
        id,
        midnight,
        round2(charged + extras),
        round2(0.35 * fee + 0.5 * extras),
        null,
        PLANS[plan]!,
        'service',
        'bill',
      );

      // usage of the month, reported on the billing day
      const minutes = Math.round(PLAN_MINUTES[plan]! * f * noise(rng, 0.25));
      out.interaction(id, midnight, 'usage', 'minutes', minutes, '');
      out.interaction(
        id,
        midnight,
        'usage',
        'data_gb',
        round2(PLAN_DATA_GB[plan]! * f * noise(rng, 0.35)),
        '',
      );
      if (minutes > 0) {
        const dcr = round2(this.dcrLevel * noise(rng, DCR_MONTH_SIGMA));
        out.interaction(id, midnight, 'usage', 'dropped_call_rate', dcr, '');
        dcrHist.push(dcr);
        if (dcrHist.length > 3) dcrHist.shift();
      }
      const dcr3 = dcrHist.length === 0 ? 0 : dcrHist.reduce((a, b) => a + b, 0) / dcrHist.length;

      // decide, or move through the decline phase
      let exit = false;
      const recent = (c: number): boolean => lastComplaint[c]! >= k - 3;
      if (reason === null) {
        const anyComplaint = recent(0) || recent(1) || recent(2);
        const m =
          baseMult *
          PLAN_MULT[plan]! *
          (term > 0 && (k + 1) % term === 0 ? TERM_END_MULT : 1) *
          tenureMult(k) *
          DECISION_SEASON[calMonth]! *
          (anyComplaint ? COMPLAINT_MULT : 1) *
          (k <= offerUntil ? OFFER_MULT : 1);
        const cm = COMPLAINT_CAUSE_MULT;
        const h101 = m * W_PRICE * (k - priceRiseStep <= 2 ? PRICE_RISE_MULT : 1);
        const h102 = m * W_PROMOTION * (this.age < 30 ? YOUNG_PROMOTION_MULT : 1);
        const h103 = m * W_SERVICE * (recent(0) ? cm : 1);
        const h205 = m * W_NETWORK * dcrMult(dcr3) * (recent(2) ? cm : 1);
        const h207 = m * W_BILLING * (recent(1) ? cm : 1);
        const h210 = H_RELOCATION * SEASON[calMonth]!;
        const h335 = H_CREDIT * (this.age < 25 ? 2 : 1) * (this.channel === 2 ? 1.5 : 1);
        const h345 = k < 3 ? H_FRAUD_EARLY : H_FRAUD;
        const h380 = this.appetite < LOW_USER_APPETITE ? H_NONUSE_LOW_USER : H_NONUSE;
        const hs = [h101, h102, h103, h205, h207, h210, h335, h345, h380];
        const total = hs.reduce((a, b) => a + b, 0);
        if (rng.chance(1 - Math.exp(-total))) {
          let x = rng.next() * total;
          let i = 0;
          while (i < hs.length - 1 && x >= hs[i]!) x -= hs[i++]!;
          reason = CODES[i]!;
          decisionStep = k;
          if (IMMEDIATE.has(reason)) exit = true;
          else if (reason !== '380' && plan > 0 && rng.chance(DOWNGRADE_P)) pendingPlan = plan - 1;
        } else if (plan < PLANS.length - 1 && rng.chance(UPGRADE_P * (this.appetite > 1.2 ? 2 : 1))) {
          pendingPlan = plan + 1;
        }
      } else if (reason === '380') {
        exit = k - decisionStep >= NONUSE_DORMANT_MONTHS;
      } else {
        exit =
          k - decisionStep >= MAX_DECLINE_MONTHS || rng.chance(Math.min(0.95, EXIT_Q * SEASON[calMonth]!));
      }

      // events of the month, up to the exit day or the end date
      const exitDay = exit ? bd + rng.int(1, Math.min(27, nd - bd - 1)) : -1;
      const limit = Math.min(exit ? exitDay : nd - 1, sc.endDay);
      const deciding = reason !== null;
      const cmult = deciding ? DECLINE_COMPLAINT_MULT : 1;
      const dcrNow = dcrHist.length > 0 ? dcrHist[dcrHist.length - 1]! : this.dcrLevel;
      const pComplaint = [
        P_SERVICE_COMPLAINT,
        priceRiseStep === k ? P_BILLING_COMPLAINT_PRICE_RISE : P_BILLING_COMPLAINT,
        P_NETWORK_COMPLAINT + P_NETWORK_COMPLAINT_PER_DCR * Math.max(0, dcrNow - 1.5),
      ];
      for (let c = 0; c < 3; c++) {
        if (rng.chance(pComplaint[c]! * cmult)) {
          const [day, second] = this.event(bd, limit);
          out.interaction(id, dates.timestamp(day, second), 'complaint', '', null, COMPLAINT_CATEGORIES[c]!);
          lastComplaint[c] = k;
        }
      }
      if (rng.chance(P_SERVICE_CALL * (deciding ? 2 : 1))) {
        const [day, second] = this.event(bd, limit);
        const topic = SERVICE_CALL_TOPICS[rng.int(0, SERVICE_CALL_TOPICS.length - 1)]!;
        out.interaction(id, dates.timestamp(day, second), 'service_call', '', null, topic);
      }
      if (rng.chance(P_SURVEY)) {
        const [day, second] = this.event(bd, limit);
        const score =
          7.5 +
          1.2 * this.satisfaction -
          (recent(0) || recent(1) || recent(2) ? 2.5 : 0) -
          (dcr3 >= 3 ? 1.5 : 0) -
          (deciding ? 3 : 0) +
          normal(rng);
        out.interaction(
          id,
          dates.timestamp(day, second),
          'survey',
          'nps',
          Math.round(clamp(score, 0, 10)),
          '',
        );
      }
      if (k === 0 && rng.chance(HANDSET_P[plan]!)) {
        this.purchase(bd, bd, HANDSET_PRICE[plan]! * noise(rng, 0.2), 0.85, 'handset', 'device');
      } else if (k >= 18 && !deciding && rng.chance(P_HANDSET_UPGRADE)) {
        this.purchase(bd, limit, HANDSET_PRICE[plan]! * noise(rng, 0.2), 0.85, 'handset', 'device');
      }
      if (rng.chance(P_ACCESSORY * Math.min(f, 1.5))) {
        this.purchase(bd, limit, rng.uniform(10, 80), 0.5, 'accessory', 'accessory');
      }

      // the retention campaign selects at-risk customers on its start day
      const c = sc.campaign;
      if (c !== null && !exit && c.startDay >= bd && c.startDay < nd) {
        const atRisk =
          recent(0) ||
          recent(1) ||
          recent(2) ||
          (deciding && reason !== '380' && rng.chance(0.5)) ||
          (dcr3 >= 3 && rng.chance(0.5)) ||
          (this.contract === 0 && plan === 0 && rng.chance(0.25));
        const contactDay = c.startDay + rng.int(0, 6);
        if (atRisk && contactDay <= limit) {
          if (rng.chance(CAMPAIGN_CONTROL_SHARE)) {
            out.contact(c.id, id, dates.day(c.startDay), 'control', '', '', null);
          } else {
            const u = rng.next();
            const outcome =
              u < CAMPAIGN_ACCEPT_P
                ? 'accepted'
                : u < CAMPAIGN_ACCEPT_P + CAMPAIGN_DECLINE_P
                  ? 'declined'
                  : 'no_answer';
            out.contact(
              c.id,
              id,
              dates.day(contactDay),
              'treatment',
              c.offer,
              outcome,
              CAMPAIGN_COST_PER_CONTACT,
            );
            if (outcome === 'accepted') {
              offerUntil = k + CAMPAIGN_EFFECT_MONTHS;
              if (deciding && reason !== '380' && rng.chance(CAMPAIGN_RESCUE_P)) {
                reason = null;
                decisionStep = -1;
                pendingPlan = -1;
              }
            }
          }
        }
      }

      if (exit) {
        if (exitDay > sc.endDay) {
          this.writeSub(null);
          return null;
        }
        this.writeSub(exitDay);
        const r = reason!;
        const note = r === '101' && k - priceRiseStep <= 6 ? 'price rise' : REASON_NOTE[r]!;
        out.churnEvent(id, dates.day(exitDay), r, REASON_TYPE[r]!, note);
        return { day: exitDay, reason: r };
      }
    }
  }
}

const CODES = ['101', '102', '103', '205', '207', '210', '335', '345', '380'] as const;
