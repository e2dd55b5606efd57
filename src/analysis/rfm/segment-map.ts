/**
 * The named RFM segments and the score map that assigns them. A cell is an R score and an FM score
 * (the rounded mean of the F and M scores), both on 1..5; the first rule whose ranges hold wins. Users can
 * replace the map with their own JSON file of the same shape (`retain rfm --segments FILE`).
 *
 *          FM=1         FM=2                FM=3     FM=4        FM=5
 *   R=5    new          potential loyalist  loyal    champions   champions
 *   R=4    promising    potential loyalist  loyal    champions   champions
 *   R=3    about to     need attention      loyal    loyal       loyal
 *          sleep
 *   R=2    hibernating  hibernating         at risk  at risk     can't lose them
 *   R=1    lost         lost                at risk  at risk     can't lose them
 */
import { UserError } from '../../util/errors.js';

export interface SegmentRule {
  readonly segment: string;
  /** Inclusive ranges on the 1..5 scale. */
  readonly r: readonly [number, number];
  readonly fm: readonly [number, number];
}

export const DEFAULT_SEGMENT_MAP: readonly SegmentRule[] = [
  { segment: 'champions', r: [4, 5], fm: [4, 5] },
  { segment: 'loyal', r: [3, 5], fm: [3, 5] },
  { segment: 'potential loyalists', r: [4, 5], fm: [2, 2] },
  { segment: 'new', r: [5, 5], fm: [1, 1] },
  { segment: 'promising', r: [4, 4], fm: [1, 1] },
  { segment: 'need attention', r: [3, 3], fm: [2, 2] },
  { segment: 'about to sleep', r: [3, 3], fm: [1, 1] },
  { segment: "can't lose them", r: [1, 2], fm: [5, 5] },
  { segment: 'at risk', r: [1, 2], fm: [3, 4] },
  { segment: 'hibernating', r: [2, 2], fm: [1, 2] },
  { segment: 'lost', r: [1, 1], fm: [1, 2] },
];

/** Check a user's map: ranges within 1..5 and every one of the 25 cells assigned. */
export function checkSegmentMap(map: unknown, source: string): SegmentRule[] {
  if (!Array.isArray(map) || map.length === 0)
    throw new UserError(`${source}: the segment map must be a non-empty JSON array of {segment, r, fm}`);
  const rules = map.map((rule: unknown, i) => {
    const r = rule as Partial<SegmentRule>;
    const range = (v: unknown, name: string): [number, number] => {
      if (
        !Array.isArray(v) ||
        v.length !== 2 ||
        !v.every((n) => Number.isInteger(n) && n >= 1 && n <= 5) ||
        v[0] > v[1]
      )
        throw new UserError(
          `${source}: rule ${i + 1} (${String(r.segment)}): "${name}" must be [low, high] within 1..5`,
        );
      return [v[0], v[1]];
    };
    if (typeof r.segment !== 'string' || r.segment.trim() === '')
      throw new UserError(`${source}: rule ${i + 1}: "segment" must be a name`);
    return { segment: r.segment, r: range(r.r, 'r'), fm: range(r.fm, 'fm') };
  });
  for (let r = 1; r <= 5; r++)
    for (let fm = 1; fm <= 5; fm++)
      if (!rules.some((x) => x.r[0] <= r && r <= x.r[1] && x.fm[0] <= fm && fm <= x.fm[1]))
        throw new UserError(`${source}: no rule covers R=${r}, FM=${fm}`);
  return rules;
}

/** The segment of one cell (first matching rule). */
export function segmentOf(map: readonly SegmentRule[], r: number, fm: number): string {
  const rule = map.find((x) => x.r[0] <= r && r <= x.r[1] && x.fm[0] <= fm && fm <= x.fm[1]);
  return rule?.segment ?? 'other';
}
