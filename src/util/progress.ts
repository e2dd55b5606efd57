/** Progress of a long operation, reported by the library and drawn by a shell (CLI bar, server job). */
export interface ProgressEvent {
  readonly phase: string;
  /** Units done so far and expected in all (rows, customers...); `total` null when unknown. */
  readonly done: number;
  readonly total: number | null;
  readonly unit: string;
}

export type ProgressReporter = (event: ProgressEvent) => void;

export const silentProgress: ProgressReporter = () => {};
