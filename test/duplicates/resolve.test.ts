import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempDir } from '../helpers/cli.js';
import { TEST_PHOTOS_DIR, TINY_CLIP } from '../helpers/fixtures.js';

type Dupes = { groups: { kind: string; paths: string[]; keep: string }[]; trashed?: string[]; failed?: unknown[] };

describe('resolving duplicates moves copies to the OS trash, recoverably', () => {
  const library = tempDir('resolve-lib');
  const photos = tempDir('resolve-photos');
  const dataHome = tempDir('resolve-xdg'); // the Freedesktop trash lives in $XDG_DATA_HOME/Trash
  // HOME on the photos' device too, so the trash chosen is the home trash wherever /tmp is mounted.
  const env = { XDG_DATA_HOME: dataHome, HOME: dataHome };
  const args = ['--library', library, '--model', TINY_CLIP];
  const original = path.join(photos, 'Storm.jpg');
  const exportCopy = path.join(photos, 'export', 'Storm.jpg');
  const resized = path.join(photos, 'Storm-web.jpg');
  const other = path.join(photos, 'Garden.jpg');

  beforeAll(async () => {
    const bytes = fs.readFileSync(path.join(TEST_PHOTOS_DIR, 'Storm.jpg'));
    fs.writeFileSync(original, bytes);
    fs.mkdirSync(path.dirname(exportCopy));
    fs.writeFileSync(exportCopy, bytes);
    fs.writeFileSync(resized, await sharp(bytes).resize({ width: 640 }).jpeg({ quality: 80 }).toBuffer());
    fs.copyFileSync(path.join(TEST_PHOTOS_DIR, 'Garden.jpg'), other);
    expect(runCliJson<{ indexed: number }>(['index', photos, ...args])).toMatchObject({ indexed: 4 });
  });
  afterAll(() => {
    for (const d of [library, photos, dataHome]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('refuses to move anything without confirmation when not at a terminal', () => {
    const run = runCli(['dupes', '--resolve', ...args], env);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--yes/);
    for (const f of [original, exportCopy, resized]) expect(fs.existsSync(f)).toBe(true);
  });

  it('remembers "not duplicates"', () => {
    const before = runCliJson<Dupes>(['dupes', ...args], env);
    expect(before.groups.find((g) => g.kind === 'near')?.paths.sort()).toEqual([original, resized].sort());
    expect(runCli(['not-dupes', original, resized, ...args], env).status).toBe(0);
    const after = runCliJson<Dupes>(['dupes', ...args], env);
    expect(after.groups.filter((g) => g.kind === 'near')).toEqual([]);
  });

  it('keeps the original, trashes the export copy, and leaves the catalog consistent', () => {
    const out = runCliJson<Dupes>(['dupes', '--resolve', '--yes', ...args], env);
    expect(out.trashed).toEqual([exportCopy]);
    expect(out.failed).toEqual([]);
    expect(fs.existsSync(original)).toBe(true);
    expect(fs.existsSync(exportCopy)).toBe(false);
    // Recoverable: a .trashinfo names where the file came from, and the bytes sit beside it in the trash.
    const infoDir = path.join(dataHome, 'Trash', 'info');
    const infos = fs.readdirSync(infoDir).filter((f) => fs.readFileSync(path.join(infoDir, f), 'utf8').includes(`Path=${encodeURI(exportCopy)}`));
    expect(infos).toHaveLength(1);
    const trashed = path.join(dataHome, 'Trash', 'files', infos[0]!.replace(/\.trashinfo$/, ''));
    expect(fs.readFileSync(trashed).equals(fs.readFileSync(original))).toBe(true);

    const again = runCliJson<Dupes>(['dupes', ...args], env);
    expect(again.groups).toEqual([]);
    const similar = runCliJson<{ results: { path: string }[] }>(['similar', original, '--all', '--limit', '10', ...args], env);
    expect(similar.results.map((r) => r.path).sort()).toEqual([other, resized].sort());
  });
});
