import { readFileSync } from 'node:fs';
import type { Engine } from '../../engine/engine.js';
import type { RfmResult } from '../../engine/rfm-types.js';
import { UserError } from '../../util/errors.js';
import { DEFAULT_SEGMENT_MAP, checkSegmentMap, segmentOf, type SegmentRule } from './segment-map.js';

export interface RfmAnalysisOptions {
  readonly asOf?: string;
  readonly bins?: number;
  readonly windowDays?: number;
  /** Replaces the default segment map. */
  readonly segmentMap?: readonly SegmentRule[];
  readonly perCustomer?: boolean;
}

/**
 * RFM scores and named segments for every customer, with a segment summary (customers, revenue, shares).
 *
 * @example const rfm = await rfmAnalysis(engine, { asOf: '2025-12-31', bins: 5 });
 */
export function rfmAnalysis(engine: Engine, options: RfmAnalysisOptions = {}): Promise<RfmResult> {
  const map = options.segmentMap ?? DEFAULT_SEGMENT_MAP;
  const cells = [1, 2, 3, 4, 5].map((r) => [1, 2, 3, 4, 5].map((fm) => segmentOf(map, r, fm)));
  return engine.rfm({
    cells,
    ...(options.asOf ? { asOf: options.asOf } : {}),
    ...(options.bins ? { bins: options.bins } : {}),
    ...(options.windowDays ? { windowDays: options.windowDays } : {}),
    perCustomer: options.perCustomer ?? false,
  });
}

/** Read a user's segment map (JSON array of {segment, r: [lo, hi], fm: [lo, hi]}). */
export function readSegmentMap(file: string): SegmentRule[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${file}: cannot read the segment map (${(error as Error).message})`);
  }
  return checkSegmentMap(parsed, file);
}
