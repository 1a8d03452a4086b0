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

/** The API files the renderer bundles: the contract, the wire messages and the typed client. */
const BROWSER_SAFE = ['contract', 'messages', 'client'];

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

  it('the renderer imports no Node built-ins and nothing from app/ but the browser-safe API files', () => {
    const offenders = sources('renderer').filter((f) =>
      importsOf(f).some((i) => i.startsWith('node:') || (i.includes('/app/') && !BROWSER_SAFE.some((b) => i.endsWith(`/app/api/${b}.js`)))),
    );
    expect(offenders).toEqual([]);
  });

  it('the browser-safe API files import only zod and each other', () => {
    for (const name of BROWSER_SAFE) {
      const imports = importsOf(path.join(ROOT, 'app', 'api', `${name}.ts`));
      expect(imports.filter((i) => i !== 'zod' && !BROWSER_SAFE.some((b) => i === `./${b}.js`))).toEqual([]);
    }
  });

  it('the preload imports only electron (a sandboxed preload cannot load modules)', () => {
    const imports = sources('preload').flatMap(importsOf);
    expect(imports.filter((i) => i !== 'electron')).toEqual([]);
  });
});
