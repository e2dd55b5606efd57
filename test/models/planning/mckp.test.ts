import { describe, expect, it } from 'vitest';
import {
  orderDescending,
  solveMckp,
  solveMckpBruteForce,
  solveMckpDp,
  solveMckpGreedy,
  type MckpProblem,
} from '../../../src/models/planning/mckp.js';
import { Random } from '../../../src/models/random.js';

/** A random problem with whole costs 1..maxCost and profits that are sometimes negative (not allowed). */
function randomProblem(random: Random, n: number, m: number, maxCost: number): MckpProblem {
  const cost = new Float64Array(n * m);
  const profit = new Float64Array(n * m);
  let total = 0;
  for (let k = 0; k < n * m; k++) {
    cost[k] = 1 + Math.floor(random.uniform() * maxCost);
    profit[k] = Math.round((random.uniform() * 2 - 0.3) * cost[k]! * 100) / 100;
    total += cost[k]!;
  }
  return { n, optionsPerCustomer: m, cost, profit, budget: Math.floor((random.uniform() * total) / m) };
}

function spent(p: MckpProblem, choice: Int32Array): number {
  let s = 0;
  choice.forEach((j, i) => {
    if (j >= 0) s += p.cost[i * p.optionsPerCustomer + j]!;
  });
  return s;
}

describe('multiple-choice knapsack', () => {
  it('the dynamic programme equals brute force on 300 small random problems', () => {
    const random = new Random(2024);
    for (let t = 0; t < 300; t++) {
      const p = randomProblem(
        random,
        1 + Math.floor(random.uniform() * 6),
        1 + Math.floor(random.uniform() * 3),
        9,
      );
      const brute = solveMckpBruteForce(p);
      const dp = solveMckpDp(p);
      expect(dp.totalProfit).toBeCloseTo(brute.totalProfit, 9);
      expect(dp.totalCost).toBeLessThanOrEqual(p.budget + 1e-9);
      expect(dp.upperBound).toBeCloseTo(brute.totalProfit, 9);
    }
  });

  it('the greedy is feasible, never beats the optimum, and is within its proven bound', () => {
    const random = new Random(7);
    let exact = 0;
    for (let t = 0; t < 300; t++) {
      const p = randomProblem(
        random,
        1 + Math.floor(random.uniform() * 6),
        1 + Math.floor(random.uniform() * 3),
        9,
      );
      const brute = solveMckpBruteForce(p);
      const greedy = solveMckpGreedy(p);
      expect(spent(p, greedy.choice)).toBeLessThanOrEqual(p.budget + 1e-9);
      expect(greedy.totalProfit).toBeLessThanOrEqual(brute.totalProfit + 1e-9);
      // LP bound: greedy <= OPT <= upperBound
      expect(greedy.upperBound).toBeGreaterThanOrEqual(brute.totalProfit - 1e-9);
      let maxProfit = 0;
      for (const w of p.profit) if (w > maxProfit) maxProfit = w;
      expect(greedy.upperBound - greedy.totalProfit).toBeLessThanOrEqual(maxProfit + 1e-9);
      if (Math.abs(greedy.totalProfit - brute.totalProfit) < 1e-9) exact++;
    }
    expect(exact).toBeGreaterThan(200); // usually exact on these small cases
  });

  it('never chooses an option that loses money, and never overspends', () => {
    const p: MckpProblem = {
      n: 3,
      optionsPerCustomer: 2,
      cost: Float64Array.from([10, 20, 5, 5, 30, 1]),
      profit: Float64Array.from([-1, 0, 4, 3, 50, -0.5]),
      budget: 30,
    };
    for (const method of ['dp', 'greedy'] as const) {
      const s = solveMckp(p, { method });
      expect(Array.from(s.choice)).toEqual([-1, -1, 0]); // 30 + 5 > 30: customer 2's option alone is best
      expect(s.totalCost).toBeLessThanOrEqual(30);
    }
    const bigger = { ...p, budget: 35 };
    expect(Array.from(solveMckp(bigger).choice)).toEqual([-1, 0, 0]);
    expect(solveMckp(bigger).totalProfit).toBe(54);
  });

  it('a hand-computed case: the greedy takes increments by efficiency', () => {
    // customer 0: a (cost 10, profit 30), b (cost 20, profit 40); customer 1: c (cost 10, profit 15)
    const p: MckpProblem = {
      n: 2,
      optionsPerCustomer: 2,
      cost: Float64Array.from([10, 20, 10, Infinity]),
      profit: Float64Array.from([30, 40, 15, NaN]),
      budget: 20,
    };
    const g = solveMckpGreedy(p);
    // increments: a 3.0/unit, c 1.5/unit, a->b 1.0/unit: a and c fit (cost 20, profit 45)
    expect(Array.from(g.choice)).toEqual([0, 0]);
    expect(g.totalProfit).toBe(45);
    expect(g.upperBound).toBe(45);
    expect(solveMckpDp(p).totalProfit).toBe(45);
  });

  it('auto uses the exact programme for whole costs and the greedy otherwise', () => {
    const random = new Random(3);
    const p = randomProblem(random, 20, 3, 9);
    expect(solveMckp(p).method).toBe('dp');
    const frac = { ...p, cost: p.cost.map((c) => c + 0.25) };
    expect(solveMckp(frac).method).toBe('greedy');
  });

  it('orders keys descending, ties by index (radix sort)', () => {
    const keys = Float64Array.from([0.5, 2, Infinity, 0, 2, 1e-300, 1e300, 0.5]);
    expect(Array.from(orderDescending(keys))).toEqual([2, 6, 1, 4, 0, 7, 5, 3]);
    const random = new Random(1);
    const many = Float64Array.from({ length: 5000 }, () => random.uniform() * 100);
    const order = orderDescending(many);
    for (let i = 1; i < order.length; i++)
      expect(many[order[i - 1]!]!).toBeGreaterThanOrEqual(many[order[i]!]!);
  });

  it('plans a million customers with four actions within the budget and near the bound', () => {
    const random = new Random(11);
    const n = 1_000_000;
    const m = 4;
    const cost = new Float64Array(n * m);
    const profit = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      const stake = random.uniform() * 500;
      for (let j = 0; j < m; j++) {
        cost[i * m + j] = [25, 3 + 0.035 * stake * 4, 10, 2 + 0.02 * stake * 4][j]!;
        profit[i * m + j] = stake * [0.3, 0.22, 0.15, 0.08][j]! - cost[i * m + j]!;
      }
    }
    const s = solveMckp({ n, optionsPerCustomer: m, cost, profit, budget: 2_000_000 });
    expect(s.method).toBe('greedy');
    expect(s.totalCost).toBeLessThanOrEqual(2_000_000);
    expect(s.upperBound - s.totalProfit).toBeLessThan(1e-4 * s.totalProfit);
  });
});
