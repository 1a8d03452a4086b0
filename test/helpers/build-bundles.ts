import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * [Note: tests run the built bundles] The CLI tests and the core-process test run what users run: the compiled
 * bundles in out/ (`npm run build`), not the TypeScript sources. This global setup builds them once per test
 * run when any source is newer than the bundle, so a test never runs stale code; CI builds before testing, so
 * there it finds the bundles fresh and builds nothing.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUNDLE = path.join(ROOT, 'out', 'main', 'shoebox.js');
const SOURCES = ['app', 'main', 'preload', 'renderer', 'resources', 'electron.vite.config.ts', 'package.json'];

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const e of fs.readdirSync(entry, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, e.name)));
  }
  return newest;
}

export function bundlesAreStale(): boolean {
  if (!fs.existsSync(BUNDLE)) return true;
  const built = fs.statSync(BUNDLE).mtimeMs;
  return SOURCES.some((s) => fs.existsSync(path.join(ROOT, s)) && newestMtime(path.join(ROOT, s)) > built);
}

export default function setup(): void {
  if (!bundlesAreStale()) return;
  const bin = path.join(ROOT, 'node_modules', '.bin', 'electron-vite');
  execFileSync(process.execPath, [fs.realpathSync(bin), 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
}
