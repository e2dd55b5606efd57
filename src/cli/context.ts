import type { Command } from 'commander';
import type { Engine } from '../engine/engine.js';
import { openWorkspace, type WorkspaceOptions } from '../workspace.js';

/** Options every workspace command accepts (declared on the root program). */
export interface GlobalOptions {
  readonly db?: string;
  readonly engine?: string;
  readonly url?: string;
  readonly database?: string;
  readonly cluster?: string;
  readonly workspaceConfig?: string;
}

/** The workspace options named on the command line (the rest comes from the environment or defaults). */
export function workspaceOptions(command: Command): WorkspaceOptions {
  const g = command.optsWithGlobals<GlobalOptions>();
  const keys = ['db', 'engine', 'url', 'database', 'cluster'] as const;
  const options = Object.fromEntries(keys.filter((k) => g[k] !== undefined).map((k) => [k, g[k]]));
  if (g.workspaceConfig !== undefined) options.config = g.workspaceConfig;
  return options as WorkspaceOptions;
}

/** Open the workspace named by the global options, run `work`, and always close it. */
export async function withWorkspace<T>(command: Command, work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await openWorkspace(workspaceOptions(command));
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}
