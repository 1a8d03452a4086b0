import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|svelte)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

const importsOf = (file: string) => [...fs.readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);

/**
 * [Note: runtime boundaries] The core runs under plain Node (tests, CLI, server): requiring `electron` there
 * tries to download its binary. So app/ and test/ never import it, and the renderer sees only the API
 * contract, never Node or the core's internals.
 */
describe('runtime boundaries', () => {
  it('nothing under app/ or test/ imports electron', () => {
    const offenders = [...sources('app'), ...sources('test')].filter((f) => importsOf(f).some((i) => i === 'electron' || i.startsWith('electron/') || i.startsWith('electron-log/main')));
    expect(offenders).toEqual([]);
  });

  it('the renderer imports no Node built-ins and nothing from app/ but the API contract', () => {
    const offenders = sources('renderer').filter((f) =>
      importsOf(f).some((i) => i.startsWith('node:') || (i.includes('/app/') && !i.includes('/app/api/'))),
    );
    expect(offenders).toEqual([]);
  });
});
