import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { watchFolders } from '../../app/watcher/watch-folders.js';
import { CLI_COMMAND, ROOT_DIR, tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('watching a folder', () => {
  const dirs: string[] = [];
  const fresh = (name: string) => {
    const dir = tempDir(name);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('makes new photos searchable, keeps a renamed photo, drops a deleted one', async () => {
    const [library, photos] = [fresh('watch-lib'), fresh('watch-photos')];
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_000.jpg'), path.join(photos, 'flat.jpg'));
    const core = Core.open({ libraryDir: library, modelDir: TINY_CLIP });
    const errors: string[] = [];
    const watching = await watchFolders(core, [photos], { debounceMs: 200, onError: (m) => errors.push(m) });
    await watching.idle();
    expect(errors).toEqual([]);
    expect(core.catalog.photos.count()).toBe(1);

    const sunset = path.join(photos, 'sunset.jpg');
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_093.jpg'), sunset); // a sunset over the beach
    const found = async () => (await core.search('a sunset')).some((r) => r.path === sunset);
    await waitFor(found, 'the new photo to be searchable');
    const id = core.catalog.photos.byPath(sunset)!.id;

    const renamed = path.join(photos, 'evening at the sea.jpg');
    fs.renameSync(sunset, renamed);
    await waitFor(() => core.catalog.photos.byPath(renamed) !== undefined && !core.catalog.photos.byPath(sunset), 'the rename');
    expect(core.catalog.photos.byPath(renamed)!.id).toBe(id); // same photo, same vectors (and later tags)

    fs.rmSync(renamed);
    await waitFor(() => core.catalog.photos.byPath(renamed) === undefined, 'the deletion');
    expect(await core.search('a sunset')).toEqual([]);
    await watching.close();
    await core.close();
  });

  it('runs headless from the CLI and stops cleanly on Ctrl-C', async () => {
    const [library, photos] = [fresh('watch-cli-lib'), fresh('watch-cli-photos')];
    const [node, ...prefix] = CLI_COMMAND;
    const child = spawn(node, [...prefix, 'watch', photos, '--library', library, '--model', TINY_CLIP, '--json'], { cwd: ROOT_DIR });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    await waitFor(() => stdout.includes('"indexed"'), 'the first index run');
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_045.jpg'), path.join(photos, 'new.jpg'));
    await waitFor(() => stdout.split('\n').some((l) => l.includes('"indexed":1')), 'the new file to be indexed');
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(0);
  });
});
