import { Core, type UseModelProgress } from '../core.js';
import { formatBytes } from '../models/download.js';
import { UserError } from '../util/errors.js';
import type { Command } from './open-core.js';
import type { CliOptions } from './options.js';
import { shownPath, writeJson } from './output.js';
import { cliProgress } from './progress.js';
import { USAGE as COMMAND_USAGE } from './usage.js';

const USAGE = COMMAND_USAGE.model;

/** `model list|install|use`. A mirror or test can point `SHOEBOX_MODEL_REGISTRY` at another registry file. */
export const MODEL_COMMANDS: Record<string, Command> = {
  model: {
    usage: USAGE,
    async run(opts) {
      const [sub, arg] = opts.positionals;
      const core = Core.open({
        libraryDir: opts.libraryDir,
        ...(opts.modelDir ? { modelDir: opts.modelDir } : {}),
        ...(process.env['SHOEBOX_MODEL_REGISTRY'] ? { registryFile: process.env['SHOEBOX_MODEL_REGISTRY'] } : {}),
        onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
      });
      try {
        if (sub === 'list') return list(core, opts);
        if (sub === 'install' && arg) return await install(core, arg, opts);
        if (sub === 'use' && arg) return await use(core, arg, opts);
        throw new UserError(`usage: ${USAGE}`);
      } finally {
        await core.close();
      }
    },
  },
};

function list(core: Core, opts: CliOptions): void {
  const models = core.listModels();
  if (opts.json) return writeJson({ models });
  for (const m of models) {
    const flags = [m.active ? 'active' : '', m.installed ? 'installed' : '', m.default ? 'default' : ''].filter(Boolean).join(', ');
    const size = m.approxBytes ? `~${formatBytes(m.approxBytes)}` : '';
    const accuracy = m.imagenetZeroShotTop1 !== null ? `ImageNet zero-shot ${m.imagenetZeroShotTop1}%` : '';
    process.stdout.write(`${m.id}${flags ? ` [${flags}]` : ''}  ${[m.title, size, accuracy].filter(Boolean).join(', ')}\n`);
  }
}

async function install(core: Core, source: string, opts: CliOptions): Promise<void> {
  const progress = progressPrinter(opts);
  const result = await core.installModel(source, progress.onProgress).finally(progress.end);
  const selfCheck = result.selfCheck ? { correct: result.selfCheck.correct, total: result.selfCheck.total } : null;
  if (opts.json) return writeJson({ id: result.id, dir: result.dir, alreadyInstalled: result.alreadyInstalled, selfCheck });
  if (result.alreadyInstalled) process.stdout.write(`${result.id} is already installed in ${result.dir}\n`);
  else process.stdout.write(`installed ${result.id} in ${result.dir} (self-check ${selfCheck?.correct}/${selfCheck?.total})\n`);
}

async function use(core: Core, name: string, opts: CliOptions): Promise<void> {
  const progress = progressPrinter(opts);
  const result = await core.useModel(name, progress.onProgress).finally(progress.end);
  if (opts.json) return writeJson(result);
  process.stdout.write(
    result.switched ? `now using ${result.id} (${result.embedded} photos embedded)\n` : `already using ${result.id} (${result.embedded} photos embedded)\n`,
  );
  for (const f of result.failed) process.stdout.write(`  failed: ${shownPath(f.path)}: ${f.error}\n`);
}

/** Install and switch progress through the CLI's reporter (see [Note: CLI progress]): a stage per file or phase. */
function progressPrinter(opts: CliOptions): { onProgress: (p: UseModelProgress) => void; end: () => void } {
  const progress = cliProgress(opts);
  let stage = '';
  const onProgress = (p: UseModelProgress) => {
    const label =
      p.phase === 'download'
        ? `downloading ${p.file} (${p.fileIndex + 1}/${p.fileCount})`
        : p.phase === 'index'
          ? 'embedding with the new model'
          : p.phase === 'self-check'
            ? 'running the self-check'
            : `${p.phase}ing`;
    if (label !== stage) {
      if (p.phase === 'download') progress.start(label, 'bytes');
      else if (p.phase === 'index') progress.start(label);
      else progress.step(label);
      stage = label;
    }
    if (p.phase === 'download') progress.update(p.receivedBytes, p.totalBytes ?? undefined);
    else if (p.phase === 'index') progress.update(p.done, p.total, p.failed ? `  ${p.failed} failed` : '');
  };
  return { onProgress, end: () => progress.end() };
}
