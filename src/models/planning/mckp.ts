/**
 * The multiple-choice knapsack behind retention planning: every customer i gets at most one of the
 * actions j (or none); action j on customer i costs cost[i][j] >= 0 and is worth profit[i][j] (expected
 * saved value net of its cost). Maximise the total profit with the total cost within the budget.
 *
 * Two solvers on typed arrays (options laid out customer by customer, `optionsPerCustomer` each; an
 * option with a non-positive profit or a non-finite cost is never chosen: it would lose money):
 *
 * - `solveMckpDp`: exact dynamic programming over a cost grid (costs in whole grid steps, rounded up, so
 *   the plan never exceeds the budget). Exact whenever every cost is a multiple of the grid step; time
 *   n x options x budget / step. For small problems.
 * - `solveMckpGreedy`: the incremental-efficiency greedy (Sinha & Zoltners 1979). Per customer, the
 *   options that are dominated (cost more, give less) or LP-dominated (below the upper convex hull of
 *   (cost, profit) through (0, 0)) are dropped; the hull's steps are the increments, each with
 *   efficiency = extra profit / extra cost, decreasing along a customer's hull. All increments are taken
 *   in order of efficiency while they fit. Taking increments in that order up to the budget with the last
 *   one cut fractionally is the optimum of the LP relaxation, an upper bound U on the best plan, so
 *   greedy <= OPT <= U, and U - greedy <= the profit of the one increment that was cut (the "split"
 *   increment): the result reports U and that gap. After the split the greedy goes on filling the rest
 *   of the budget with the increments that still fit (a customer whose next step does not fit takes no
 *   further step). Sorting is an LSD radix sort of the efficiencies' bit patterns (O(n)), so a million
 *   customers with a few actions each plan in well under a second.
 */

export interface MckpProblem {
  /** Customers. */
  readonly n: number;
  readonly optionsPerCustomer: number;
  /** cost[i * optionsPerCustomer + j]; non-finite = not allowed. */
  readonly cost: Float64Array;
  /** profit[i * optionsPerCustomer + j]; <= 0 or non-finite = not allowed. */
  readonly profit: Float64Array;
  readonly budget: number;
}

export interface MckpSolution {
  /** Chosen option per customer, -1 = none. */
  readonly choice: Int32Array;
  readonly totalCost: number;
  readonly totalProfit: number;
  /** An upper bound on the best total profit (the LP relaxation for the greedy; the optimum for dp). */
  readonly upperBound: number;
  readonly method: 'dp' | 'greedy';
}

function allowed(cost: number, profit: number): boolean {
  return Number.isFinite(cost) && cost >= 0 && Number.isFinite(profit) && profit > 0;
}

function totals(p: MckpProblem, choice: Int32Array): { totalCost: number; totalProfit: number } {
  let totalCost = 0;
  let totalProfit = 0;
  const m = p.optionsPerCustomer;
  for (let i = 0; i < p.n; i++) {
    const j = choice[i]!;
    if (j < 0) continue;
    totalCost += p.cost[i * m + j]!;
    totalProfit += p.profit[i * m + j]!;
  }
  return { totalCost, totalProfit };
}

function check(p: MckpProblem): void {
  if (!(p.budget >= 0)) throw new RangeError(`budget must be >= 0, got ${p.budget}`);
  if (p.cost.length !== p.n * p.optionsPerCustomer || p.profit.length !== p.n * p.optionsPerCustomer)
    throw new RangeError('cost and profit must hold n x optionsPerCustomer values');
}

/** Cells (customers x grid steps) above which `solveMckpDp` refuses (memory for backtracking). */
export const MAX_DP_CELLS = 50_000_000;

/**
 * Exact dynamic programme on a cost grid of `step` (costs rounded up to whole steps; exact when they are
 * multiples of it).
 */
export function solveMckpDp(p: MckpProblem, step = 1): MckpSolution {
  check(p);
  if (!(step > 0)) throw new RangeError(`step must be > 0, got ${step}`);
  const m = p.optionsPerCustomer;
  const capacity = Math.floor(p.budget / step + 1e-9);
  // only customers with at least one allowed option that fits the budget on its own take part
  const units = new Int32Array(p.n * m).fill(-1);
  const active: number[] = [];
  let onGrid = true;
  for (let i = 0; i < p.n; i++) {
    let any = false;
    for (let j = 0; j < m; j++) {
      const k = i * m + j;
      if (!allowed(p.cost[k]!, p.profit[k]!)) continue;
      const u = Math.ceil(p.cost[k]! / step - 1e-9);
      if (Math.abs(p.cost[k]! / step - u) > 1e-9) onGrid = false;
      if (u > capacity) continue;
      units[k] = u;
      any = true;
    }
    if (any) active.push(i);
  }
  const width = capacity + 1;
  if (active.length * width > MAX_DP_CELLS)
    throw new RangeError(`the dynamic programme needs ${active.length * width} cells: too large`);
  let best = new Float64Array(width);
  let next = new Float64Array(width);
  // pick[a * width + c] = option chosen for active customer a at capacity c, 255 = none
  const pick = new Uint8Array(active.length * width).fill(255);
  if (m > 254) throw new RangeError('at most 254 options per customer');
  for (let a = 0; a < active.length; a++) {
    const i = active[a]!;
    next.set(best);
    const row = a * width;
    for (let j = 0; j < m; j++) {
      const k = i * m + j;
      const u = units[k]!;
      if (u < 0) continue;
      const w = p.profit[k]!;
      for (let c = capacity; c >= u; c--) {
        const v = best[c - u]! + w;
        if (v > next[c]!) {
          next[c] = v;
          pick[row + c] = j;
        }
      }
    }
    [best, next] = [next, best];
  }
  const choice = new Int32Array(p.n).fill(-1);
  let c = capacity;
  for (let a = active.length - 1; a >= 0; a--) {
    const j = pick[a * width + c]!;
    if (j === 255) continue;
    const i = active[a]!;
    choice[i] = j;
    c -= units[i * m + j]!;
  }
  const t = totals(p, choice);
  // exact when every cost is on the grid; otherwise the LP relaxation bounds the true optimum
  const upperBound = onGrid ? t.totalProfit : Math.max(t.totalProfit, solveMckpGreedy(p).upperBound);
  return { choice, ...t, upperBound, method: 'dp' };
}

/**
 * Order of the indices 0..n-1 by key, largest first, ties by index (stable LSD radix sort on the keys' bit
 * patterns; every key must be >= 0 or +Infinity, never NaN).
 */
export function orderDescending(keys: Float64Array): Uint32Array {
  const n = keys.length;
  const words = new Uint32Array(keys.buffer, keys.byteOffset, n * 2);
  let order = new Uint32Array(n);
  let other = new Uint32Array(n);
  // ascending on the inverted bits = descending on the keys; stability keeps ties in index order
  for (let i = 0; i < n; i++) order[i] = i;
  const counts = new Uint32Array(65_537);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const d = (~words[i * 2 + word]! >>> shift) & 0xffff;
      counts[d + 1]!++;
    }
    if (counts[((~words[word]! >>> shift) & 0xffff) + 1] === n) continue; // every digit the same
    for (let d = 0; d < 65_536; d++) counts[d + 1]! += counts[d]!;
    for (let r = 0; r < n; r++) {
      const i = order[r]!;
      const d = (~words[i * 2 + word]! >>> shift) & 0xffff;
      other[counts[d]!++] = i;
    }
    [order, other] = [other, order];
  }
  return order;
}

/** The greedy on incremental efficiencies with its LP upper bound (see the file comment). */
export function solveMckpGreedy(p: MckpProblem): MckpSolution {
  check(p);
  const m = p.optionsPerCustomer;
  // hull increments, customer by customer: option index, extra cost, extra profit
  let capacity = Math.max(16, p.n);
  let incCustomer = new Uint32Array(capacity);
  let incOption = new Int32Array(capacity);
  let incCost = new Float64Array(capacity);
  let incProfit = new Float64Array(capacity);
  let count = 0;
  const hullC = new Float64Array(m + 1);
  const hullP = new Float64Array(m + 1);
  const hullJ = new Int32Array(m + 1);
  const opts: number[] = [];
  for (let i = 0; i < p.n; i++) {
    opts.length = 0;
    for (let j = 0; j < m; j++) {
      const k = i * m + j;
      if (allowed(p.cost[k]!, p.profit[k]!) && p.cost[k]! <= p.budget) opts.push(j);
    }
    if (opts.length === 0) continue;
    const base = i * m;
    opts.sort((a, b) => p.cost[base + a]! - p.cost[base + b]! || p.profit[base + b]! - p.profit[base + a]!);
    let h = 1;
    hullC[0] = 0;
    hullP[0] = 0;
    hullJ[0] = -1;
    for (const j of opts) {
      const c = p.cost[base + j]!;
      const w = p.profit[base + j]!;
      if (w <= hullP[h - 1]!) continue; // dominated: costs at least as much, gives no more
      if (c === hullC[h - 1]!) h--; // same cost, more profit: replaces the last point
      // drop points under the chord (LP-dominated): slope in must exceed slope out
      while (h >= 2) {
        const s1 = (hullP[h - 1]! - hullP[h - 2]!) * (c - hullC[h - 1]!);
        const s2 = (w - hullP[h - 1]!) * (hullC[h - 1]! - hullC[h - 2]!);
        if (s1 > s2) break;
        h--;
      }
      hullC[h] = c;
      hullP[h] = w;
      hullJ[h] = j;
      h++;
    }
    for (let k = 1; k < h; k++) {
      if (count === capacity) {
        capacity *= 2;
        const grow = <T extends Uint32Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
          const b = make(capacity);
          b.set(a);
          return b;
        };
        incCustomer = grow(incCustomer, (n) => new Uint32Array(n));
        incOption = grow(incOption, (n) => new Int32Array(n));
        incCost = grow(incCost, (n) => new Float64Array(n));
        incProfit = grow(incProfit, (n) => new Float64Array(n));
      }
      incCustomer[count] = i;
      incOption[count] = hullJ[k]!;
      incCost[count] = hullC[k]! - hullC[k - 1]!;
      incProfit[count] = hullP[k]! - hullP[k - 1]!;
      count++;
    }
  }
  const efficiency = new Float64Array(count);
  for (let r = 0; r < count; r++)
    efficiency[r] = incCost[r]! > 0 ? incProfit[r]! / incCost[r]! : Number.POSITIVE_INFINITY;
  const order = orderDescending(efficiency);

  const choice = new Int32Array(p.n).fill(-1);
  const blocked = new Uint8Array(p.n);
  // a customer's increments come in hull order; `level` tracks which one is next
  let remaining = p.budget;
  let lpRemaining = p.budget;
  let lpValue = 0;
  let lpOpen = true;
  for (let r = 0; r < count; r++) {
    const k = order[r]!;
    const c = incCost[k]!;
    const w = incProfit[k]!;
    if (lpOpen) {
      if (c <= lpRemaining) {
        lpRemaining -= c;
        lpValue += w;
      } else {
        lpValue += (w * lpRemaining) / c;
        lpOpen = false;
      }
    }
    const i = incCustomer[k]!;
    if (blocked[i]) continue;
    if (c <= remaining + 1e-9 * Math.max(1, p.budget)) {
      remaining -= c;
      choice[i] = incOption[k]!;
    } else blocked[i] = 1;
  }
  const t = totals(p, choice);
  return { choice, ...t, upperBound: Math.max(lpValue, t.totalProfit), method: 'greedy' };
}

/**
 * Exhaustive search over every assignment ((options + 1)^n of them): only for checking the solvers on
 * tiny problems.
 */
export function solveMckpBruteForce(p: MckpProblem): MckpSolution {
  check(p);
  const m = p.optionsPerCustomer;
  const choice = new Int32Array(p.n).fill(-1);
  let best = new Int32Array(p.n).fill(-1);
  let bestProfit = 0;
  const walk = (i: number, cost: number, profit: number): void => {
    if (i === p.n) {
      if (profit > bestProfit + 1e-12) {
        bestProfit = profit;
        best = choice.slice();
      }
      return;
    }
    choice[i] = -1;
    walk(i + 1, cost, profit);
    for (let j = 0; j < m; j++) {
      const k = i * m + j;
      if (!allowed(p.cost[k]!, p.profit[k]!) || cost + p.cost[k]! > p.budget + 1e-9) continue;
      choice[i] = j;
      walk(i + 1, cost + p.cost[k]!, profit + p.profit[k]!);
    }
    choice[i] = -1;
  };
  walk(0, 0, 0);
  const t = totals(p, best);
  return { choice: best, ...t, upperBound: t.totalProfit, method: 'dp' };
}

export interface SolveOptions {
  readonly method?: 'auto' | 'dp' | 'greedy';
  /** Cost grid step of the dynamic programme (default 1: whole currency units). */
  readonly step?: number;
  /** `auto` uses the dynamic programme up to this many cells (customers x grid steps); default 2e7. */
  readonly maxDpCells?: number;
}

/**
 * `auto`: the exact dynamic programme when every allowed cost is a multiple of the grid step and the
 * table is small, else the greedy with its bound.
 */
export function solveMckp(p: MckpProblem, options: SolveOptions = {}): MckpSolution {
  const method = options.method ?? 'auto';
  const step = options.step ?? 1;
  if (method === 'dp') return solveMckpDp(p, step);
  if (method === 'greedy') return solveMckpGreedy(p);
  let onGrid = true;
  let active = 0;
  const m = p.optionsPerCustomer;
  for (let i = 0; i < p.n; i++) {
    let any = false;
    for (let j = 0; j < m; j++) {
      const k = i * m + j;
      if (!allowed(p.cost[k]!, p.profit[k]!)) continue;
      any = true;
      const u = p.cost[k]! / step;
      if (Math.abs(u - Math.round(u)) > 1e-9) onGrid = false;
    }
    if (any) active++;
  }
  const cells = active * (Math.floor(p.budget / step) + 1);
  if (onGrid && cells <= (options.maxDpCells ?? 20_000_000)) return solveMckpDp(p, step);
  return solveMckpGreedy(p);
}
