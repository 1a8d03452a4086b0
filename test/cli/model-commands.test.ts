import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR } from '../helpers/fixtures.js';
import { renamedTinyClip, tinyClipFiles } from '../models/pack-server.js';

interface Listing {
  id: string;
  installed: boolean;
  active: boolean;
  default: boolean;
}

function packFolder(name: string, files: Record<string, Buffer>): string {
  const dir = path.join(tempDir('cli-pack'), name);
  fs.mkdirSync(dir);
  for (const [file, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), body);
  return dir;
}

describe('model commands (--json contract)', () => {
  it('install a folder, index with it, switch to another pack, list shows which is active', () => {
    const library = tempDir('cli-models');
    const photos = tempDir('cli-model-photos');
    for (const f of ['sample_045.jpg', 'sample_016.jpg', 'sample_050.jpg']) fs.copyFileSync(path.join(SAMPLES_DIR, f), path.join(photos, f));

    const installed = runCliJson<Record<string, unknown>>(['model', 'install', packFolder('tiny-a', tinyClipFiles()), '--library', library]);
    expect(installed).toEqual({ id: 'tiny-a', dir: path.join(library, 'models', 'tiny-a'), alreadyInstalled: false, selfCheck: { correct: 12, total: 12 } });
    expect(runCliJson<{ indexed: number }>(['index', photos, '--library', library]).indexed).toBe(3);

    runCliJson(['model', 'install', packFolder('tiny-b', renamedTinyClip('tiny-b')), '--library', library]);
    const used = runCli(['model', 'use', 'tiny-b', '--library', library, '--json']);
    expect(used.status).toBe(0);
    expect(JSON.parse(used.stdout)).toEqual({ id: 'tiny-b', dir: path.join(library, 'models', 'tiny-b'), switched: true, embedded: 3, failed: [] });
    expect(used.stderr).toContain('embedding with the new model');

    const { models } = runCliJson<{ models: Listing[] }>(['model', 'list', '--library', library]);
    const local = models.filter((m) => m.installed).map((m) => [m.id, m.active]);
    expect(local).toEqual([
      ['tiny-a', false],
      ['tiny-b', true],
    ]);
    expect(models.filter((m) => m.default).map((m) => m.id)).toEqual(['clip-vit-b32-quantized']);
    expect(runCliJson<{ results: unknown[] }>(['search', 'a sunset', '--library', library]).results.length).toBeGreaterThan(0);
  });

  it('fails with one line for an unknown pack', () => {
    const run = runCli(['model', 'use', 'no-such-pack', '--library', tempDir('cli-models')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^shoebox: no model pack named "no-such-pack" \(known: clip-vit-b32-quantized, .*\) and no folder or zip at \S*no-such-pack\n$/);
  });
});
