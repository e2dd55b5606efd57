/**
 * A seeded random holdout (control group): within every stratum (e.g. the planned action) exactly
 * round(share x size) members are drawn without replacement, by a Fisher-Yates shuffle of the stratum in
 * the given order. Same members, order, share and seed: the same groups, on every platform.
 */
import { Random } from '../random.js';

/** 1 = control, 0 = treatment, per member. */
export function assignHoldout(strata: readonly string[], share: number, seed: number): Uint8Array {
  if (!(share >= 0 && share < 1)) throw new RangeError(`holdout share must be in [0, 1), got ${share}`);
  const random = new Random(seed);
  const byStratum = new Map<string, number[]>();
  strata.forEach((s, i) => {
    let list = byStratum.get(s);
    if (!list) byStratum.set(s, (list = []));
    list.push(i);
  });
  const control = new Uint8Array(strata.length);
  for (const key of [...byStratum.keys()].sort()) {
    const members = byStratum.get(key)!;
    const k = Math.round(share * members.length);
    // partial Fisher-Yates: the first k places get a uniform random subset
    for (let a = 0; a < k; a++) {
      const b = a + Math.floor(random.uniform() * (members.length - a));
      [members[a], members[b]] = [members[b]!, members[a]!];
      control[members[a]!] = 1;
    }
  }
  return control;
}
