import type { Command } from 'commander';
import type { Engine } from '../engine/engine.js';
import { openWorkspace } from '../workspace.js';

/** Options every workspace command accepts (declared on the root program). */
export interface GlobalOptions {
  readonly db?: string;
}

/** Open the workspace named by the global options, run `work`, and always close it. */
export async function withWorkspace<T>(command: Command, work: (engine: Engine) => Promise<T>): Promise<T> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const engine = await openWorkspace(globals.db === undefined ? {} : { db: globals.db });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}
