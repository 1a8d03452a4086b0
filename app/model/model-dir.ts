import fs from 'node:fs';
import path from 'node:path';
import { modelsDir } from '../library-paths.js';

/** The catalog setting that names the model pack a library last used. */
export const MODEL_SETTING = 'model.dir';

/**
 * Which model pack a library uses: the one asked for (`--model`, `SHOEBOX_MODEL`), else the one it last used,
 * else its only installed pack. Shared by the core and the tokenizer thread that starts with a CLI search
 * (see [Note: the tokenizer from the process's start]), so both always agree on the pack.
 */
export function libraryModelDir(libraryDir: string, explicit: string | undefined, remembered: () => string | undefined): string | undefined {
  return explicit ?? remembered() ?? soleInstalledPack(libraryDir);
}

function soleInstalledPack(libraryDir: string): string | undefined {
  const dir = modelsDir(libraryDir);
  if (!fs.existsSync(dir)) return undefined;
  const packs = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.'));
  return packs.length === 1 ? path.join(dir, packs[0]!.name) : undefined;
}
