import cliProgress from 'cli-progress';
import type { ProgressReporter } from '../util/progress.js';

/**
 * A progress reporter drawing a bar with throughput on stderr, only when stderr is a terminal (so JSON on
 * stdout and logs stay clean). Each new phase starts a new bar.
 */
export function terminalProgress(enabled = process.stderr.isTTY === true): ProgressReporter {
  if (!enabled) return () => {};
  let bar: cliProgress.SingleBar | null = null;
  let phase = '';
  let started = 0;
  return (event) => {
    if (event.phase !== phase) {
      bar?.stop();
      phase = event.phase;
      started = Date.now();
      bar = new cliProgress.SingleBar(
        {
          format: `${event.phase.padEnd(12)} [{bar}] {percentage}% | {value}/{total} ${event.unit} | {rate} ${event.unit}/s`,
          stream: process.stderr,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(event.total ?? event.done, 0, { rate: 0 });
    }
    const seconds = Math.max((Date.now() - started) / 1000, 1e-3);
    if (event.total !== null) bar!.setTotal(event.total);
    bar!.update(event.done, { rate: Math.round(event.done / seconds).toLocaleString('en-US') });
    if (event.total !== null && event.done >= event.total) {
      bar!.stop();
      bar = null;
      phase = '';
    }
  };
}
