import os from 'node:os';
import path from 'node:path';

/**
 * The per-user data folder the desktop app uses: Electron's `app.getPath('userData')` for productName
 * "Shoebox" (appData + product name), computed here without Electron so the CLI finds the same library.
 */
export function defaultUserDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Shoebox');
  if (platform === 'win32') return path.join(env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), 'Shoebox');
  return path.join(env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), 'Shoebox');
}

/**
 * The per-user cache folder: what can be rebuilt at any time (`~/.cache/shoebox`, `~/Library/Caches/Shoebox`,
 * `%LOCALAPPDATA%\Shoebox\Cache`).
 */
export function defaultCacheDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'Shoebox');
  if (platform === 'win32') return path.join(env['LOCALAPPDATA'] ?? path.join(home, 'AppData', 'Local'), 'Shoebox', 'Cache');
  return path.join(env['XDG_CACHE_HOME'] ?? path.join(home, '.cache'), 'shoebox');
}

export function defaultLibraryDir(): string {
  return path.join(defaultUserDataDir(), 'library');
}

/** Where a library keeps installed model packs. */
export function modelsDir(libraryDir: string): string {
  return path.join(libraryDir, 'models');
}

/** Where a library keeps generated grid thumbnails and previews, one file per content hash and size. */
export function thumbsDir(libraryDir: string): string {
  return path.join(libraryDir, 'cache', 'thumbs');
}

/** A library's catalog: one SQLite file (see app/catalog/catalog.ts). */
export const CATALOG_FILE = 'catalog.sqlite';
