/**
 * Pointwise confidence intervals for a survival curve, as R's survfit computes them (conf.type "log", the
 * default, "log-log" and "plain"). All three start from σ = the Greenwood standard error of log S
 * (equivalently of the cumulative hazard), which is what survfit stores as `std.err`.
 *
 * - log:     exp(log S ± z σ), upper capped at 1; undefined (NaN) where S = 0.
 * - log-log: exp(-exp(log(-log S) ∓ z σ / log S)); undefined (NaN) where S is 0 or 1 (R reports NA there,
 *            also at the start of every curve, where S = 1).
 * - plain:   S ± z σ S, clipped to [0, 1]; NaN where S = 0 after a time when all at risk died (σ = ∞).
 *
 * Reference: Kalbfleisch & Prentice (2002), section 1.4; Therneau & Grambsch (2000), section 2.1.
 */

import { normalQuantile } from '../special/distributions.js';

export type ConfType = 'log' | 'log-log' | 'plain';

/** Checks a confidence level and returns the two-sided normal quantile z for it. */
export function confidenceZ(confLevel: number): number {
  if (!(confLevel > 0 && confLevel < 1))
    throw new RangeError(`confLevel must be in (0, 1), got ${confLevel}`);
  return normalQuantile(1 - (1 - confLevel) / 2);
}

/**
 * Lower and upper confidence limit for survival s with Greenwood standard error seLog of log s.
 *
 * @example survivalInterval(0.9, 0.01, 1.959963984540054, 'log') // [0.8825..., 0.9178...]
 */
export function survivalInterval(s: number, seLog: number, z: number, type: ConfType): [number, number] {
  switch (type) {
    case 'log': {
      if (s === 0) return [NaN, NaN];
      const w = z * seLog;
      return [Math.exp(Math.log(s) - w), Math.min(1, Math.exp(Math.log(s) + w))];
    }
    case 'log-log': {
      if (s === 0 || s === 1) return [NaN, NaN];
      const ls = Math.log(s);
      const w = (z * seLog) / ls; // negative, since log s < 0
      const ll = Math.log(-ls);
      return [Math.exp(-Math.exp(ll - w)), Math.exp(-Math.exp(ll + w))];
    }
    case 'plain': {
      const w = z * seLog * s;
      return [Math.max(s - w, 0), Math.min(s + w, 1)];
    }
    default: {
      const never: never = type;
      throw new RangeError(`unknown confidence interval type ${String(never)}`);
    }
  }
}
