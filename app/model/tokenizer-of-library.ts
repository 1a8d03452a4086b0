import fs from 'node:fs';
import path from 'node:path';
import { CATALOG_FILE } from '../library-paths.js';
import { loadModelPack } from './load-pack.js';
import { libraryModelDir, MODEL_SETTING } from './model-dir.js';
import type { TokenizerSpec } from './pack-types.js';

/**
 * The tokenizer of the pack a library uses, found from the library folder alone (read-only: the catalog is
 * only read, never created or migrated). Undefined when that cannot be told without the core: no catalog yet,
 * no pack, a pack that does not load; the core then finds out and says why.
 */
export async function tokenizerOfLibrary(libraryDir: string, explicitModelDir: string | undefined): Promise<TokenizerSpec | undefined> {
  const catalog = path.join(libraryDir, CATALOG_FILE);
  const remembered = explicitModelDir || !fs.existsSync(catalog) ? undefined : await rememberedModelDir(catalog);
  const dir = libraryModelDir(libraryDir, explicitModelDir, () => remembered);
  if (!dir) return undefined;
  try {
    return loadModelPack(dir).tokenizer;
  } catch {
    return undefined;
  }
}

async function rememberedModelDir(catalogFile: string): Promise<string | undefined> {
  const { default: Database } = await import('better-sqlite3');
  try {
    const db = new Database(catalogFile, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT value FROM settings WHERE key = ?').get(MODEL_SETTING) as { value: string } | undefined)?.value;
    } finally {
      db.close();
    }
  } catch {
    return undefined; // an older or damaged catalog: the core opens it and says what is wrong
  }
}
