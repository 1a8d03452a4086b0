import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from '../../app/api/client.js';
import { BuiltCore, type WindowPort } from '../helpers/built-core.js';
import { ROOT_DIR, tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

/** One photo per scene of tiny-clip's world; each scene query below must put its own photo first. */
const PHOTOS: Record<string, string> = {
  'a sunset': 'sample_045.jpg',
  'a forest': 'sample_016.jpg',
  snow: 'sample_066.jpg',
  'the ocean': 'sample_050.jpg',
  'a city skyline': 'sample_015.jpg',
  'the night sky': 'sample_009.jpg',
};
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

/**
 * The Electron core process as it ships: the bundled out/main/core-process.js (from `npm run build`), not its
 * TypeScript source, run in a child process under plain Node with Electron's `process.parentPort` supplied
 * ([Note: utility process under plain Node]). The test plays the main process (main/core-client.ts) and one
 * window: start, a window port speaking the API protocol, the media and photo-path lookups, then stop. So the
 * bundle's paths to its resources, its worker and its native modules are the ones exercised.
 */
describe('the Electron core process, as built', () => {
  const root = tempDir('built-core');
  const photos = path.join(root, 'photos');
  let core: BuiltCore;
  let window: WindowPort;
  let api: ApiClient;
  /** An API call that fails at once, with the core's output, if the process dies instead of answering. */
  const call: ApiClient['call'] = (method, input) => core.whileRunning(api.call(method, input));

  beforeAll(async () => {
    fs.mkdirSync(photos);
    for (const file of Object.values(PHOTOS)) fs.copyFileSync(path.join(SAMPLES_DIR, file), path.join(photos, file));
    core = new BuiltCore({ SHOEBOX_LIBRARY: '', SHOEBOX_MODEL: '' });
    const ready = core.next('ready');
    core.post({ type: 'start', libraryDir: path.join(root, 'library'), modelDir: TINY_CLIP });
    // A window usually finishes loading before the core is ready: its port is served once the core is.
    window = core.connect();
    api = createApiClient(window.channel);
    await ready;
  });

  afterAll(() => {
    core?.kill(); // still running only if a test failed; undefined if the bundle was missing
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('indexes a folder added over the window port and finds each photo by its scene', async () => {
    const progress: string[] = [];
    api.on('indexing.progress', (state) => progress.push(state.state));
    const folder = await call('folders.add', { path: photos });
    expect(folder.path).toBe(photos);

    const count = Object.keys(PHOTOS).length;
    await expect
      .poll(async () => {
        const status = await call('status', {});
        return `${status.photoCount} photos, ${status.indexing.state}`;
      }, { timeout: 60_000, interval: 200 })
      .toBe(`${count} photos, idle`);
    // Events reach the window over its port too.
    expect(progress.some((state) => state === 'scanning' || state === 'indexing')).toBe(true);
    const status = await call('status', {});
    expect(status.model?.name).toBeTruthy();
    expect(status.modelProblem).toBeNull();

    for (const [query, file] of Object.entries(PHOTOS)) {
      const { results } = await call('search.text', { query, limit: count });
      console.log(`"${query}": ${results.map((r) => r.name).join(' ')}`);
      expect(results[0]?.name, query).toBe(file);
    }
    expect(core.warnings).toEqual([]);
  });

  it('finds the files it ships with from out/main/: the model registry and the tagging vocabulary', async () => {
    const registry = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'resources', 'models', 'registry.json'), 'utf8')) as { default: string };
    const models = await call('models.list', {});
    expect(models.find((m) => m.default)?.id).toBe(registry.default);
    // Auto-tagging loads resources/vocabulary.txt into a new catalog first.
    expect(await call('tags.autotag', {})).toMatchObject({ photos: Object.keys(PHOTOS).length });
    expect(core.warnings).toEqual([]);
  });

  it('answers the main process lookups: media files and photo paths', async () => {
    const { results } = await call('search.text', { query: 'a sunset', limit: 1 });
    const id = results[0]!.id;

    for (const size of ['grid', 'preview'] as const) {
      const media = await core.media(id, size);
      expect(media).toMatchObject({ contentType: 'image/jpeg' });
      expect(media.file, size).toBeTruthy();
      const bytes = fs.readFileSync(media.file!);
      expect(bytes.subarray(0, 3).equals(JPEG_MAGIC), `${size} is a JPEG`).toBe(true);
      console.log(`media ${size}: ${path.relative(root, media.file!)} (${bytes.length} bytes)`);
    }
    // The original is served as it is; an id the catalog does not know resolves to nothing.
    expect(await core.media(id, 'original')).toMatchObject({ file: path.join(photos, PHOTOS['a sunset']!), contentType: 'image/jpeg' });
    expect(await core.media(999_999, 'grid')).toMatchObject({ file: null, contentType: null });

    expect(await core.photoPath(id)).toBe(path.join(photos, PHOTOS['a sunset']!));
    expect(await core.photoPath(999_999)).toBeNull();
  });

  it('detaches a closed window, then stops and exits on its own with nothing left running', async () => {
    window.close();
    await window.closed;

    const stopped = core.next('stopped');
    core.post({ type: 'stop' });
    await stopped;
    // Electron would keep the utility process until the app quits (it never exits on an empty event loop);
    // under Node, once the channel is gone, it exits only if stop() closed the catalog, watcher, pools and
    // sessions. The shim prints what still holds it otherwise.
    core.disconnect();
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000).unref());
    const exit = await Promise.race([core.exited, timeout]);
    expect(exit, `core process did not exit after stop:\n${core.log}`).toEqual({ code: 0, signal: null });
    expect(core.warnings).toEqual([]);
  });
});
