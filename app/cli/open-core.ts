import { Core, type CoreOptions } from '../core.js';
import type { ExecutionProvider } from '../model/providers.js';
import { UserError } from '../util/errors.js';
import type { CliOptions } from './options.js';

export interface Command {
  usage: string;
  run(opts: CliOptions): Promise<void>;
}

const PROVIDERS = new Set(['cpu', 'cuda', 'dml', 'coreml']);

/**
 * What a command may add to the core's options: `singleTextQuery` for a command that embeds one text,
 * `shortLived` for one that indexes and exits.
 */
export type CommandCoreOptions = Pick<CoreOptions, 'singleTextQuery' | 'shortLived'>;

export function openCore(opts: CliOptions, extra: CommandCoreOptions = {}): Core {
  if (opts.provider && !PROVIDERS.has(opts.provider)) throw new UserError(`--provider is one of ${[...PROVIDERS].join(', ')}`);
  return Core.open({
    ...extra,
    libraryDir: opts.libraryDir,
    ...(opts.modelDir ? { modelDir: opts.modelDir } : {}),
    ...(opts.provider ? { preferredProvider: opts.provider as ExecutionProvider } : {}),
    onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
  });
}

export async function withCore(opts: CliOptions, fn: (core: Core) => Promise<void>, extra: CommandCoreOptions = {}): Promise<void> {
  const core = openCore(opts, extra);
  try {
    await fn(core);
  } finally {
    await core.close();
  }
}
/**
 * After the photographer changed marks, tags or albums from the CLI: smart albums (whose filters may name them)
 * are brought up to date before the process exits, as the app does after each such change
 * (LibraryService.notifyChanged). A library without smart albums pays nothing.
 */
export async function updateSmartAlbums(core: Core): Promise<void> {
  if (core.catalog.smartAlbums.smartIds().length > 0) await core.smartAlbumUpdates.schedule();
}

export function needArgs(opts: CliOptions, count: number, usage: string): string[] {
  if (opts.positionals.length < count) throw new UserError(`usage: ${usage}`);
  return opts.positionals;
}
